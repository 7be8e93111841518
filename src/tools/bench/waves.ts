// Resync waves of the operator, seen from outside: a wave starts with the first AWS request after a
// quiet time (counted by the proxy) and ends once AWS is quiet again and the process's event loop has
// come to rest (from /proc), so the work done after the last read (planning every resource) is inside
// it. "At rest" allows for the /healthz probes a wave is watched with, and for a machine so loaded
// that serving one probe waits tens of milliseconds for a CPU: busy is running or waiting for a CPU
// more than 80% of the time.
import { countsSince, type Counts } from '../aws-proxy/counts.js';
import { cpuMs, demandMs } from './proc-stats.js';
import type { ProxyProcess } from './proxy-process.js';

export interface Wave {
  /** performance.now() of the wave's start and end. */
  startedAt: number;
  endedAt: number;
  /** The proxy's counts during the wave. */
  counts: Counts;
  /** CPU the operator used from the start of the wave until it came to rest. */
  cpuMs: number;
  /** When the rest was seen, and the process's CPU time then: where the time between waves starts. */
  restSeen: { at: number; cpuMs: number };
}

export interface WaveOptions {
  pollMs?: number;
  /** How long AWS and the CPU must be quiet for a wave to be over. */
  quietMs?: number;
  /** Below this share of the wall time running or waiting for a CPU (0..1), the event loop is at rest. */
  restShare?: number;
}

interface Sample {
  at: number;
  cpu: number;
  demand: number;
}

export class WaveWatcher {
  private readonly pollMs: number;
  private readonly quietMs: number;
  private readonly restShare: number;

  constructor(private readonly proxy: ProxyProcess, private readonly pid: () => number, options: WaveOptions = {}) {
    this.pollMs = options.pollMs ?? 100;
    this.quietMs = options.quietMs ?? 1500;
    this.restShare = options.restShare ?? 0.8;
  }

  private sample(): Sample {
    const pid = this.pid();
    return { at: performance.now(), cpu: cpuMs(pid), demand: demandMs(pid) };
  }

  private sleep(): Promise<void> {
    return new Promise((r) => setTimeout(r, this.pollMs));
  }

  /**
   * Waits for the next wave and for its end. `timeoutMs` bounds the wait for its start; the CPU of the
   * poll before the first request is the wave's starting point, so no CPU of its beginning is lost.
   */
  async next(timeoutMs: number): Promise<Wave> {
    const base = await this.proxy.counts();
    let before = this.sample();
    const deadline = before.at + timeoutMs;
    for (;;) {
      const counts = await this.proxy.counts();
      if (counts.requests > base.requests) break;
      if (performance.now() > deadline) throw new Error(`no resync wave within ${Math.round(timeoutMs / 1000)} s`);
      before = this.sample();
      await this.sleep();
    }
    const end = await this.rest(20 * timeoutMs);
    return {
      startedAt: before.at, endedAt: end.endedAt, counts: countsSince(base, end.counts), cpuMs: end.cpu - before.cpu,
      restSeen: { at: end.at, cpuMs: end.cpu },
    };
  }

  /** Waits until no request is in flight and none arrived for quietMs (the process's CPU aside). */
  async awsQuiet(): Promise<void> {
    for (;;) {
      const counts = await this.proxy.counts();
      if (counts.inFlight === 0 && Date.now() - counts.lastRequestAt >= this.quietMs) return;
      await this.sleep();
    }
  }

  /**
   * Waits until AWS has been quiet and the event loop at rest for quietMs; returns when the activity
   * last ended. Fails after `timeoutMs` without rest, naming the calls that kept coming.
   */
  async rest(timeoutMs = 30 * 60_000): Promise<{ endedAt: number; counts: Counts; cpu: number; at: number }> {
    const first = this.sample();
    const startCounts = await this.proxy.counts();
    let previous = first;
    let lastBusy = first.at;
    for (;;) {
      await this.sleep();
      const counts = await this.proxy.counts();
      const now = this.sample();
      if (now.demand - previous.demand > this.restShare * (now.at - previous.at)) lastBusy = now.at;
      previous = now;
      const sinceRequest = Date.now() - counts.lastRequestAt;
      if (counts.inFlight > 0 || sinceRequest < this.quietMs) lastBusy = Math.max(lastBusy, now.at - Math.max(0, sinceRequest));
      if (counts.inFlight === 0 && sinceRequest >= this.quietMs && now.at - lastBusy >= this.quietMs) {
        return { endedAt: lastBusy, counts, cpu: now.cpu, at: now.at };
      }
      if (now.at - first.at > timeoutMs) {
        const calls = countsSince(startCounts, counts);
        throw new Error(`the operator did not come to rest within ${Math.round(timeoutMs / 1000)} s: calls meanwhile ${JSON.stringify(calls.byOperation)}`);
      }
    }
  }
}
