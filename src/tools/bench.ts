// `npm run bench`: the operator at scale against a local moto server, through the real AWS SDK.
// It creates N services (each with its own task definition, default 1,000), applies them, runs idle
// resyncs and one image change, and prints AWS calls (reads per service per resync, writes), times,
// and peak memory. Times on a shared machine are noisy: read them next to the counts, which are exact.
//   npm run bench -- --services 1000 --resyncs 3 --concurrency 16 [--json]
import { parseArgs } from 'node:util';
import pino from 'pino';
import { createAwsClients } from '../aws/clients.js';
import { loadRevision } from '../desired/load.js';
import { createHandlers } from '../kinds/index.js';
import { sdkPorts } from '../cli/app.js';
import { Controller } from '../runtime/controller.js';
import { generatedRevision } from './generate.js';
import { startMoto } from './moto-server.js';

const { values } = parseArgs({
  options: {
    services: { type: 'string', default: '1000' },
    resyncs: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '16' },
    json: { type: 'boolean', default: false },
  },
});
const N = Number(values.services);
const RESYNCS = Number(values.resyncs);

/** Published ECS budgets (burst, refill/s) of the write calls a first apply makes. */
const WRITE_BUDGETS: Record<string, [number, number]> = {
  'ecs:RegisterTaskDefinition': [20, 1],
  'ecs:CreateService': [50, 5],
  'ecs:UpdateService': [50, 5],
};

function log(line: string): void {
  if (!values.json) process.stderr.write(`${line}\n`);
}

async function main(): Promise<void> {
  const peak = { rss: 0 };
  const sampler = setInterval(() => (peak.rss = Math.max(peak.rss, process.memoryUsage().rss)), 50);
  const moto = await startMoto({ env: { MOTO_ECS_SERVICE_RUNNING: '1' }, log });
  Object.assign(process.env, moto.awsEnv);
  const aws = createAwsClients({ rateScale: Infinity });
  const handlers = createHandlers(sdkPorts(aws));
  const controller = new Controller({ handlers, mode: 'run', log: pino({ level: 'silent' }), concurrency: Number(values.concurrency) });
  const results: Record<string, unknown> = { services: N, resyncs: RESYNCS, concurrency: Number(values.concurrency) };
  try {
    let t = performance.now();
    const loaded = loadRevision(generatedRevision(N));
    if (!loaded.state) throw new Error(`generated manifests invalid: ${loaded.errors[0]?.message}`);
    results.loadMs = Math.round(performance.now() - t);
    log(`loaded ${loaded.state.resources.size} manifests in ${results.loadMs} ms`);

    t = performance.now();
    controller.setDesired(loaded.state);
    await controller.resync(); // as `run` and `apply` do: batched reads before the first passes
    controller.start();
    await controller.idle();
    const synced = controller.status.list().filter((s) => s.sync === 'Synced').length;
    const first = aws.stats.snapshot();
    results.convergeMs = Math.round(performance.now() - t);
    results.firstApply = { synced, reads: aws.stats.reads, writes: aws.stats.writes, byOperation: first };
    results.realAwsWriteFloorSeconds = Math.round(Math.max(...Object.entries(WRITE_BUDGETS).map(([op, [burst, rate]]) => Math.max(0, ((first[op] ?? 0) - burst) / rate))));
    log(`first apply: ${synced}/${loaded.state.resources.size} Synced in ${results.convergeMs} ms; ${aws.stats.reads} reads, ${aws.stats.writes} writes`);

    const resyncs: Array<{ ms: number; reads: number; writes: number; readsPerService: number }> = [];
    for (let i = 0; i < RESYNCS; i++) {
      const before = { reads: aws.stats.reads, writes: aws.stats.writes };
      t = performance.now();
      await controller.resync();
      await controller.idle();
      const reads = aws.stats.reads - before.reads;
      resyncs.push({ ms: Math.round(performance.now() - t), reads, writes: aws.stats.writes - before.writes, readsPerService: +(reads / N).toFixed(4) });
      log(`idle resync ${i + 1}: ${resyncs[i]!.ms} ms, ${reads} reads (${resyncs[i]!.readsPerService}/service), ${resyncs[i]!.writes} writes`);
    }
    results.idleResyncs = resyncs;

    // Pure planning cost: normalize + diff of every resource against its (cached) live state.
    const ctx = controller.contextFor(loaded.state);
    const byKind = new Map(handlers.map((h) => [h.kind, h]));
    const observations = await Promise.all(loaded.state.order.map(async (key) => {
      const r = loaded.state!.resources.get(key)!;
      return [r, await byKind.get(r.kind)!.observe(r, ctx)] as const;
    }));
    t = performance.now();
    for (const [r, o] of observations) byKind.get(r.kind)!.plan(r, o, ctx);
    results.planAllMs = +(performance.now() - t).toFixed(1);
    log(`plan (normalize + diff) of all ${observations.length} resources: ${results.planAllMs} ms`);

    const before = aws.stats.snapshot();
    const changed = loadRevision(generatedRevision(N, { imageFor: (i) => (i === 0 ? 'public.ecr.aws/nginx/nginx:1.28' : undefined) }));
    t = performance.now();
    controller.setDesired(changed.state!);
    await controller.idle();
    const delta = aws.stats.since(before);
    results.imageChange = { ms: Math.round(performance.now() - t), byOperation: delta };
    log(`one image change: ${results.imageChange && (results.imageChange as { ms: number }).ms} ms, calls ${JSON.stringify(delta)}`);
  } finally {
    await controller.stop();
    aws.destroy();
    await moto.stop();
    clearInterval(sampler);
  }
  results.peakRssMiB = Math.round(Math.max(peak.rss, process.resourceUsage().maxRSS * 1024) / 1024 / 1024);
  if (values.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  else printTable(results);
}

function printTable(r: Record<string, unknown>): void {
  const resyncs = r.idleResyncs as Array<{ ms: number; reads: number; writes: number; readsPerService: number }>;
  const first = r.firstApply as { reads: number; writes: number };
  const change = r.imageChange as { ms: number; byOperation: Record<string, number> };
  const writesOf = (ops: Record<string, number>) => Object.entries(ops).filter(([k]) => !/:(Describe|List)/.test(k));
  const rows = [
    ['services (each with its own task definition)', String(r.services)],
    ['load + validate all manifests', `${r.loadMs} ms`],
    ['first apply: time to converge (emulator, pacing off)', `${r.convergeMs} ms`],
    ['first apply: AWS reads / writes', `${first.reads} / ${first.writes}`],
    ['first apply at the published AWS write rates, at least', `${r.realAwsWriteFloorSeconds} s`],
    ...resyncs.map((x, i) => [`idle resync ${i + 1}: reads/service, writes, time`, `${x.readsPerService}, ${x.writes}, ${x.ms} ms`]),
    ['plan (normalize + diff) of every resource', `${r.planAllMs} ms`],
    ['one image change: writes', writesOf(change.byOperation).map(([k, v]) => `${k.split(':')[1]} ${v}`).join(', ')],
    ['one image change: time to converge', `${change.ms} ms`],
    ['peak RSS of the operator process (incl. SDK)', `${r.peakRssMiB} MiB`],
  ];
  const width = Math.max(...rows.map(([a]) => a!.length));
  process.stdout.write(`\n${rows.map(([a, b]) => `${a!.padEnd(width)}  ${b}`).join('\n')}\n`);
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack}\n`);
  process.exitCode = 1;
});
