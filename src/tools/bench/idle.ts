// The idle scenario: a `run` process with nothing to change, through several resync waves. Per wave:
// AWS reads per service (answered ones; with AWS's page sizes and 3 ACTIVE revisions per family),
// writes (there should be none), throttles and CPU per service; over the waves: peak RSS, /healthz
// latency while a wave runs, and the sizes of /metrics and /api/v1/status (whole, and one page of
// 100 as the status page asks for it) afterwards.
import { join } from 'node:path';
import { answeredReads, callsByOperation, round, throttlesByOperation, writeAttempts, type BenchContext } from './context.js';
import { httpGet } from './operator-process.js';
import { percentiles, HealthProber, type Percentiles } from './probes.js';
import { MiB, cpuMs, memory, resetPeak } from './proc-stats.js';
import { summarizeProfiles, type ProfileSummary } from './profile-summary.js';

export interface IdleWave {
  ms: number;
  reads: number;
  readsPerService: number;
  writes: number;
  throttles: number;
  cpuMs: number;
  cpuMsPerService: number;
  /** The same without what the process uses at rest over as long (the /healthz probes, timers). */
  netCpuMsPerService: number;
  calls: Record<string, number>;
  throttlesByOperation: Record<string, number>;
}

export interface IdleResult {
  startup: { healthzMs: number; readyMs: number; peakRssMiB: number };
  waves: IdleWave[];
  /** Medians over the waves. */
  readsPerService: number;
  cpuMsPerService: number;
  netCpuMsPerService: number;
  writes: number;
  throttles: number;
  /** VmHWM over the idle waves only (reset once the first sync was over), and VmRSS at their end. */
  peakRssMiB: number;
  peakRssResetWorked: boolean;
  rssMiB: number;
  /** CPU between waves, in ms per second of wall time: timers, GC, the HTTP probes. */
  restCpuMsPerSecond: number;
  healthz: { duringWaves: Percentiles; all: Percentiles };
  /** One answer each: /metrics, the full /api/v1/status, and one page of it as the status page asks. */
  sizes: { metricsBytes: number; metricsMs: number; statusBytes: number; statusMs: number; statusPageBytes: number; statusPageMs: number };
  profile?: ProfileSummary;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Profiles further waves, after the measured ones so that the profiler's cost is in none of the
 * figures, and without /healthz probes so that the profile is the resyncs' own work.
 */
async function profileWaves(ctx: BenchContext, dir: string): Promise<ProfileSummary> {
  const { operator, options, log } = ctx;
  await operator.hook({ profile: 'start' });
  for (let i = 0; i < options.profileWaves; i++) await ctx.watcher.next(2 * options.resyncIntervalMs + 60_000);
  const name = `idle-${options.services}`;
  const files = await operator.hook({ profile: 'stop', dir, name });
  if (options.heapSnapshot) files.push(...await operator.hook({ snapshot: join(dir, `${name}.heapsnapshot`) }));
  log(`idle: ${options.profileWaves} more waves profiled: ${files.join(', ')}`);
  return summarizeProfiles(files);
}

export async function idleScenario(ctx: BenchContext): Promise<IdleResult> {
  const { options, log } = ctx;
  const N = options.services;
  if (ctx.running) await ctx.operator.stop();
  const operator = await ctx.startOperator();
  const healthzMs = await operator.until200('/healthz', 120_000, 50);
  const readyMs = await operator.until200('/readyz', 60 * 60_000);
  await ctx.watcher.rest();
  const startupPeak = memory(operator.pid).peakRss;
  log(`idle: ready in ${(readyMs / 1000).toFixed(1)} s, peak RSS so far ${Math.round(startupPeak / MiB)} MiB; measuring ${options.resyncs} resync waves every ~${options.resyncIntervalMs / 1000} s`);
  const peakRssResetWorked = resetPeak(operator.pid);
  const prober = new HealthProber(operator.options.port);
  prober.start();

  const waves: IdleWave[] = [];
  const windows: Array<{ from: number; to: number }> = [];
  let restCpu = 0;
  let restMs = 0;
  let lastEnd = { at: performance.now(), cpu: cpuMs(operator.pid) };
  for (let i = 0; i < options.resyncs; i++) {
    const wave = await ctx.watcher.next(2 * options.resyncIntervalMs + 60_000);
    restCpu += wave.restSeen.cpuMs - wave.cpuMs - lastEnd.cpu;
    restMs += wave.startedAt - lastEnd.at;
    lastEnd = { at: wave.restSeen.at, cpu: wave.restSeen.cpuMs };
    windows.push({ from: wave.startedAt, to: wave.endedAt });
    const reads = answeredReads(wave.counts);
    const w: IdleWave = {
      ms: Math.round(wave.endedAt - wave.startedAt), reads, readsPerService: round(reads / N, 4), writes: writeAttempts(wave.counts),
      throttles: wave.counts.throttled, cpuMs: Math.round(wave.cpuMs), cpuMsPerService: round(wave.cpuMs / N, 3), netCpuMsPerService: NaN,
      calls: callsByOperation(wave.counts), throttlesByOperation: throttlesByOperation(wave.counts),
    };
    waves.push(w);
    log(`idle wave ${i + 1}: ${w.ms} ms, ${w.reads} reads (${w.readsPerService}/service), ${w.writes} writes, ${w.throttles} throttles, CPU ${w.cpuMs} ms (${w.cpuMsPerService} ms/service)`);
  }
  await prober.stop();
  const restRate = restMs > 0 ? restCpu / restMs : 0;
  for (const w of waves) w.netCpuMsPerService = round(Math.max(0, w.cpuMs - restRate * w.ms) / N, 3);
  const mem = memory(operator.pid);
  const metrics = await httpGet(operator.options.port, '/metrics', 60_000);
  const status = await httpGet(operator.options.port, '/api/v1/status', 60_000);
  const statusPage = await httpGet(operator.options.port, '/api/v1/status?limit=100', 60_000);
  const profile = options.profileDir ? await profileWaves(ctx, options.profileDir) : undefined;
  return {
    startup: { healthzMs: Math.round(healthzMs), readyMs: Math.round(readyMs), peakRssMiB: Math.round(startupPeak / MiB) },
    waves,
    readsPerService: median(waves.map((w) => w.readsPerService)),
    cpuMsPerService: median(waves.map((w) => w.cpuMsPerService)),
    netCpuMsPerService: median(waves.map((w) => w.netCpuMsPerService)),
    writes: waves.reduce((s, w) => s + w.writes, 0),
    throttles: waves.reduce((s, w) => s + w.throttles, 0),
    peakRssMiB: Math.round(mem.peakRss / MiB), peakRssResetWorked, rssMiB: Math.round(mem.rss / MiB),
    restCpuMsPerSecond: round(restRate * 1000, 2),
    healthz: { duringWaves: percentiles(prober.within(windows)), all: percentiles(prober.probes) },
    sizes: {
      metricsBytes: metrics.bytes, metricsMs: Math.round(metrics.ms), statusBytes: status.bytes, statusMs: Math.round(status.ms),
      statusPageBytes: statusPage.bytes, statusPageMs: Math.round(statusPage.ms),
    },
    ...(profile ? { profile } : {}),
  };
}
