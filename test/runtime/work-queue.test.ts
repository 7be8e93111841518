import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkQueue } from '../../src/runtime/work-queue.js';
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
