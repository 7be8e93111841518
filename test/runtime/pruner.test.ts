import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { Pruner } from '../../src/runtime/pruner.js';
import { StatusStore } from '../../src/status/store.js';
import type { DesiredState } from '../../src/core/types.js';
import type { ReconcileContext } from '../../src/runtime/kind-handler.js';
import { FakeKind, fakeResource, fakeState } from '../support/fake-kind.js';
import { KIND_ORDER } from '../../src/kinds/registry.js';

const log = pino({ level: 'silent' });

function setup(maxDeletes = 5, allowEmpty = true, pruneAdopted = false) {
  const clusters = new FakeKind('Cluster');
  const services = new FakeKind('Service');
  const status = new StatusStore(KIND_ORDER);
  const context = (desired: DesiredState) => ({
    now: 0, notBefore: 0, mode: 'run', instance: 'default', adopt: true, driftDefault: 'heal', revision: desired.revision,
    desired, outputsOf: () => undefined, log, signal: new AbortController().signal,
  }) as ReconcileContext;
  const state = { current: fakeState([]) };
  const pruner = new Pruner({ handlers: [clusters, services], status, log, maxDeletes, allowEmpty, pruneAdopted, context, current: () => state.current });
  /** Runs the pruner with `desired` as the state in force. */
  const run = (desired: DesiredState) => {
    state.current = desired;
    return pruner.run();
  };
  return { clusters, services, status, pruner, run, state };
}

const empty = fakeState([]);

test('removed manifests are deleted services first, clusters last', async () => {
  const { clusters, services, pruner, run } = setup();
  clusters.own('prod');
  services.own('web');
  const former = fakeState([fakeResource('Cluster', 'prod', {}), fakeResource('Service', 'web', {})]);
  pruner.consider([...former.resources.values()], former);
  const out = await run(empty);
  assert.deepEqual(out.deleted, ['Service/web', 'Cluster/prod']);
  assert.equal(pruner.size, 0);
});

test('more deletions than --prune-max: nothing is deleted, every candidate reports PruneBlocked', async () => {
  const { services, status, pruner, run } = setup(2);
  for (const n of ['a', 'b', 'c']) services.own(n);
  const former = fakeState(['a', 'b', 'c'].map((n) => fakeResource('Service', n, {})));
  pruner.consider([...former.resources.values()], former);
  const out = await run(empty);
  assert.deepEqual(out.deleted, []);
  assert.deepEqual(out.blocked.sort(), ['Service/a', 'Service/b', 'Service/c']);
  assert.equal(services.live.size, 3);
  const s = status.get('Service/a')!;
  assert.equal(s.pruning, true);
  assert.equal(s.conditions[0]?.reason, 'PruneBlocked');
  assert.match(s.conditions[0]!.message, /more than --prune-max 2/);
  // Restoring one manifest brings the batch within the guard.
  const back = fakeState([fakeResource('Service', 'a', {})]);
  const second = await run(back);
  assert.deepEqual(second.deleted.sort(), ['Service/b', 'Service/c']);
  assert.equal(status.get('Service/a'), undefined, 'no longer pruning');
});

test('protected, foreign and already deleted resources are left alone', async () => {
  const { services, pruner, run } = setup();
  services.own('keep-annotation');
  services.own('keep-tag', {}, { 'ecs-operator.dev/prune': 'false' });
  services.live.set('foreign', { spec: {}, tags: { 'ecs-operator.dev/managed-by': 'other-instance', 'ecs-operator.dev/resource': 'Service/foreign' } });
  services.live.set('console', { spec: {}, tags: {} });
  const former = fakeState([
    fakeResource('Service', 'keep-annotation', {}, { policy: { drift: undefined, ignoreDifferences: [], prune: false } }),
    fakeResource('Service', 'keep-tag', {}), fakeResource('Service', 'foreign', {}), fakeResource('Service', 'console', {}),
    fakeResource('Service', 'gone', {}),
  ]);
  pruner.consider([...former.resources.values()], former);
  const out = await run(empty);
  assert.deepEqual(out.deleted, []);
  assert.deepEqual(out.kept.sort(), ['Service/keep-annotation', 'Service/keep-tag']);
  assert.equal(services.live.size, 4);
  assert.equal(pruner.size, 0);
});

test('adopted resources (origin=adopted, or no origin: older versions) are kept, unless --prune-adopted or prune: "true" says otherwise', async () => {
  const adopted = (extra: Record<string, string> = {}, origin: 'adopted' | undefined = 'adopted') => {
    const { services, pruner, run } = setup();
    services.own('adopted', {}, extra, origin);
    return { services, pruner, run };
  };
  const former = (policy = {}) => fakeState([fakeResource('Service', 'adopted', {}, { policy: { drift: undefined, ignoreDifferences: [], prune: true, ...policy } })]);
  for (const origin of ['adopted', undefined] as const) {
    const { services, pruner, run } = adopted({}, origin);
    const state = former();
    pruner.consider([...state.resources.values()], state);
    const out = await run(empty);
    assert.deepEqual([out.deleted, out.adopted], [[], ['Service/adopted']], `origin ${origin}`);
    assert.ok(services.live.has('adopted'));
    assert.equal(pruner.size, 0, 'not retried');
  }
  // The annotation, as written in the removed manifest or as tagged (after a restart).
  const annotated = adopted();
  const state = former({ pruneAdopted: true });
  annotated.pruner.consider([...state.resources.values()], state);
  assert.deepEqual((await annotated.run(empty)).deleted, ['Service/adopted']);
  const tagged = adopted({ 'ecs-operator.dev/prune': 'true' });
  await tagged.pruner.discover(empty);
  assert.deepEqual((await tagged.run(empty)).deleted, ['Service/adopted']);
  // The flag.
  const { services, pruner, run } = setup(5, true, true);
  services.own('adopted', {}, {}, 'adopted');
  await pruner.discover(empty);
  assert.deepEqual((await run(empty)).deleted, ['Service/adopted']);
});

test('after a restart, owned resources missing from the revision are found by their tags', async () => {
  const { clusters, services, pruner, run } = setup();
  clusters.own('prod');
  services.own('web');
  services.own('old');
  const desired = fakeState([fakeResource('Cluster', 'prod', {}), fakeResource('Service', 'web', {})]);
  await pruner.discover(desired);
  const out = await run(desired);
  assert.deepEqual(out.deleted, ['Service/old']);
});

test('a deletion that cannot finish yet stays pending and is retried', async () => {
  const { clusters, status, pruner, run } = setup();
  clusters.own('prod');
  clusters.notYetGone.add('prod');
  const former = fakeState([fakeResource('Cluster', 'prod', {})]);
  pruner.consider([...former.resources.values()], former);
  assert.deepEqual((await run(empty)).waiting, ['Cluster/prod']);
  assert.equal(status.get('Cluster/prod')?.healthMessage, 'not empty yet');
  clusters.notYetGone.clear();
  assert.deepEqual((await run(empty)).deleted, ['Cluster/prod']);
  assert.equal(status.get('Cluster/prod'), undefined);
});

test('a revision that declares nothing prunes nothing, unless allowed', async () => {
  const { services, status, pruner, run } = setup(5, false);
  services.own('web');
  const former = fakeState([fakeResource('Service', 'web', {})]);
  pruner.consider([...former.resources.values()], former);
  const out = await run(empty);
  assert.deepEqual(out.blocked, ['Service/web']);
  assert.match(status.get('Service/web')!.conditions[0]!.message, /declares no resources/);
  assert.equal(services.live.size, 1);
});

test('a kind whose observe reads no tags is asked for them before its ownership is judged', async () => {
  const { services, pruner, run } = setup();
  services.own('web');
  const tags = services.live.get('web')!.tags;
  // This kind's observe returns no tags; liveTags reads them on demand.
  const observe = services.observe.bind(services);
  services.observe = async (r) => ({ ...(await observe(r)), tags: {} });
  (services as unknown as { liveTags: () => Promise<Record<string, string>> }).liveTags = async () => tags;
  const former = fakeState([fakeResource('Service', 'web', {})]);
  pruner.consider([...former.resources.values()], former);
  assert.deepEqual((await run(empty)).deleted, ['Service/web']);
});

test('a resource declared again while a prune run is under way is not deleted', async () => {
  const { services, pruner, state } = setup();
  services.own('a');
  services.own('b');
  const former = fakeState([fakeResource('Service', 'a', {}), fakeResource('Service', 'b', {})]);
  pruner.consider([...former.resources.values()], former);
  state.current = fakeState([]);
  const remove = services.remove.bind(services);
  services.remove = async (owned) => {
    // While the first deletion runs, a revision declares b again.
    state.current = fakeState([fakeResource('Service', 'b', {})]);
    return remove(owned);
  };
  const out = await pruner.run();
  assert.deepEqual(out.deleted, ['Service/a']);
  assert.ok(services.live.has('b'));
});
