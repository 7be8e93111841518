import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { Controller } from '../../src/runtime/controller.js';
import { Manager, type LoadOutcome } from '../../src/runtime/manager.js';
import type { Revision } from '../../src/core/types.js';
import type { Source } from '../../src/sources/source.js';
import { FakeKind, fakeResource, fakeState } from '../support/fake-kind.js';

const log = pino({ level: 'silent' });

/** A source driven by the test: deliver, fail, or report an unchanged fetch. */
function scriptedSource() {
  let hooks: { revision: (r: Revision) => Promise<void>; error: (e: Error) => void; fetched?: (at: string) => void } | undefined;
  const source: Source = {
    describe: () => ({ url: 'test://repo', ref: 'main' }),
    refresh: () => {},
    async start(signal, onRevision, onError, onFetched) {
      hooks = { revision: onRevision, error: onError, ...(onFetched ? { fetched: onFetched } : {}) };
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    },
  };
  const revision = (id: string): Revision => ({ info: { id, source: 'test://repo', message: `commit ${id}`, author: 'A <a@x>' }, files: new Map() });
  return { source, hooks: () => hooks!, revision };
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
