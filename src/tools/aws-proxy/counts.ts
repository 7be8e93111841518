// What the AWS-faithful proxy saw: every request by API and operation, with the ones it throttled and
// the ones that failed otherwise. Plain JSON, so the same shape serves the in-process API and the
// proxy's /aws-proxy/counts endpoint, and two snapshots subtract.

export interface OperationCounts {
  requests: number;
  throttled: number;
  /** Answers other than 2xx that were not throttles: upstream errors and refused paging members. */
  errors: number;
}

export interface Counts {
  requests: number;
  /** Describe*, List*, Get* requests; `writes` are all the others. Throttled requests are included in both. */
  reads: number;
  writes: number;
  throttled: number;
  errors: number;
  /** Requests whose answer has not been sent yet. */
  inFlight: number;
  /** Epoch milliseconds of the last request that arrived (0 before any). */
  lastRequestAt: number;
  /** Keyed `api:Operation`, api being the SigV4 signing name (ecs, application-autoscaling, elasticloadbalancing). */
  byOperation: Record<string, OperationCounts>;
}

const READ = /^(Describe|List|Get)/;

export function isRead(operation: string): boolean {
  return READ.test(operation);
}

export function emptyCounts(): Counts {
  return { requests: 0, reads: 0, writes: 0, throttled: 0, errors: 0, inFlight: 0, lastRequestAt: 0, byOperation: {} };
}

export class Counter {
  private value: Counts = emptyCounts();

  /** A request arrived; the returned function records how it ended. */
  start(api: string, operation: string): (outcome: 'ok' | 'throttled' | 'error') => void {
    const c = this.value;
    const key = `${api}:${operation}`;
    const op = (c.byOperation[key] ??= { requests: 0, throttled: 0, errors: 0 });
    c.requests++;
    op.requests++;
    if (isRead(operation)) c.reads++;
    else c.writes++;
    c.inFlight++;
    c.lastRequestAt = Date.now();
    let done = false;
    return (outcome) => {
      if (done) return;
      done = true;
      // A reset while in flight: the request ends uncounted rather than driving inFlight below zero.
      if (c !== this.value) return;
      c.inFlight--;
      if (outcome === 'throttled') {
        c.throttled++;
        op.throttled++;
      } else if (outcome === 'error') {
        c.errors++;
        op.errors++;
      }
    };
  }

  snapshot(): Counts {
    return structuredClone(this.value);
  }

  reset(): void {
    this.value = emptyCounts();
  }
}

/** What happened between two snapshots (`inFlight` and `lastRequestAt` are the later one's). */
export function countsSince(before: Counts, after: Counts): Counts {
  const byOperation: Record<string, OperationCounts> = {};
  for (const [key, a] of Object.entries(after.byOperation)) {
    const b = before.byOperation[key] ?? { requests: 0, throttled: 0, errors: 0 };
    const d = { requests: a.requests - b.requests, throttled: a.throttled - b.throttled, errors: a.errors - b.errors };
    if (d.requests || d.throttled || d.errors) byOperation[key] = d;
  }
  return {
    requests: after.requests - before.requests,
    reads: after.reads - before.reads,
    writes: after.writes - before.writes,
    throttled: after.throttled - before.throttled,
    errors: after.errors - before.errors,
    inFlight: after.inFlight,
    lastRequestAt: after.lastRequestAt,
    byOperation,
  };
}

/** Requests of one operation that were answered (neither throttled nor failed). */
export function answered(counts: Counts, key: string): number {
  const op = counts.byOperation[key];
  return op ? op.requests - op.throttled - op.errors : 0;
}
