// The one vocabulary for what keeps a resource from being what its manifest says: three condition
// types, one union of reasons, and the Problem that carries them. Problems are made here (from the
// operator's own errors) and in aws/errors.ts (from AWS errors); the runtime, the status, alerts,
// metrics and the CLI read them and never re-derive a meaning from a message:
//   Stalled  -> needs a human; no retry until the manifest (or live state) changes
//   Waiting  -> a dependency is not ready; retried when it is (and on resync)
//   Retrying -> passes on its own; exponential backoff per key (or retryAfterMs when given)

export type ConditionType = 'Stalled' | 'Waiting' | 'Retrying';

/** Why a resource is Stalled: retrying cannot help. */
export type StalledReason =
  | 'InvalidManifest'
  | 'RequiresReplacement'
  | 'AccessDenied'
  | 'InvalidParameter'
  | 'NotFound'
  | 'NotOwned'
  | 'RolloutFailed'
  | 'NotKept'
  | 'PruneBlocked';

/** Why a resource is Waiting. */
export type WaitingReason = 'DependencyNotReady';

/**
 * Why a resource (or prune) is Retrying: AWS refused the request for its rate, a transient failure
 * (5xx, network, a pass that did not converge), a deletion that failed, or the owned-resource
 * listing prune needs that failed.
 */
export type RetryingReason = 'Throttled' | 'TransientError' | 'PruneFailed' | 'PruneDiscoveryFailed';

export type Reason = StalledReason | WaitingReason | RetryingReason;

/** One problem, as a pass, prune or a command meets it. */
export type Problem =
  | { type: 'Stalled'; reason: StalledReason; message: string }
  | { type: 'Waiting'; reason: WaitingReason; message: string; waitingFor: string[] }
  | { type: 'Retrying'; reason: RetryingReason; message: string; retryAfterMs?: number };

/** What keeps a kind's plan from being applied: the resource is Stalled with this reason. */
export interface Blocked {
  reason: StalledReason;
  message: string;
}

/** Needs a human: retrying cannot help. */
export class StalledError extends Error {
  override name = 'StalledError';
  constructor(
    readonly reason: StalledReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A dependency is not ready yet; the resource is retried when it is. */
export class WaitingError extends Error {
  override name = 'WaitingError';
  constructor(
    message: string,
    /** The keys waited for, when known. */
    readonly waitingFor: string[] = [],
  ) {
    super(message);
  }
}

/**
 * A transient failure (throttling, 5xx, network). `retryAfterMs` overrides the queue's backoff;
 * `reason` is Throttled when AWS refused the request for its rate, else TransientError.
 */
export class RetryableError extends Error {
  override name = 'RetryableError';
  readonly reason: RetryingReason;
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown; reason?: RetryingReason },
  ) {
    super(message, options);
    this.reason = options?.reason ?? 'TransientError';
  }
}

/** Bad command-line usage or configuration: the entry point exits with code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Maps any thrown value to its Problem. Unknown errors are retried: a bug must not wedge a resource forever. */
export function classifyError(err: unknown): Problem {
  if (err instanceof StalledError) return { type: 'Stalled', reason: err.reason, message: err.message };
  if (err instanceof WaitingError) return { type: 'Waiting', reason: 'DependencyNotReady', message: err.message, waitingFor: err.waitingFor };
  if (err instanceof RetryableError) {
    return { type: 'Retrying', reason: err.reason, message: err.message, ...(err.retryAfterMs === undefined ? {} : { retryAfterMs: err.retryAfterMs }) };
  }
  return { type: 'Retrying', reason: 'TransientError', message: err instanceof Error ? err.message : String(err) };
}
