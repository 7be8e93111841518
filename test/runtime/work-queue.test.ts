import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PRIORITY_CHANGED, PRIORITY_UNBLOCKED, WorkQueue } from '../../src/runtime/work-queue.js';
import { Backoff } from '../../src/runtime/backoff.js';

const tick = () => new Promise((r) => setImmediate(r));

test('a key is queued once and processed by one worker at a time; an add during processing runs again', async () => {
  const q = new WorkQueue<string>({ concurrency: 4 });
  const runs: string[] = [];
  let active = 0;
  let maxActivePerKey = 0;
  const gates: Array<() => void> = [];
  q.start(async (key) => {
    active++;
    maxActivePerKey = Math.max(maxActivePerKey, active);
    runs.push(key);
    await new Promise<void>((r) => gates.push(r));
    active--;
  });
  q.add('a');
  q.add('a');
  await tick();
  assert.deepEqual(runs, ['a']);
  q.add('a'); // while in process: dirty
  gates.shift()!();
  await tick();
  await tick();
  assert.deepEqual(runs, ['a', 'a']);
  gates.shift()!();
  await q.idle();
  assert.equal(maxActivePerKey, 1);
});

test('the concurrency cap holds and FIFO order is kept', async () => {
  const q = new WorkQueue<number>({ concurrency: 2 });
  let active = 0;
  let peak = 0;
  const order: number[] = [];
  q.start(async (n) => {
    active++;
    peak = Math.max(peak, active);
    order.push(n);
    await new Promise((r) => setTimeout(r, 2));
    active--;
  });
  for (let i = 0; i < 10; i++) q.add(i);
  await q.idle();
  assert.equal(peak, 2);
  assert.deepEqual(order, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('addAfter keeps the earliest due time and uses the injected clock', () => {
  let now = 1000;
  const timers: Array<{ at: number; fn: () => void; id: number }> = [];
  let id = 0;
  const clock = {
    now: () => now,
    setTimeout: (fn: () => void, ms: number) => { timers.push({ at: now + ms, fn, id: ++id }); return id; },
    clearTimeout: (h: unknown) => { const i = timers.findIndex((t) => t.id === h); if (i >= 0) timers.splice(i, 1); },
  };
  const q = new WorkQueue<string>({ clock });
  const seen: string[] = [];
  q.start(async (k) => { seen.push(k); });
  q.addAfter('x', 5000);
  q.addAfter('x', 9000); // later: ignored
  assert.equal(q.dueAt('x'), 6000);
  q.addAfter('x', 1000); // sooner: replaces
  assert.equal(q.dueAt('x'), 2000);
  assert.equal(timers.length, 1);
  now = 2000;
  timers.shift()!.fn();
  assert.deepEqual(seen, ['x']);
});

test('backoff grows per key, is capped, jittered within [ceiling/2, ceiling], and resets', () => {
  const b = new Backoff<string>({ baseMs: 1000, maxMs: 8000, random: () => 1 });
  assert.deepEqual([b.next('k'), b.next('k'), b.next('k'), b.next('k'), b.next('k')], [1000, 2000, 4000, 8000, 8000]);
  const low = new Backoff<string>({ baseMs: 1000, random: () => 0 });
  assert.equal(low.next('k'), 500);
  assert.equal(b.next('other'), 1000);
  b.reset('k');
  assert.equal(b.next('k'), 1000);
});

test('a free worker takes the highest priority queued first, first-in-first-out among equals', async () => {
  const q = new WorkQueue<string>({ concurrency: 1 });
  const order: string[] = [];
  const gates: Array<() => void> = [];
  q.start(async (key) => {
    order.push(key);
    await new Promise<void>((r) => gates.push(r));
  });
  q.add('td-0');
  await tick();
  // While td-0 is in process, a backlog of ordinary work queues, then work it unblocked.
  for (let i = 1; i <= 4; i++) q.add(`td-${i}`);
  q.add('svc-0', PRIORITY_UNBLOCKED);
  q.add('svc-1', PRIORITY_UNBLOCKED);
  while (order.length < 7) {
    gates.shift()?.();
    await tick();
    // A pass of td-1 unblocks its service: it goes before td-2..4, which were queued earlier.
    if (order.at(-1) === 'td-1' && !order.includes('svc-2')) q.add('svc-2', PRIORITY_UNBLOCKED);
  }
  gates.shift()?.();
  await tick();
  gates.shift()?.();
  await q.idle();
  assert.deepEqual(order, ['td-0', 'svc-0', 'svc-1', 'td-1', 'svc-2', 'td-2', 'td-3', 'td-4']);
});

test('a queued key asked for at a higher priority moves up once; at a lower one it keeps its place', async () => {
  const q = new WorkQueue<string>({ concurrency: 1 });
  const order: string[] = [];
  for (const key of ['a', 'b', 'c', 'd']) q.add(key);
  q.add('c', PRIORITY_UNBLOCKED);
  q.add('c', PRIORITY_UNBLOCKED);
  q.add('c');
  assert.equal(q.size.ready, 4);
  q.start(async (key) => { order.push(key); });
  await q.idle();
  assert.deepEqual(order, ['c', 'a', 'b', 'd']);
});

test('a key asked for at a higher priority while in process runs again at that priority', async () => {
  const q = new WorkQueue<string>({ concurrency: 1 });
  const order: string[] = [];
  let release: (() => void) | undefined;
  q.start(async (key) => {
    order.push(key);
    if (order.length === 1) await new Promise<void>((r) => { release = r; });
  });
  q.add('a');
  await tick();
  q.add('b');
  q.add('c');
  q.add('a', PRIORITY_UNBLOCKED); // in process: marked dirty at the higher priority
  release!();
  await q.idle();
  assert.deepEqual(order, ['a', 'a', 'b', 'c']);
});

test('five thousand queued keys are taken in the order they were added', async () => {
  const q = new WorkQueue<number>({ concurrency: 8 });
  const order: number[] = [];
  for (let i = 0; i < 5_000; i++) q.add(i);
  q.start(async (n) => { order.push(n); });
  await q.idle();
  assert.deepEqual(order, Array.from({ length: 5_000 }, (_, i) => i));
});

test('three lanes: unblocked work, then changes, then a resync wave backlog', async () => {
  const q = new WorkQueue<string>({ concurrency: 1 });
  const order: string[] = [];
  for (let i = 0; i < 3; i++) q.add(`resync-${i}`);
  for (let i = 0; i < 2; i++) q.add(`changed-${i}`, PRIORITY_CHANGED);
  q.add('unblocked', PRIORITY_UNBLOCKED);
  q.start(async (key) => { order.push(key); });
  await q.idle();
  assert.deepEqual(order, ['unblocked', 'changed-0', 'changed-1', 'resync-0', 'resync-1', 'resync-2']);
});
