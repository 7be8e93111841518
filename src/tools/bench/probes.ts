// /healthz probed every ~50 ms on a new connection each time, as a load balancer or kubelet probes it:
// a probe waits for the one before it, so a process that blocks its event loop shows as long probes,
// not as a pile of concurrent ones. Percentiles are taken over the probes sent in a time window.
import { httpGet } from './operator-process.js';

export interface Probe {
  /** performance.now() when it was sent. */
  at: number;
  ms: number;
  ok: boolean;
}

export interface Percentiles {
  count: number;
  failed: number;
  p50: number;
  p99: number;
  max: number;
}

export class HealthProber {
  readonly probes: Probe[] = [];
  private running = false;
  private done: Promise<void> = Promise.resolve();

  constructor(private readonly port: number, private readonly everyMs = 50) {}

  start(): void {
    this.running = true;
    this.done = (async () => {
      while (this.running) {
        const at = performance.now();
        const answer = await httpGet(this.port, '/healthz', 5000);
        this.probes.push({ at, ms: answer.ms, ok: answer.status === 200 });
        const wait = this.everyMs - (performance.now() - at);
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.done;
  }

  /** The probes sent inside any of the windows [from, to]. */
  within(windows: Array<{ from: number; to: number }>): Probe[] {
    return this.probes.filter((p) => windows.some((w) => p.at >= w.from && p.at <= w.to));
  }
}

/** Nearest-rank percentile of sorted values. */
function rank(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export function percentiles(probes: Probe[]): Percentiles {
  const ms = probes.map((p) => p.ms).sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 10) / 10;
  return { count: probes.length, failed: probes.filter((p) => !p.ok).length, p50: round(rank(ms, 0.5)), p99: round(rank(ms, 0.99)), max: round(ms[ms.length - 1] ?? NaN) };
}
