// The port leader election runs on: one lease record per name in a shared store (a DynamoDB table,
// src/aws/dynamodb-lease.ts), changed only by conditional writes so that two processes can never
// both believe they acquired it. Times are epoch milliseconds of the writer's clock.

export interface LeaseRecord {
  /** The lease's name (the partition key), by default the operator's --instance value. */
  name: string;
  /** Who holds or last held it: a unique id per process. */
  holder: string;
  /** Incremented on every acquisition, never reset: a higher token is a later term. */
  token: number;
  /** The holder's clock when the lease lapses unless renewed; 0 once released. */
  expiresAt: number;
  /** When the holder acquired it (the start of this term). */
  acquiredAt: number;
  /** When the holder last renewed it. */
  renewedAt?: number;
}

/** A conditional write's outcome: the lease as written, or the record that made the condition fail. */
export type LeaseWrite = { ok: true; lease: LeaseRecord } | { ok: false; current: LeaseRecord | undefined };

export interface LeaseStore {
  /** Where the leases live, for messages and the status ("DynamoDB table ecs-operator-leases"). */
  readonly description: string;
  /**
   * Makes sure the store can be used (a missing table is created when allowed). Throws an Error whose
   * message tells the user what to do when it cannot be.
   */
  prepare(): Promise<void>;
  /** The record, read consistently; undefined when there is none. */
  read(name: string): Promise<LeaseRecord | undefined>;
  /**
   * Takes the lease for `holder` if there is none, it lapsed by `now`, or `holder` has it already;
   * the token goes up by one. Otherwise `{ok: false}` with the record in the way.
   */
  acquire(name: string, holder: string, now: number, durationMs: number): Promise<LeaseWrite>;
  /** Extends `lease` to now + durationMs if it is still the same holder and token. */
  renew(lease: LeaseRecord, now: number, durationMs: number): Promise<LeaseWrite>;
  /** Lets go of `lease` (expiry set to 0, token kept) if it is still the same holder and token. */
  release(lease: LeaseRecord, now: number): Promise<LeaseWrite>;
}
