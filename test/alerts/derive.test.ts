// Transitions to alert events, as tables: each row a sequence of statuses one resource goes through
// and the event types it must give, in order. Repeats of the same state must give nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Difference } from '../../src/diff/types.js';
import { deriveResourceEvents, type ResourceMemory, type ResourceTransition } from '../../src/alerts/derive.js';
import { deriveSourceEvents, pruneBlockedEvent } from '../../src/alerts/derive-source.js';
import type { AlertEvent } from '../../src/alerts/events.js';
import type { Condition, ResourceStatus, SourceStatus } from '../../src/status/types.js';

const T0 = Date.parse('2030-01-01T00:00:00Z');
const at = (minutes: number) => T0 + minutes * 60_000;
const iso = (minutes: number) => new Date(at(minutes)).toISOString();

function status(extra: Partial<ResourceStatus> = {}): ResourceStatus {
  return { key: 'Service/web', kind: 'Service', name: 'web', sync: 'Synced', health: 'Healthy', conditions: [], revision: 'r1', ...extra };
}
const drifted = (live: number, extra: Partial<NonNullable<ResourceStatus['drift']>> = {}) =>
  status({ sync: 'OutOfSync', drift: { differences: [{ path: '/desiredCount', desired: 2, live }], firstSeen: iso(0), policy: 'alert', ...extra } });
const cond = (type: Condition['type'], reason: Condition['reason'], sinceMin = 0): Condition => ({ type, reason, message: `${reason} happened`, since: iso(sinceMin) });
const stalled = (reason: Condition['reason']) => status({ sync: 'OutOfSync', conditions: [cond('Stalled', reason)] });
const retrying = (sinceMin: number) => status({ sync: 'Unknown', conditions: [cond('Retrying', 'TransientError', sinceMin)] });

type Step = Partial<ResourceTransition> & { current: ResourceStatus | undefined; minute?: number };

/** Runs the steps through derive with one memory, as the Alerts service does. */
function run(steps: Step[]): AlertEvent[] {
  let memory: ResourceMemory = {};
  let previous: ResourceStatus | undefined;
  const out: AlertEvent[] = [];
  for (const step of steps) {
    const result = deriveResourceEvents({ key: 'Service/web', previous, at: at(step.minute ?? 1), ...step }, memory);
    memory = result.memory;
    previous = step.current;
    out.push(...result.events);
  }
  return out;
}
const types = (events: AlertEvent[]) => events.map((e) => e.type);
const healPass = (differences: Difference[] = [{ path: '/desiredCount', desired: 2, live: 5 }]): Step =>
  ({ current: status(), healed: differences });

const table: Array<{ name: string; steps: Step[]; expect: string[] }> = [
  { name: 'idle passes in sync give nothing', steps: [{ current: status() }, { current: status() }], expect: [] },
  { name: 'alert-only drift: detected once, however many passes see it', steps: [{ current: status() }, { current: drifted(5) }, { current: drifted(5) }, { current: drifted(5) }], expect: ['DriftDetected'] },
  { name: 'a different drift is a new transition', steps: [{ current: drifted(5) }, { current: drifted(7) }], expect: ['DriftDetected', 'DriftDetected'] },
  { name: 'drift seen and healed in one pass', steps: [{ current: status() }, healPass(), { current: status() }], expect: ['DriftDetected', 'DriftResolved'] },
  { name: 'alert-only drift changed back out of band', steps: [{ current: drifted(5) }, { current: status() }], expect: ['DriftDetected', 'DriftResolved'] },
  { name: 'alert-only drift, then a fight flag', steps: [{ current: drifted(5, { policy: 'heal' }) }, { current: drifted(5, { policy: 'heal', fighting: true }) }], expect: ['DriftDetected', 'DriftDetected'] },
  { name: 'policy ignore raises no drift event', steps: [{ current: drifted(5, { policy: 'ignore' }) }, { current: status() }], expect: [] },
  { name: 'manifest removed while drifted', steps: [{ current: drifted(5) }, { current: undefined }], expect: ['DriftDetected', 'DriftResolved'] },
  { name: 'stalled once, then recovered', steps: [{ current: stalled('RequiresReplacement') }, { current: stalled('RequiresReplacement') }, { current: status() }], expect: ['SyncFailed', 'Recovered'] },
  { name: 'another stalled reason is another alert', steps: [{ current: stalled('AccessDenied') }, { current: stalled('NotOwned') }], expect: ['SyncFailed', 'SyncFailed'] },
  { name: 'a short Retrying is not a failure', steps: [{ current: retrying(0), minute: 1 }, { current: status(), minute: 2 }], expect: [] },
  { name: 'a lasting Retrying is SyncFailed, once', steps: [{ current: retrying(0), minute: 1 }, { current: retrying(0), minute: 6 }, { current: retrying(0), minute: 9 }, { current: status(), minute: 10 }], expect: ['SyncFailed', 'Recovered'] },
  { name: 'rollout failure: Degraded then Stalled is one RolloutFailed', steps: [{ current: status({ health: 'Progressing' }) }, { current: status({ health: 'Degraded', healthMessage: 'rollout of web:3 failed: tasks failed to start; rolled back to web:2' }), rolloutFailed: true }, { current: stalled('RolloutFailed') }], expect: ['RolloutFailed'] },
  { name: 'Recovered waits for Healthy', steps: [{ current: stalled('RolloutFailed') }, { current: status({ health: 'Progressing' }) }, { current: status() }], expect: ['RolloutFailed', 'Recovered'] },
  { name: 'Degraded without a rollout failure is no RolloutFailed', steps: [{ current: status({ health: 'Degraded', healthMessage: 'running 1 of 2 desired tasks' }) }], expect: [] },
];

for (const row of table) {
  test(`derive: ${row.name}`, () => {
    assert.deepEqual(types(run(row.steps)), row.expect);
  });
}

test('derive: events carry a stable dedup key, the revision, masked differences and the resolution', () => {
  const secret = [{ path: '/containerDefinitions/0/environment/0/value', desired: 'new-pass', live: 'old-pass' }];
  const specs = { desired: { containerDefinitions: [{ name: 'web', environment: [{ name: 'DB_PASSWORD', value: 'new-pass' }] }] } };
  const events = run([{ current: status(), revision: { id: 'r1', message: 'Scale web', author: 'Ada' } }, { ...healPass(secret), specs, revision: { id: 'r1' } }]);
  const [detected, resolved] = events;
  assert.equal(detected!.key, 'Service/web/DriftDetected');
  assert.equal(resolved!.key, 'Service/web/DriftResolved');
  assert.deepEqual(detected!.differences, [{ path: secret[0]!.path, desired: '*** (changed)', live: '***' }]);
  assert.equal(resolved!.details?.resolution, 'healed');
  assert.deepEqual(detected!.revision, { id: 'r1' });
  assert.equal(detected!.severity, 'warning');
  assert.match(detected!.message, /Service\/web differs from Git in 1 field: healing/);
});

test('derive: drift resolved by a new revision says Git', () => {
  const events = run([{ current: drifted(5) }, { current: status({ revision: 'r2' }) }]);
  assert.equal(events[1]!.details?.resolution, 'git');
});

test('derive source: Stalled alerts once per broken revision, Ready recovers', () => {
  const base: SourceStatus = { url: 'https://user:tok@git.example/ops.git', phase: 'Ready', errors: [] };
  const broken = (id: string): SourceStatus => ({
    ...base, phase: 'Stalled', lastFetched: { id, source: base.url, message: 'Break it', author: 'Bob' },
    errors: [{ file: 'web/service.yaml', line: 3, col: 5, severity: 'error', path: '/spec', message: 'unknown field' }],
  });
  let memory = {};
  const seen: AlertEvent[] = [];
  for (const s of [base, broken('a'), broken('a'), broken('b'), { ...base, lastApplied: { id: 'c', source: base.url } }, base]) {
    const r = deriveSourceEvents(s, memory, T0);
    memory = r.memory;
    seen.push(...r.events);
  }
  assert.deepEqual(types(seen), ['SourceFailed', 'SourceFailed', 'Recovered']);
  assert.equal(seen[0]!.key, 'Source/source/SourceFailed');
  assert.equal(seen[0]!.details?.firstError, 'web/service.yaml:3:5: unknown field (at /spec)');
  assert.doesNotMatch(JSON.stringify(seen), /tok@/, 'credentials in the URL are not repeated');
  assert.deepEqual(seen[0]!.revision, { id: 'a', message: 'Break it', author: 'Bob' });
});

test('derive prune: one resource or a batch', () => {
  const one = pruneBlockedEvent({ resources: ['Service/old'], reason: 'annotated prune: "false"', at: T0 });
  assert.equal(one.key, 'Service/old/PruneBlocked');
  const batch = pruneBlockedEvent({ resources: ['Service/a', 'Service/b'], reason: '2 deletions exceed --prune-max 1', at: T0 });
  assert.equal(batch.key, 'Prune/batch/PruneBlocked');
  assert.match(batch.message, /nothing was deleted \(would delete Service\/a, Service\/b\)/);
});
