// The write fence of leader election: every AWS request that changes something is checked right
// before it leaves (after pacing, on every attempt, retries included), and refused unless this
// process holds the lease with time to spare. Reads always go out. A write let through is counted
// until it settles, so that a leader handing over can wait for its last writes to land first. The
// lease itself (DynamoDB) has its own client and is never fenced.
import { RetryableError } from '../core/errors.js';
import { isReadOperation } from './stats.js';

export interface WriteFence {
  /** Why a write may not go out now (e.g. "this process is a standby"); undefined when it may. */
  refusal(): string | undefined;
  /** Counts a write let through as in flight until the returned function is called (it settled). */
  inFlight(): () => void;
}

/** A write refused by the fence: it never reached AWS, so it is safe to retry later (by the leader). */
export class FencedWriteError extends RetryableError {
  override name = 'FencedWriteError';
}

/**
 * Lets `operation` go out or throws FencedWriteError. A write let through returns the function to
 * call once it has settled; reads, and every call without a fence, return undefined.
 */
export function admitWrite(fence: WriteFence | undefined, operation: string): (() => void) | undefined {
  if (!fence || isReadOperation(operation)) return undefined;
  const why = fence.refusal();
  if (why !== undefined) throw new FencedWriteError(`${operation} not sent: ${why}`);
  return fence.inFlight();
}
