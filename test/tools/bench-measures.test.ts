// The benchmark's measuring parts, each checked against a second way of knowing the answer:
// /proc readings against the process's own accounting, percentiles and bucket floors by hand,
// profile summaries on profiles with known contents, the heap snapshot reader against JSON.parse,
// and the profile hook in a real child process (it writes its files and lets the process exit).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuMs, demandMs, memory, resetPeak } from '../../src/tools/bench/proc-stats.js';
import { percentiles } from '../../src/tools/bench/probes.js';
import { bucketFloor } from '../../src/tools/bench/bump.js';
import { allocationSummary, cpuSummary } from '../../src/tools/bench/profile-summary.js';
import { heapSnapshotSummary } from '../../src/tools/bench/heap-snapshot.js';

test('/proc readings of this process agree with its own accounting', () => {
  const own = process.cpuUsage();
  const before = cpuMs(process.pid);
  const demandBefore = demandMs(process.pid);
  const until = performance.now() + 300;
  while (performance.now() < until) Math.sqrt(Math.random());
  const used = cpuMs(process.pid) - before;
  const reported = (process.cpuUsage(own).user + process.cpuUsage(own).system) / 1000;
  assert.ok(Math.abs(used - reported) <= 40, `/proc says ${used} ms, cpuUsage ${reported} ms`);
  assert.ok(demandMs(process.pid) - demandBefore >= 250, 'a busy event loop is running or waiting for a CPU all the time');
});

test('peak RSS: a peak long gone shows in VmHWM until it is reset', async () => {
  const MiB = 1024 * 1024;
  const child = spawn(process.execPath, ['--expose-gc', '-e', `
    let big = Buffer.alloc(200 * ${MiB}, 1);
    big = null;
    gc();
    process.stdout.write('freed\\n');
    setTimeout(() => {}, 10000);`], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await once(child.stdout!, 'data');
    const mem = memory(child.pid!);
    assert.ok(mem.peakRss >= 200 * MiB && mem.rss < 150 * MiB, JSON.stringify(mem));
    assert.equal(resetPeak(child.pid!), true);
    const after = memory(child.pid!);
    assert.ok(after.peakRss < 150 * MiB, JSON.stringify(after));
  } finally {
    child.kill();
  }
});

test('percentiles are nearest-rank over the probes; floors follow the published buckets', () => {
  const probes = Array.from({ length: 200 }, (_, i) => ({ at: i, ms: i + 1, ok: i !== 7 }));
  assert.deepEqual(percentiles(probes), { count: 200, failed: 1, p50: 100, p99: 198, max: 200 });
  assert.deepEqual(percentiles(probes.slice(0, 1)), { count: 1, failed: 0, p50: 1, p99: 1, max: 1 });
  // 200 registrations: 20 at once, 180 at 1 per second, times the scale.
  assert.equal(bucketFloor(200, 'task-definition-modify', 10), 18);
  assert.equal(bucketFloor(500, 'task-definition-modify', 1), 480);
  assert.equal(bucketFloor(200, 'service-modify', 10), 3);
  assert.equal(bucketFloor(10, 'task-definition-modify', 1), 0);
});

const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber, scriptId: '0', columnNumber: 0 });

test('CPU summary: self time by function and file, native work with its caller, our files inclusive, idle left out', () => {
  const ours = 'file:///x/dist/normalize/common.js';
  const lib = 'file:///x/node_modules/xstate/dist/raise.cjs.js';
  const profile = {
    nodes: [
      { id: 1, callFrame: frame('(root)'), children: [2, 5, 6] },
      { id: 2, callFrame: frame('toJson', ours, 16), children: [3] },
      { id: 3, callFrame: frame('microstep', lib, 9), children: [4] },
      { id: 4, callFrame: frame('sort'), children: [] },
      { id: 5, callFrame: frame('(idle)'), children: [] },
      { id: 6, callFrame: frame('(garbage collector)'), children: [] },
    ],
    // Each sample's time is the delta before the next: 2 -> 10 ms, 3 -> 20, 4 -> 30, 5 -> 500, 6 -> 40.
    samples: [2, 3, 4, 5, 6, 1],
    timeDeltas: [0, 10_000, 20_000, 30_000, 500_000, 40_000],
  };
  const cpu = cpuSummary(profile);
  assert.equal(cpu.totalMs, 100);
  assert.deepEqual(cpu.byFunction.map((s) => [s.name, s.amount, s.percent]), [
    ['(garbage collector)', 40, 40], ['sort <- microstep xstate/dist/raise.cjs.js:10', 30, 30],
    ['microstep xstate/dist/raise.cjs.js:10', 20, 20], ['toJson dist/normalize/common.js:17', 10, 10],
  ]);
  assert.deepEqual(cpu.byFile.map((s) => [s.name, s.amount]), [['xstate', 50], ['(garbage collector)', 40], ['dist/normalize/common.js', 10]]);
  assert.deepEqual(cpu.oursInclusive.map((s) => [s.name, s.amount]), [['dist/normalize/common.js', 60]]);
});

test('allocation summary: sampled bytes by function and file, collected or not', () => {
  const ours = 'file:///x/dist/diff/diff.js';
  const head = {
    callFrame: frame('(root)'), selfSize: 0, children: [
      { callFrame: frame('compare', ours, 15), selfSize: 1000, children: [{ callFrame: frame('Set'), selfSize: 3000, children: [] }] },
      { callFrame: frame('(V8 API)'), selfSize: 1000, children: [] },
    ],
  };
  const a = allocationSummary({ head });
  assert.equal(a.totalBytes, 5000);
  assert.deepEqual(a.byFunction.map((s) => [s.name, s.amount]), [['Set <- compare dist/diff/diff.js:16', 3000], ['compare dist/diff/diff.js:16', 1000], ['(V8 API)', 1000]]);
  assert.deepEqual(a.byFile.map((s) => [s.name, s.amount]), [['dist/diff/diff.js', 4000], ['(V8 API)', 1000]]);
  assert.deepEqual(a.oursInclusive.map((s) => [s.name, s.percent]), [['dist/diff/diff.js', 80]]);
});

test('the heap snapshot reader sums what JSON.parse of the same snapshot says', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'heap-'));
  const file = join(dir, 'small.heapsnapshot');
  const child = spawn(process.execPath, ['-e', `globalThis.keep = Array.from({length: 5000}, (_, i) => ({ i })); require('v8').writeHeapSnapshot(${JSON.stringify(file)})`]);
  assert.equal((await once(child, 'exit'))[0], 0);
  const buf = await readFile(file);
  const mine = heapSnapshotSummary(buf);
  const json = JSON.parse(buf.toString()) as { snapshot: { meta: { node_fields: string[]; node_types: [string[]] } }; nodes: number[]; strings: string[] };
  const f = json.snapshot.meta.node_fields;
  let total = 0;
  let objects = 0;
  for (let i = 0; i < json.nodes.length; i += f.length) {
    const size = json.nodes[i + f.indexOf('self_size')]!;
    total += size;
    const type = json.snapshot.meta.node_types[0][json.nodes[i + f.indexOf('type')]!];
    if (type === 'object' && json.strings[json.nodes[i + f.indexOf('name')]!] === 'Object') objects += size;
  }
  assert.equal(mine.totalBytes, total);
  assert.equal(mine.byConstructor.get('object:Object'), objects);
  assert.ok(objects >= 5000 * 16, 'the 5,000 kept objects are in it');
});

test('the profile hook profiles a process on command and does not keep it alive', async () => {
  const hook = new URL('../../dist/tools/bench/profile-hook.js', import.meta.url).href;
  const dir = await mkdtemp(join(tmpdir(), 'hook-'));
  const child = spawn(process.execPath, ['--import', hook, '-e', 'setInterval(() => JSON.parse(JSON.stringify({ a: [1, 2, 3] })), 1).unref(); setTimeout(() => {}, 1500)'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const ask = async (command: object) => {
    const reply = once(child, 'message');
    child.send(command);
    return ((await reply) as [{ files?: string[]; error?: string }])[0];
  };
  assert.deepEqual(await ask({ profile: 'start' }), { done: true, files: [] });
  await new Promise((r) => setTimeout(r, 300));
  const stopped = await ask({ profile: 'stop', dir, name: 'p' });
  assert.deepEqual(stopped.files, [join(dir, 'p.cpuprofile'), join(dir, 'p.heapprofile')]);
  const cpu = JSON.parse(await readFile(stopped.files![0]!, 'utf8')) as { samples: number[] };
  assert.ok(cpu.samples.length > 10);
  assert.equal((await ask({ nonsense: true })).error?.startsWith('unknown command'), true);
  const t0 = performance.now();
  const [code] = await once(child, 'exit');
  assert.equal(code, 0);
  assert.ok(performance.now() - t0 < 5000, 'the process ended when its work did, with the channel open');
});
