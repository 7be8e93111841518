import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { Controller } from '../../src/runtime/controller.js';
import { Manager, type LoadOutcome } from '../../src/operator/manager.js';
import type { Revision } from '../../src/core/types.js';
import type { Source } from '../../src/sources/source.js';
import { FakeKind, fakeResource, fakeState } from '../support/fake-kind.js';

const log = pino({ level: 'silent' });

/** A source driven by the test: deliver, fail, or report an unchanged fetch; counts refresh() calls. */
function scriptedSource() {
  let hooks: { revision: (r: Revision) => Promise<void>; error: (e: Error) => void; fetched?: (at: string) => void } | undefined;
  const refreshes = { count: 0 };
  const source: Source = {
    describe: () => ({ url: 'test://repo', ref: 'main' }),
    refresh: () => void refreshes.count++,
    async start(signal, onRevision, onError, onFetched) {
      hooks = { revision: onRevision, error: onError, ...(onFetched ? { fetched: onFetched } : {}) };
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    },
  };
  const revision = (id: string): Revision => ({ info: { id, source: 'test://repo', message: `commit ${id}`, author: 'A <a@x>' }, files: new Map() });
  return { source, hooks: () => hooks!, revision, refreshes };
}

test('the manager: ready after the first full sync; a broken revision is not applied; a failed fetch recovers', async () => {
  const kind = new FakeKind('Cluster');
  const controller = new Controller({ handlers: [kind], mode: 'run', log });
  const { source, hooks, revision } = scriptedSource();
  const outcomes: Record<string, LoadOutcome> = {
    good: { state: fakeState([fakeResource('Cluster', 'prod', { a: 1 })], 'good'), errors: [], warnings: [] },
    bad: { errors: [{ file: 'x.yaml', line: 3, col: 5, severity: 'error', path: '/spec/a', message: 'must be a number' }], warnings: [] },
  };
  let aborted = 0;
  const manager = new Manager({ controller, source, log, load: (r) => outcomes[r.info.id]!, resyncIntervalMs: 60_000, abortInFlight: () => void aborted++ });
  const stop = new AbortController();
  const running = manager.run(stop.signal);
  await new Promise((r) => setImmediate(r));
  assert.equal(manager.ready, false);

  await hooks().revision(revision('good'));
  await controller.idle();
  await new Promise((r) => setImmediate(r));
  assert.equal(manager.ready, true);
  assert.equal(controller.status.source?.phase, 'Ready');
  assert.equal(controller.status.source?.lastApplied?.message, 'commit good');

  await hooks().revision(revision('bad'));
  assert.equal(controller.status.source?.phase, 'Stalled');
  assert.equal(controller.status.source?.errors[0]?.file, 'x.yaml');
  assert.equal(controller.status.source?.lastApplied?.id, 'good', 'the last good revision stays in force');
  assert.equal(controller.desired?.revision.id, 'good');

  hooks().error(new Error('fetch failed: connection refused'));
  assert.equal(controller.status.source?.phase, 'Failed');
  hooks().fetched!('2026-11-22T10:00:00.000Z');
  assert.equal(controller.status.source?.phase, 'Stalled', 'back to what the last load said, not Ready');
  assert.equal(controller.status.source?.lastFetchTime, '2026-11-22T10:00:00.000Z');

  stop.abort();
  await running;
  assert.equal(manager.phase, 'stopped');
  assert.equal(aborted, 1, 'what is still in flight after the controller stopped is cut off');
});

test('ready even when a resource is let go before its first pass; no prune while the newest revision is broken', async () => {
  const kind = new FakeKind('Cluster');
  const release = kind.hold('slow');
  const timers: Array<() => void> = [];
  const clock = { now: () => Date.now(), setTimeout: (fn: () => void) => timers.push(fn), clearTimeout: () => {} };
  const controller = new Controller({ handlers: [kind], mode: 'run', log, concurrency: 2 });
  const removals: string[] = [];
  const pruner = {
    size: 1,
    consider: () => {},
    discover: async () => {},
    run: async () => {
      removals.push('run');
      return { deleted: [], blocked: [], kept: [], waiting: [] };
    },
  };
  const { source, hooks, revision } = scriptedSource();
  const outcomes: Record<string, LoadOutcome> = {
    both: { state: fakeState([fakeResource('Cluster', 'fast', {}), fakeResource('Cluster', 'slow', {})], 'both'), errors: [], warnings: [] },
    fast: { state: fakeState([fakeResource('Cluster', 'fast', {})], 'fast'), errors: [], warnings: [] },
    bad: { errors: [{ file: 'x.yaml', line: 1, col: 1, severity: 'error', path: '', message: 'broken' }], warnings: [] },
  };
  const manager = new Manager({
    controller, source, log, clock, load: (r) => outcomes[r.info.id]!, resyncIntervalMs: 60_000, pruner: pruner as never,
  });
  const stop = new AbortController();
  const running = manager.run(stop.signal);
  await new Promise((r) => setImmediate(r));
  await hooks().revision(revision('both'));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(manager.ready, false, 'slow has not had its pass');
  await hooks().revision(revision('fast')); // slow is let go mid-pass
  release();
  await controller.idle();
  assert.equal(manager.ready, true);

  await hooks().revision(revision('bad'));
  const before = removals.length;
  for (const fire of timers.splice(0)) fire(); // a resync comes due
  await controller.idle();
  await new Promise((r) => setImmediate(r));
  assert.equal(removals.length, before, 'no prune while the newest revision is broken');
  stop.abort();
  await running;
});

test('each resync wave asks the source to read again; reads failing for two intervals make the source stale and the operator not ready', async () => {
  let now = Date.parse('2026-11-22T10:00:00.000Z');
  const timers: Array<() => void> = [];
  const clock = { now: () => now, setTimeout: (fn: () => void) => timers.push(fn), clearTimeout: () => {} };
  const controller = new Controller({ handlers: [new FakeKind('Cluster')], mode: 'run', log });
  const { source, hooks, revision, refreshes } = scriptedSource();
  const good: LoadOutcome = { state: fakeState([fakeResource('Cluster', 'prod', {})], 'good'), errors: [], warnings: [] };
  const manager = new Manager({ controller, source, log, clock, load: () => good, resyncIntervalMs: 60_000 });
  const stop = new AbortController();
  const running = manager.run(stop.signal);
  await new Promise((r) => setImmediate(r));
  await hooks().revision({ ...revision('good'), info: { ...revision('good').info, fetchedAt: new Date(now).toISOString() } });
  await controller.idle();
  await new Promise((r) => setImmediate(r));
  assert.equal(manager.ready, true);

  const wave = async () => {
    now += 60_000;
    for (const fire of timers.splice(0)) fire();
    await controller.idle();
    await new Promise((r) => setImmediate(r));
  };
  await wave();
  assert.equal(refreshes.count, 1, 'the wave asked for a read');
  hooks().error(new Error('cannot read /srv/manifests: no such file or directory'));
  let s = controller.status.source!;
  assert.equal(s.phase, 'Failed');
  assert.equal(s.failures, 1);
  assert.equal(s.stale, undefined, 'one failed read is not stale');
  assert.equal(manager.ready, true, 'and readiness does not flap on it');

  await wave();
  hooks().error(new Error('cannot read /srv/manifests: no such file or directory'));
  s = controller.status.source!;
  assert.equal(refreshes.count, 2);
  assert.equal(s.failures, 2);
  assert.equal(s.failingSince, '2026-11-22T10:01:00.000Z');
  assert.equal(s.stale, true, 'nothing read for two intervals');
  assert.equal(manager.ready, false);

  hooks().fetched!(new Date(now).toISOString());
  s = controller.status.source!;
  assert.deepEqual([s.phase, s.failures, s.failingSince, s.stale], ['Ready', undefined, undefined, undefined]);
  assert.equal(manager.ready, true, 'a good read makes it ready again');
  stop.abort();
  await running;
});
