// The alerting service on a real controller (with the in-memory fake kind): a healed drift gives
// DriftDetected then DriftResolved with its field diff; an alert-only drift gives one DriftDetected
// however many resyncs see it, then reminders on a simulated clock; the source and prune give theirs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { Alerts } from '../../src/alerts/alerts.js';
import { AlertDispatcher, type AlertSink } from '../../src/alerts/dispatcher.js';
import type { AlertEvent } from '../../src/alerts/events.js';
import { Controller } from '../../src/runtime/controller.js';
import { FakeKind, fakeResource, fakeState } from '../support/fake-kind.js';

const log = pino({ level: 'silent' });

function setup() {
  let now = Date.parse('2030-01-01T00:00:00Z');
  const timers: Array<{ at: number; fn: () => void }> = [];
  const clock = {
    now: () => now,
    setTimeout: (fn: () => void, ms: number) => { const t = { at: now + ms, fn }; timers.push(t); return t; },
    clearTimeout: (t: unknown) => { const i = timers.indexOf(t as never); if (i >= 0) timers.splice(i, 1); },
  };
  const advance = (ms: number) => {
    now += ms;
    for (const t of timers.filter((x) => x.at <= now)) { timers.splice(timers.indexOf(t), 1); t.fn(); }
  };
  const kind = new FakeKind();
  const controller = new Controller({ handlers: [kind], mode: 'run', log, clock, backoff: { baseMs: 60_000 } });
  const delivered: AlertEvent[] = [];
  const sink: AlertSink = { name: 'memory', send: async (e) => void delivered.push(e) };
  const dispatcher = new AlertDispatcher({ sinks: [sink] });
  const alerts = new Alerts({ status: controller.status, dispatcher, clock, log });
  const stop = alerts.start();
  controller.onPass((report) => alerts.observePass(report));
  controller.start();
  const settle = async () => {
    await controller.resync();
    await controller.idle();
    await dispatcher.idle();
  };
  return { kind, controller, alerts, delivered, settle, advance, close: async () => { stop(); await controller.stop(); } };
}

const summary = (events: AlertEvent[]) => events.map((e) => `${e.type} ${e.resource.name}`);

test('alerts: a healed drift, and an alert-only drift alerted once then reminded', async () => {
  const t = setup();
  const alertOnly = { drift: 'alert' as const, ignoreDifferences: [], prune: true };
  t.controller.setDesired(fakeState([
    fakeResource('Cluster', 'heal', { size: 2 }),
    fakeResource('Cluster', 'watch', { size: 2 }, { policy: alertOnly }),
    fakeResource('Cluster', 'quiet', { size: 2 }, { policy: { ...alertOnly, drift: 'ignore' } }),
  ]));
  await t.settle();
  assert.equal(t.delivered.length, 0, 'creating raises nothing');

  for (const name of ['heal', 'watch', 'quiet']) t.kind.live.get(name)!.spec.size = 5;
  await t.settle();
  await t.settle();
  await t.settle();
  assert.deepEqual(summary(t.delivered).sort(), ['DriftDetected heal', 'DriftDetected watch', 'DriftResolved heal']);
  const detected = t.delivered.find((e) => e.key === 'Cluster/heal/DriftDetected')!;
  assert.deepEqual(detected.differences, [{ path: '/size', desired: 2, live: 5 }]);
  assert.equal(t.delivered.find((e) => e.key === 'Cluster/heal/DriftResolved')!.details?.resolution, 'healed');
  assert.equal(t.kind.live.get('watch')!.spec.size, 5, 'alert-only: left as it is');

  t.advance(16 * 60_000);
  await t.settle();
  const reminders = t.delivered.filter((e) => e.type === 'DriftPersisting');
  assert.deepEqual(summary(reminders), ['DriftPersisting watch']);
  assert.match(reminders[0]!.message, /has differed from Git for 16m/);

  t.kind.live.get('watch')!.spec.size = 2; // changed back by hand
  await t.settle();
  assert.equal(t.delivered.at(-1)!.key, 'Cluster/watch/DriftResolved');
  assert.equal(t.delivered.at(-1)!.details?.resolution, 'reverted');
  assert.deepEqual(t.alerts.recent(2).map((e) => e.type), ['DriftResolved', 'DriftPersisting'], 'newest first');
  await t.close();
});

test('alerts: source failures and recovery; prune refusals once per set', async () => {
  const t = setup();
  const status = t.controller.status;
  status.setSource({ url: '/srv/manifests', phase: 'Ready', errors: [], lastApplied: { id: 'r1', source: '/srv/manifests' } });
  status.setSource({ url: '/srv/manifests', phase: 'Stalled', errors: [{ file: 'a.yaml', line: 1, col: 1, severity: 'error', path: '', message: 'bad' }], lastFetched: { id: 'r2', source: '/srv/manifests' } });
  status.setSource({ url: '/srv/manifests', phase: 'Ready', errors: [], lastApplied: { id: 'r3', source: '/srv/manifests' } });
  for (const name of ['a', 'b']) {
    status.set({ key: `Service/${name}`, kind: 'Service', name, sync: 'OutOfSync', health: 'Progressing', pruning: true,
      conditions: [{ type: 'Stalled', reason: 'PruneBlocked', message: 'prune blocked: 2 resources would be deleted, more than --prune-max 1', since: new Date().toISOString() }] });
  }
  // The pruner's outcome of that run, as Pruner.onPrune hands it on.
  t.alerts.observePrune({ deleted: [], blocked: ['Service/a', 'Service/b'], kept: [], adopted: [], waiting: [], errors: [], refusal: '2 resources would be deleted, more than --prune-max 1' });
  t.alerts.pruneBlocked({ resources: ['Service/b', 'Service/a'], reason: 'again' });
  await t.settle();
  assert.deepEqual(t.delivered.map((e) => e.key), ['Source/source/SourceFailed', 'Source/source/Recovered', 'Prune/batch/PruneBlocked']);
  assert.match(t.delivered[2]!.message, /^prune blocked: 2 resources would be deleted, more than --prune-max 1; nothing was deleted/);
  status.delete('Service/a'); // let go: a later refusal of the same set is news again
  t.alerts.pruneBlocked({ resources: ['Service/a', 'Service/b'], reason: 'again' });
  await t.settle();
  assert.equal(t.delivered.filter((e) => e.type === 'PruneBlocked').length, 2);
  await t.close();
});
