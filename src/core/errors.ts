// The error taxonomy every reconcile speaks. A kind or adapter throws one of these (or an AWS error that
// aws/errors.ts classifies); runtime/ turns the class into a status condition and a queue decision:
//   StalledError  -> condition Stalled, no retry until the manifest (or live state) changes
//   WaitingError  -> condition Waiting, retried when a dependency changes (and on resync)
//   anything else -> condition Retrying, exponential backoff per key (or retryAfterMs when given)

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
 * `throttled` says AWS refused the request for its rate (status shows Retrying, reason Throttled).
 */
export class RetryableError extends Error {
  override name = 'RetryableError';
  readonly throttled: boolean;
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown; throttled?: boolean },
  ) {
    super(message, options);
    this.throttled = options?.throttled ?? false;
  }
}

/** Bad command-line usage or configuration: the entry point exits with code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export type ErrorClass =
  | { type: 'stalled'; reason: StalledReason; message: string }
  | { type: 'waiting'; message: string; waitingFor: string[] }
  | { type: 'retry'; message: string; retryAfterMs?: number; throttled?: true };

/** Maps any thrown value to its class. Unknown errors are retried: a bug must not wedge a resource forever. */
export function classifyError(err: unknown): ErrorClass {
  if (err instanceof StalledError) return { type: 'stalled', reason: err.reason, message: err.message };
  if (err instanceof WaitingError) return { type: 'waiting', message: err.message, waitingFor: err.waitingFor };
  if (err instanceof RetryableError) {
    return {
      type: 'retry', message: err.message,
      ...(err.retryAfterMs === undefined ? {} : { retryAfterMs: err.retryAfterMs }),
      ...(err.throttled ? { throttled: true as const } : {}),
    };
  }
  return { type: 'retry', message: err instanceof Error ? err.message : String(err) };
}
