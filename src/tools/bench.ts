// `npm run bench`: the operator's `run` process at scale, measured from outside as users run it. It
// sets up N services in moto behind the AWS-faithful proxy (AWS's page sizes, ECS's token buckets
// at --scale), then runs the scenarios: idle resyncs (reads, writes, CPU and peak RSS of the process,
// /healthz latency, telemetry sizes), an image bump of --bump services timed against the floor AWS
// sets, and a cold restart after SIGKILL. Counts are exact; times on a shared machine are noisy.
//   npm run bench -- [--services 1000] [--scenario idle|bump|cold|all] [--scale 10] [--resyncs 3]
//                    [--resync-interval 15s] [--bump 200] [--concurrency N] [--json]
//                    [--profile DIR [--profile-waves 2] [--heap-snapshot]]
import { mkdir } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseDuration } from '../core/duration.js';
import { createAccount } from './bench/account.js';
import { bumpScenario } from './bench/bump.js';
import { coldScenario } from './bench/cold.js';
import { BenchContext, type BenchOptions, type Scenario } from './bench/context.js';
import { idleScenario } from './bench/idle.js';
import { formatReport, type BenchResult } from './bench/report.js';

const SCENARIOS: Scenario[] = ['idle', 'bump', 'cold'];

function options(): BenchOptions {
  const { values } = parseArgs({
    options: {
      services: { type: 'string', default: '1000' },
      scenario: { type: 'string', default: 'all' },
      scale: { type: 'string', default: '10' },
      resyncs: { type: 'string', default: '3' },
      'resync-interval': { type: 'string' },
      bump: { type: 'string', default: '200' },
      profile: { type: 'string' },
      'profile-waves': { type: 'string', default: '2' },
      'heap-snapshot': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      concurrency: { type: 'string' },
    },
  });
  const positive = (name: string, text: string) => {
    const n = Number(text);
    if (!(n > 0)) throw new Error(`--${name} must be a positive number, got "${text}"`);
    return n;
  };
  const services = Math.round(positive('services', values.services));
  const scale = positive('scale', values.scale);
  const scenario = values.scenario;
  if (scenario !== 'all' && !SCENARIOS.includes(scenario as Scenario)) throw new Error(`--scenario must be idle, bump, cold or all, got "${scenario}"`);
  // Long enough for a wave at the bucket rates (DescribeServices 10 a call, ListTaskDefinitions 100
  // ARNs a page) plus about 1 ms of work per service, twice over.
  const waveSeconds = Math.max(0, services / 10 - 100) / (20 * scale) + Math.max(0, (3 * services) / 100 - 50) / (20 * scale) + services / 1000;
  const interval = values['resync-interval'] ? parseDuration(values['resync-interval']) : Math.max(10_000, Math.ceil(2 * waveSeconds) * 1000);
  return {
    services, scale, resyncs: Math.round(positive('resyncs', values.resyncs)), resyncIntervalMs: interval,
    bump: Math.round(positive('bump', values.bump)), json: values.json,
    scenarios: scenario === 'all' ? SCENARIOS : [scenario as Scenario],
    profileDir: values.profile ? resolve(values.profile) : undefined, profileWaves: Math.round(positive('profile-waves', values['profile-waves'])),
    heapSnapshot: values['heap-snapshot'],
    ...(values.concurrency ? { concurrency: Math.round(positive('concurrency', values.concurrency)) } : {}),
  };
}

async function main(): Promise<void> {
  const o = options();
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const log = (line: string) => process.stderr.write(`${line}\n`);
  if (o.profileDir) await mkdir(o.profileDir, { recursive: true });
  const loadAverageAtStart = loadavg();
  log(`bench: ${o.services} services, scenarios ${o.scenarios.join(', ')}, buckets x${o.scale}, resync every ${o.resyncIntervalMs / 1000} s`);
  const account = await createAccount(o.services, o.scale, log);
  const ctx = new BenchContext(o, account, log);
  const result: BenchResult = {
    options: o, setup: { ...account.setup, services: o.services },
    machine: { cpus: cpus().length, loadAverageAtStart, loadAverageAtEnd: [] },
  };
  try {
    if (o.scenarios.includes('idle')) result.idle = await idleScenario(ctx);
    if (o.scenarios.includes('bump')) result.bump = await bumpScenario(ctx);
    if (o.scenarios.includes('cold')) result.cold = await coldScenario(ctx);
  } catch (err) {
    if (ctx.running) log(`operator log (tail):\n${ctx.operator.log.slice(-4000)}`);
    throw err;
  } finally {
    await ctx.close();
    await account.close();
  }
  result.machine.loadAverageAtEnd = loadavg();
  process.stdout.write(o.json ? `${JSON.stringify(result, null, 2)}\n` : formatReport(result));
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack}\n`);
  process.exitCode = 1;
});
