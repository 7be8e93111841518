// The effective desired state: the manifest's hash alone without references, a digest that follows
// each dependency's outputs with them, legacy records (the manifest's own hash) taken as current,
// and the cause of a change named by the reference that changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { changeCause, creationCause, effectiveDesired, recordMatches } from '../../src/runtime/effective-desired.js';
import type { ResourceOutputs } from '../../src/runtime/kind-handler.js';

const TD = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web';
const outputs = (revision: number) => (key: string): ResourceOutputs | undefined =>
  key === 'TaskDefinition/web' ? { arn: `${TD}:${revision}`, family: 'web' } : key === 'Cluster/prod' ? { name: 'prod', arn: 'arn:c' } : undefined;

test('the manifest hash alone without references; with them, a digest that follows their outputs', () => {
  assert.deepEqual(effectiveDesired({ hash: 'm1', dependsOn: [] }, outputs(1)), { hash: 'm1', manifestHash: 'm1', references: {} });
  const service = { hash: 'm1', dependsOn: ['TaskDefinition/web', 'Cluster/prod'] as const };
  const one = effectiveDesired({ ...service, dependsOn: [...service.dependsOn] }, outputs(1));
  const again = effectiveDesired({ ...service, dependsOn: ['Cluster/prod', 'TaskDefinition/web'] }, outputs(1));
  const two = effectiveDesired({ ...service, dependsOn: [...service.dependsOn] }, outputs(2));
  assert.match(one.hash, /^[0-9a-f]{16}$/);
  assert.equal(one.hash, again.hash, 'the order of dependencies does not matter');
  assert.notEqual(one.hash, two.hash, 'a new revision of the task definition is a new effective desired state');
  assert.notEqual(one.hash, effectiveDesired({ hash: 'm2', dependsOn: [...service.dependsOn] }, outputs(1)).hash);

  assert.ok(recordMatches(one.hash, one));
  assert.ok(recordMatches('m1', one), "a record of the manifest's own hash (written before references counted) is current");
  assert.ok(!recordMatches(one.hash, two));
  assert.ok(!recordMatches(undefined, one));
});

test('the cause names the revision and the reference that changed', () => {
  const service = { hash: 'm1', dependsOn: ['TaskDefinition/web', 'Cluster/prod'] as Array<'TaskDefinition/web' | 'Cluster/prod'> };
  const one = effectiveDesired(service, outputs(1));
  const two = effectiveDesired(service, outputs(2));
  assert.equal(changeCause(one, two, '0123456789abcdef0123'), 'Git revision 0123456789ab: TaskDefinition/web is now task-definition/web:2');
  assert.equal(changeCause(one, effectiveDesired({ ...service, hash: 'm2' }, outputs(2)), 'r2'), 'Git revision r2: the manifest changed, TaskDefinition/web is now task-definition/web:2');
  assert.equal(changeCause(undefined, two, 'r3'), 'Git revision r3: the manifest or what it references changed');
  assert.equal(creationCause('r4'), 'Git revision r4: created from the manifest');
  // After a restart (nothing known of the last apply), a difference asking for a reference's output names it.
  const wants = [{ path: '/taskDefinition', desired: `${TD}:2`, live: `${TD}:1` }];
  assert.equal(changeCause(undefined, two, 'r3', wants), 'Git revision r3: TaskDefinition/web is now task-definition/web:2');
});
