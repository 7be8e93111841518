// The cold restart scenario: the running operator is killed (SIGKILL: no chance to save anything) and
// started again over the same account. Timed from the new process's spawn until it listens
// (/healthz) and until its first full resync is complete (/readyz: every resource reconciled once),
// with what that cost in AWS calls, behind the bucket-enforcing proxy at the stated scale. The new
// process resyncs every 5 minutes (run's default), so that no resync wave starts inside the first
// sync and adds its reads to it.
import { countsSince } from '../aws-proxy/counts.js';
import { answeredReads, callsByOperation, round, throttlesByOperation, writeAttempts, type BenchContext } from './context.js';
import { MiB, memory } from './proc-stats.js';

const COLD_RESYNC_INTERVAL_MS = 5 * 60_000;

export interface ColdResult {
  services: number;
  scale: number;
  listeningSeconds: number;
  readySeconds: number;
  reads: number;
  writes: number;
  throttles: number;
  calls: Record<string, number>;
  throttlesByOperation: Record<string, number>;
  peakRssMiB: number;
}

export async function coldScenario(ctx: BenchContext): Promise<ColdResult> {
  const { account, options, log } = ctx;
  await ctx.readyOperator();
  await ctx.watcher.rest();
  await ctx.operator.kill();
  // A killed process's requests may still be on their way: let them land, then start from full buckets.
  await ctx.watcher.awsQuiet();
  await account.proxy.refill();
  const base = await account.proxy.counts();
  const operator = await ctx.startOperator(COLD_RESYNC_INTERVAL_MS);
  const listening = await operator.until200('/healthz', 120_000, 20);
  const ready = await operator.until200('/readyz', 60 * 60_000, 100);
  const counts = countsSince(base, await account.proxy.counts());
  const result: ColdResult = {
    services: options.services, scale: options.scale, listeningSeconds: round(listening / 1000, 2), readySeconds: round(ready / 1000),
    reads: answeredReads(counts), writes: writeAttempts(counts), throttles: counts.throttled,
    calls: callsByOperation(counts), throttlesByOperation: throttlesByOperation(counts), peakRssMiB: Math.round(memory(operator.pid).peakRss / MiB),
  };
  log(`cold restart at x${options.scale}: listening after ${result.listeningSeconds} s, first full resync after ${result.readySeconds} s; ${result.reads} reads, ${result.throttles} throttles`);
  return result;
}
