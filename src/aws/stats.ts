// Every AWS request the operator makes is counted here, by API and operation, with throttles and
// errors: the figures behind the AWS budget, /metrics and the benchmark.

export type AwsApi = 'ecs' | 'application-autoscaling' | 'elbv2';

export interface CallRecord {
  api: AwsApi;
  operation: string;
  /** true for Describe*, List*, Get*: everything else changes something. */
  read: boolean;
  outcome: 'ok' | 'throttled' | 'error';
}

const READ = /^(Describe|List|Get)/;

export function isReadOperation(operation: string): boolean {
  return READ.test(operation);
}

/** Counters of AWS requests (each attempt, retries included). Listeners see every record. */
export class AwsCallStats {
  private readonly counts = new Map<string, number>();
  private readonly listeners = new Set<(record: CallRecord) => void>();
  private totals = { reads: 0, writes: 0, throttles: 0, errors: 0 };

  record(api: AwsApi, operation: string, outcome: CallRecord['outcome']): void {
    const read = isReadOperation(operation);
    const key = `${api}:${operation}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    if (read) this.totals.reads++;
    else this.totals.writes++;
    if (outcome === 'throttled') this.totals.throttles++;
    if (outcome === 'error') this.totals.errors++;
    const rec: CallRecord = { api, operation, read, outcome };
    for (const listener of this.listeners) listener(rec);
  }

  onRecord(listener: (record: CallRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Calls of one operation, e.g. count('ecs', 'UpdateService'). */
  count(api: AwsApi, operation: string): number {
    return this.counts.get(`${api}:${operation}`) ?? 0;
  }

  get reads(): number {
    return this.totals.reads;
  }

  get writes(): number {
    return this.totals.writes;
  }

  get throttles(): number {
    return this.totals.throttles;
  }

  /** A copy of the per-operation counts, keyed `api:Operation`. */
  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  /** The counts since an earlier snapshot, without zero entries. */
  since(before: Record<string, number>): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [key, value] of this.counts) {
      const delta = value - (before[key] ?? 0);
      if (delta > 0) out[key] = delta;
    }
    return out;
  }
}
