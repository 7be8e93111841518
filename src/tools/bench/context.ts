// What every benchmark scenario shares: the options, the account, the operator process in use, and
// the few ways of reading the proxy's counts that the figures are made of.
import { isRead, type Counts } from '../aws-proxy/counts.js';
import { freePort } from '../moto-server.js';
import type { Account } from './account.js';
import { OperatorProcess } from './operator-process.js';
import { WaveWatcher } from './waves.js';

export type Scenario = 'idle' | 'bump' | 'cold';

export interface BenchOptions {
  services: number;
  scenarios: Scenario[];
  /** The proxy's refill multiplier, and the operator's --aws-rate-scale. */
  scale: number;
  /** Idle resync waves measured. */
  resyncs: number;
  resyncIntervalMs: number;
  /** Services whose image the bump changes. */
  bump: number;
  json: boolean;
  /** Folder for CPU and allocation profiles of the idle resyncs, when profiling. */
  profileDir?: string;
  /** Waves profiled after the measured ones. */
  profileWaves: number;
  heapSnapshot: boolean;
  /** `run --concurrency`, when not run's default. */
  concurrency?: number;
}

export class BenchContext {
  private current?: OperatorProcess;
  readonly watcher: WaveWatcher;

  constructor(readonly options: BenchOptions, readonly account: Account, readonly log: (line: string) => void) {
    this.watcher = new WaveWatcher(account.proxy, () => this.operator.pid);
  }

  get operator(): OperatorProcess {
    if (!this.current) throw new Error('no operator process is running');
    return this.current;
  }

  get running(): boolean {
    return this.current?.alive ?? false;
  }

  /**
   * Starts `run --source` on a free port (stopping nothing: the caller stops or kills the one before),
   * resyncing every --resync-interval unless `resyncIntervalMs` says otherwise.
   */
  async startOperator(resyncIntervalMs = this.options.resyncIntervalMs): Promise<OperatorProcess> {
    const { options, account } = this;
    this.current = new OperatorProcess({
      source: account.dir, port: await freePort(), resyncIntervalMs, rateScale: options.scale,
      env: account.env, profile: options.profileDir !== undefined,
      ...(options.concurrency ? { extraArgs: ['--concurrency', String(options.concurrency)] } : {}),
    });
    return this.current;
  }

  /** A running operator that has finished its first full sync and come to rest. */
  async readyOperator(): Promise<OperatorProcess> {
    if (!this.running) {
      const operator = await this.startOperator();
      await operator.until200('/readyz', 60 * 60_000);
      await this.watcher.rest();
    }
    return this.operator;
  }

  async close(): Promise<void> {
    if (this.running) await this.operator.stop();
  }
}

/** Requests that AWS answered (neither throttled nor failed), summed over the operations `pick` keeps. */
export function answeredCalls(counts: Counts, pick: (operation: string) => boolean): number {
  let n = 0;
  for (const [key, op] of Object.entries(counts.byOperation)) {
    if (pick(key.slice(key.indexOf(':') + 1))) n += op.requests - op.throttled - op.errors;
  }
  return n;
}

export const answeredReads = (counts: Counts) => answeredCalls(counts, isRead);

/** Write attempts (throttled or not): an idle operator should make none. */
export const writeAttempts = (counts: Counts) => counts.writes;

/** Throttles by operation, without zeros. */
export function throttlesByOperation(counts: Counts): Record<string, number> {
  return Object.fromEntries(Object.entries(counts.byOperation).filter(([, op]) => op.throttled > 0).map(([key, op]) => [key, op.throttled]));
}

/** Answered requests by operation, the shape the report prints. */
export function callsByOperation(counts: Counts): Record<string, number> {
  return Object.fromEntries(Object.entries(counts.byOperation).map(([key, op]) => [key, op.requests - op.throttled - op.errors]).filter(([, n]) => (n as number) > 0));
}

export const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
