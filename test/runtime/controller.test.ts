import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { Controller } from '../../src/runtime/controller.js';
import { toOperatorError } from '../../src/aws/errors.js';
import { FakeKind, fakeResource, fakeState } from '../support/fake-kind.js';
import type { DesiredResource } from '../../src/core/types.js';

const log = pino({ level: 'silent' });

function setup(kind = new FakeKind(), options: Partial<ConstructorParameters<typeof Controller>[0]> = {}) {
  const controller = new Controller({ handlers: [kind], mode: 'run', log, backoff: { baseMs: 60_000 }, ...options });
  controller.start();
  return { kind, controller };
}

test('creates a missing resource, then idle passes write nothing', async () => {
  const { kind, controller } = setup();
  controller.setDesired(fakeState([fakeResource('Cluster', 'prod', { a: 1 })]));
  await controller.idle();
  assert.deepEqual(kind.calls, ['observe prod', 'created prod']);
  const status = controller.status.get('Cluster/prod')!;
  assert.equal(status.sync, 'Synced');
  assert.equal(status.health, 'Healthy');
  assert.equal(status.liveArn, 'arn:fake:prod');
  await controller.resync();
  await controller.idle();
  assert.equal(kind.writes(), 1, 'no write on an idle resync');
  await controller.stop();
});

test('a write the backend does not keep is made twice, then Stalled naming the field until something changes', async () => {
  const { kind, controller } = setup();
  kind.ignoreOnWrite.add('b');
  controller.setDesired(fakeState([fakeResource('Cluster', 'prod', { a: 1 })]));
  await controller.idle();
  controller.setDesired(fakeState([fakeResource('Cluster', 'prod', { a: 1, b: 2 })], 'r2'));
  await controller.idle();
  assert.equal(kind.writes(), 1 + 2, 'created, then two writes of /b');
  const status = controller.status.get('Cluster/prod')!;
  assert.equal(status.conditions[0]?.type, 'Stalled');
  assert.equal(status.conditions[0]?.reason, 'NotKept');
  assert.match(status.conditions[0]!.message, /^AWS did not keep \/b: wrote 2, reads nothing/);
  assert.equal(status.sync, 'OutOfSync');
  for (let i = 0; i < 3; i++) {
    await controller.resync();
    await controller.idle();
  }
  assert.equal(kind.writes(), 3, 'no more writes on resyncs');
  // The manifest changes: written again (and, not kept, stalled again after two).
  controller.setDesired(fakeState([fakeResource('Cluster', 'prod', { a: 1, b: 3 })], 'r3'));
  await controller.idle();
  assert.equal(kind.writes(), 5);
  // The backend keeps it now and the live value changes: a write goes through and sticks.
  kind.ignoreOnWrite.clear();
  kind.live.get('prod')!.spec.b = 7;
  await controller.resync();
  await controller.idle();
  assert.equal(kind.live.get('prod')!.spec.b, 3);
  assert.equal(controller.status.get('Cluster/prod')!.sync, 'Synced');
  await controller.stop();
});

test('drift is healed under heal (ever less eagerly), reported under alert, and a fight stops healing', async () => {
  let now = 1_000_000;
  const clock = { now: () => now, setTimeout: () => 0, clearTimeout: () => {} };
  const { kind, controller } = setup(new FakeKind(), { clock });
  const heal = fakeResource('Cluster', 'heal', { a: 1 });
  const alert = fakeResource('Cluster', 'alert', { a: 1 }, { policy: { drift: 'alert', ignoreDifferences: [], prune: true } });
  controller.setDesired(fakeState([heal, alert]));
  await controller.idle();
  const writesAfterCreate = kind.writes();

  // Someone keeps changing it back: after the first heal, the next waits 15 s, the one after 1 min.
  const healsAt: number[] = [];
  for (const advance of [0, 5_000, 15_000, 30_000, 60_000, 240_000]) {
    now += advance;
    kind.live.get('heal')!.spec.a = 99;
    kind.live.get('alert')!.spec.a = 99;
    const before = kind.writes();
    await controller.resync();
    await controller.idle();
    if (kind.writes() > before) healsAt.push(now);
  }
  const healStatus = controller.status.get('Cluster/heal')!;
  assert.deepEqual(healsAt.map((t) => t - 1_000_000), [0, 20_000, 110_000], 'healed at once, after 15 s, after 1 min; then the fight holds');
  assert.equal(kind.writes() - writesAfterCreate, 3, 'three heals; the alert resource is never written');
  assert.equal(healStatus.sync, 'OutOfSync');
  assert.equal(healStatus.drift?.fighting, true);
  assert.equal(healStatus.drift?.heals?.length, 3);

  const alertStatus = controller.status.get('Cluster/alert')!;
  assert.equal(alertStatus.sync, 'OutOfSync');
  assert.deepEqual(alertStatus.drift?.differences, [{ path: '/a', desired: 1, live: 99 }]);
  assert.equal(kind.live.get('alert')!.spec.a, 99, 'left as it is');

  // A manifest change is Git's: applied even under alert.
  controller.setDesired(fakeState([heal, fakeResource('Cluster', 'alert', { a: 2 }, { policy: alert.policy })], 'r2'));
  await controller.idle();
  assert.equal(kind.live.get('alert')!.spec.a, 2);
  assert.equal(controller.status.get('Cluster/alert')!.sync, 'Synced');
  assert.equal(controller.status.get('Cluster/alert')!.revision, 'r2');
  await controller.stop();
});

test('first-seen time of a drift survives passes', async () => {
  let now = 1_000_000;
  const clock = { now: () => now, setTimeout: () => 0, clearTimeout: () => {} };
  const { kind, controller } = setup(new FakeKind(), { clock });
  const r = fakeResource('Cluster', 'c', { a: 1 }, { policy: { drift: 'alert', ignoreDifferences: [], prune: true } });
  controller.setDesired(fakeState([r]));
  await controller.idle();
  kind.live.get('c')!.spec.a = 5;
  now += 1000;
  await controller.resync();
  await controller.idle();
  const first = controller.status.get('Cluster/c')!.drift!.firstSeen;
  now += 60_000;
  await controller.resync();
  await controller.idle();
  assert.equal(controller.status.get('Cluster/c')!.drift!.firstSeen, first);
  kind.live.get('c')!.spec.a = 1; // fixed by hand
  await controller.resync();
  await controller.idle();
  assert.equal(controller.status.get('Cluster/c')!.drift, undefined);
  await controller.stop();
});

test('create-only changes stall with "requires replacement"; transient errors retry', async () => {
  const { kind, controller } = setup();
  kind.createOnly.add('launchType');
  controller.setDesired(fakeState([fakeResource('Cluster', 'svc', { launchType: 'EC2' })]));
  await controller.idle();
  controller.setDesired(fakeState([fakeResource('Cluster', 'svc', { launchType: 'FARGATE' })], 'r2'));
  await controller.idle();
  const stalled = controller.status.get('Cluster/svc')!;
  assert.equal(stalled.conditions[0]?.type, 'Stalled');
  assert.equal(stalled.conditions[0]?.reason, 'RequiresReplacement');
  assert.match(stalled.conditions[0]!.message, /\/launchType/);
  assert.equal(kind.writes(), 1, 'never replaced silently');

  // As the SDK throws it, mapped by the one AWS error mapper.
  kind.failApply = toOperatorError(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }), 'UpdateService');
  controller.setDesired(fakeState([fakeResource('Cluster', 'svc', { launchType: 'EC2', x: 1 })], 'r3'));
  await controller.idle();
  const retrying = controller.status.get('Cluster/svc')!;
  assert.equal(retrying.conditions[0]?.type, 'Retrying');
  assert.equal(retrying.conditions[0]?.reason, 'Throttled');
  await controller.stop();
});

test('a dependent waits for its dependency and runs as soon as the dependency exists', async () => {
  const clusters = new FakeKind('Cluster');
  const services = new FakeKind('Service');
  const controller = new Controller({ handlers: [clusters, services], mode: 'apply', log });
  controller.start();
  const svc = fakeResource('Service', 'web', { n: 1 }, { dependsOn: ['Cluster/prod'] });
  // Dependent listed first, so it is processed before its dependency exists.
  controller.setDesired({ ...fakeState([svc, fakeResource('Cluster', 'prod', { a: 1 })]) });
  await controller.idle();
  assert.equal(controller.status.get('Service/web')!.sync, 'Synced');
  assert.deepEqual(services.calls, ['observe web', 'created web']);
  await controller.stop();
});

test('drift in the status masks secret-looking values, by the name they are stored under', async () => {
  const kind = new FakeKind();
  // The fake plan compares top-level fields: a key that looks secret, and one that does not.
  const { controller } = setup(kind);
  const r = fakeResource('Cluster', 'c', { DB_PASSWORD: 'hunter2', LOG_LEVEL: 'info' }, { policy: { drift: 'alert', ignoreDifferences: [], prune: true } });
  controller.setDesired(fakeState([r]));
  await controller.idle();
  kind.live.get('c')!.spec = { DB_PASSWORD: 'changed', LOG_LEVEL: 'debug' };
  await controller.resync();
  await controller.idle();
  const drift = controller.status.get('Cluster/c')!.drift!;
  assert.deepEqual(drift.differences, [
    { path: '/DB_PASSWORD', desired: '*** (changed)', live: '***' },
    { path: '/LOG_LEVEL', desired: 'info', live: 'debug' },
  ]);
  await controller.stop();
});

test('a kind whose pure plan throws fails the pass like any error: Retrying, never a stuck key', async () => {
  const kind = new FakeKind();
  const { controller } = setup(kind);
  let calls = 0;
  kind.plan = () => {
    calls++;
    throw new TypeError("Cannot read properties of undefined (reading 'deployments')");
  };
  controller.setDesired(fakeState([fakeResource('Cluster', 'c', { a: 1 })]));
  await controller.idle();
  const status = controller.status.get('Cluster/c')!;
  assert.equal(status.conditions[0]?.type, 'Retrying');
  assert.match(status.conditions[0]!.message, /reading 'deployments'/);
  assert.equal(calls, 1);
  await controller.stop();
});

test('a failed rollout is not applied again until the manifest (or what it uses) changes', async () => {
  const kind = new FakeKind();
  const { controller } = setup(kind);
  controller.setDesired(fakeState([fakeResource('Cluster', 'svc', { image: 'v1' })]));
  await controller.idle();
  // The new image is deployed, its rollout fails, and the circuit breaker rolls it back.
  const assess = kind.assess.bind(kind);
  let rollingBack = true;
  kind.assess = (r, o) => (rollingBack ? { health: 'Degraded', message: 'rollout of v2 failed; rolled back', rolloutFailed: true } : assess(r, o));
  controller.setDesired(fakeState([fakeResource('Cluster', 'svc', { image: 'v2' })], 'r2'));
  await controller.idle();
  assert.equal(controller.status.get('Cluster/svc')!.health, 'Degraded');
  rollingBack = false;
  kind.live.get('svc')!.spec.image = 'v1'; // the rollback is done: the old revision is live again
  const writes = kind.writes();
  await controller.resync();
  await controller.idle();
  const held = controller.status.get('Cluster/svc')!;
  assert.equal(kind.writes(), writes, 'not re-applied');
  assert.equal(held.conditions[0]?.reason, 'RolloutFailed');
  // A fix in Git goes through.
  controller.setDesired(fakeState([fakeResource('Cluster', 'svc', { image: 'v3' })], 'r3'));
  await controller.idle();
  assert.equal(kind.live.get('svc')!.spec.image, 'v3');
  assert.equal(controller.status.get('Cluster/svc')!.sync, 'Synced');
  await controller.stop();
});

test('a manifest removed while its pass runs does not wedge the worker, and comes back if declared again', async () => {
  const kind = new FakeKind();
  const { controller } = setup(kind, { concurrency: 1 });
  const release = kind.hold('slow');
  controller.setDesired(fakeState([fakeResource('Cluster', 'slow', { a: 1 })]));
  await new Promise((r) => setImmediate(r));
  controller.setDesired(fakeState([], 'r2')); // removed mid-pass
  release();
  await controller.idle(); // resolves: the worker is free again
  controller.setDesired(fakeState([fakeResource('Cluster', 'slow', { a: 1 })], 'r3'));
  await controller.idle();
  assert.equal(controller.status.get('Cluster/slow')?.sync, 'Synced');
  assert.ok(kind.live.has('slow'));
  await controller.stop();
});

test('a failed rollout held on its manifest is released by a new revision of what it uses', async () => {
  const tds = new FakeKind('TaskDefinition');
  // Like a task definition's ARN, what it exposes names its content.
  tds.outputs = (_r, o) => (o.exists ? { arn: `arn:fake:web:${String((o.live as { spec: { image: string } }).spec.image)}` } : {});
  const services = new FakeKind('Service');
  const controller = new Controller({ handlers: [tds, services], mode: 'run', log, backoff: { baseMs: 60_000 } });
  controller.start();
  const td = (image: string) => fakeResource('TaskDefinition', 'web', { image });
  const svc = fakeResource('Service', 'web', { count: 2 }, { dependsOn: ['TaskDefinition/web'] });
  controller.setDesired(fakeState([td('v1'), svc]));
  await controller.idle();
  // The service's next deployment fails and is rolled back; its own manifest stays the same.
  let failing = true;
  const assess = services.assess.bind(services);
  services.assess = (r, o) => (failing ? { health: 'Degraded', message: 'rollout failed', rolloutFailed: true } : assess(r, o));
  controller.setDesired(fakeState([td('v1'), fakeResource('Service', 'web', { count: 3 }, { dependsOn: ['TaskDefinition/web'] })], 'r2'));
  await controller.idle();
  failing = false;
  services.live.get('web')!.spec.count = 2; // rolled back
  const writes = services.writes();
  await controller.resync();
  await controller.idle();
  assert.equal(services.writes(), writes, 'held');
  // A fixed image: the task definition's new revision changes what the service uses, and it goes through.
  controller.setDesired(fakeState([td('v2'), fakeResource('Service', 'web', { count: 3 }, { dependsOn: ['TaskDefinition/web'] })], 'r3'));
  await controller.idle();
  assert.equal(services.live.get('web')!.spec.count, 3, 'applied again once what it uses changed');
  await controller.stop();
});

test('a change of annotations only (drift policy) is reconciled at once, not at the next resync', async () => {
  const kind = new FakeKind();
  const { controller } = setup(kind);
  const alert = { drift: 'alert' as const, ignoreDifferences: [], prune: true };
  controller.setDesired(fakeState([fakeResource('Cluster', 'c', { a: 1 }, { policy: alert })]));
  await controller.idle();
  kind.live.get('c')!.spec.a = 5;
  await controller.resync();
  await controller.idle();
  assert.equal(controller.status.get('Cluster/c')!.sync, 'OutOfSync');
  // Switching the annotation to heal: same spec, same hash.
  controller.setDesired(fakeState([fakeResource('Cluster', 'c', { a: 1 }, { policy: { ...alert, drift: 'heal' } })], 'r2'));
  await controller.idle();
  assert.equal(kind.live.get('c')!.spec.a, 1, 'healed without waiting for a resync');
  await controller.stop();
});

test('a change that reaches a resource through a reference is Git\'s under every policy; drift is still drift', async () => {
  const tds = new FakeKind('TaskDefinition');
  tds.outputs = (_r, o) => (o.exists ? { arn: `arn:fake:web:${String((o.live as { spec: { image: string } }).spec.image)}` } : {});
  const services = new FakeKind('Service');
  // Like a Service, the fake's spec names the revision it runs: the reference, resolved.
  const resolved = (r: DesiredResource): DesiredResource => ({ ...r, manifest: { ...r.manifest, spec: { ...r.manifest.spec, td: tdOf() } } });
  services.plan = (r, o) => FakeKind.prototype.plan.call(services, resolved(r), o);
  services.apply = (r, o) => FakeKind.prototype.apply.call(services, resolved(r), o);
  const controller = new Controller({ handlers: [tds, services], mode: 'run', log, backoff: { baseMs: 60_000 } });
  const tdOf = () => controller.outputsOf('TaskDefinition/web')?.arn ?? null;
  controller.start();
  const alert = { drift: 'alert' as const, ignoreDifferences: [], prune: true };
  const td = (image: string) => fakeResource('TaskDefinition', 'web', { image });
  const svc = fakeResource('Service', 'web', { count: 2 }, { dependsOn: ['TaskDefinition/web'], policy: alert });
  const reports: Array<{ key: string; state: string; actions: string[]; cause?: string }> = [];
  controller.onPass((r) => reports.push({ key: r.key, state: r.record.state, actions: r.record.actions, ...(r.record.cause ? { cause: r.record.cause } : {}) }));
  controller.setDesired(fakeState([td('v1'), svc]));
  await controller.idle();
  assert.equal(services.live.get('web')!.spec.td, 'arn:fake:web:v1');

  // An image bump in Git: the service's own manifest is the same; it moves within the same wave.
  reports.length = 0;
  controller.setDesired(fakeState([td('v2'), svc], 'r2'));
  await controller.idle();
  assert.equal(services.live.get('web')!.spec.td, 'arn:fake:web:v2', 'rolled out under alert');
  const moved = reports.find((r) => r.key === 'Service/web' && r.actions.length > 0)!;
  assert.equal(moved.state, 'synced');
  assert.equal(moved.cause, 'Git revision r2: TaskDefinition/web is now arn:fake:web:v2');
  assert.equal(controller.status.get('Service/web')!.drift, undefined, 'no drift');

  // Someone moves the service back by hand: that is drift, reported and left.
  services.live.get('web')!.spec.td = 'arn:fake:web:v1';
  await controller.resync();
  await controller.idle();
  assert.equal(services.live.get('web')!.spec.td, 'arn:fake:web:v1');
  assert.deepEqual(controller.status.get('Service/web')!.drift?.differences, [{ path: '/td', desired: 'arn:fake:web:v2', live: 'arn:fake:web:v1' }]);
  await controller.stop();
});
