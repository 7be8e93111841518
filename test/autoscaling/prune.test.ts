// Prune of ServiceAutoScaling: found by the scalable target's tags (read on demand), deregistered as a
// whole; a target that another instance tagged is left alone; a target whose tags cannot be read stops
// the prune (nothing is deleted, the error is reported) until they can be.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import type { AutoScalingPort } from '../../src/aws/autoscaling.js';
import { serviceAutoScalingHandler } from '../../src/kinds/service-auto-scaling/handler.js';
import { Pruner } from '../../src/runtime/pruner.js';
import { StatusStore } from '../../src/status/store.js';
import type { DesiredState, JsonObject } from '../../src/core/types.js';
import type { ReconcileContext } from '../../src/runtime/kind-handler.js';
import { fakeState } from '../support/fake-kind.js';
import { KIND_ORDER } from '../../src/kinds/registry.js';

const log = pino({ level: 'silent' });
const arn = (id: string) => `arn:aws:application-autoscaling:us-east-1:123456789012:scalable-target/${id}`;

/** Just the calls prune makes, answering as AWS does. */
function port(targets: Record<string, Record<string, string> | 'unreadable'>) {
  const deregistered: string[] = [];
  const fake = {
    async listScalableTargets() {
      return Object.keys(targets).map((id) => ({
        serviceNamespace: 'ecs', resourceId: `service/prod/${id}`, scalableDimension: 'ecs:service:DesiredCount',
        minCapacity: 1, maxCapacity: 4, scalableTargetARN: arn(id),
      }) as JsonObject);
    },
    async listTags(a: string) {
      const tags = targets[a.slice(a.lastIndexOf('/') + 1)];
      if (tags === 'unreadable' || tags === undefined) throw new Error('AccessDenied');
      return tags;
    },
    async deregisterScalableTarget(resourceId: string) {
      deregistered.push(resourceId);
    },
  } as unknown as AutoScalingPort;
  return { fake, deregistered };
}

const ours = (name: string, origin = 'created') => ({ 'ecs-operator.dev/managed-by': 'default', 'ecs-operator.dev/resource': `ServiceAutoScaling/${name}`, 'ecs-operator.dev/origin': origin });

test('owned scalable targets that no manifest declares are deregistered, and only those; adopted ones are kept; unreadable tags stop the prune', async () => {
  const targets: Record<string, Record<string, string> | 'unreadable'> = {
    web: ours('web'), api: ours('api'), other: { 'ecs-operator.dev/managed-by': 'staging', 'ecs-operator.dev/resource': 'ServiceAutoScaling/other' },
    console: {}, locked: 'unreadable', taken: ours('taken', 'adopted'),
  };
  const { fake, deregistered } = port(targets);
  const context = (desired: DesiredState) => ({
    now: 0, notBefore: 0, mode: 'run', instance: 'default', adopt: true, driftDefault: 'heal', revision: desired.revision,
    desired, outputsOf: () => undefined, log, signal: new AbortController().signal,
  }) as ReconcileContext;
  const desired = fakeState([]);
  const status = new StatusStore(KIND_ORDER);
  const pruner = new Pruner({ handlers: [serviceAutoScalingHandler(fake)], status, log, maxDeletes: 5, allowEmpty: true, context, current: () => desired });
  const errors = await pruner.discover(desired);
  assert.match(errors[0]!.message, /cannot read the tags of scalable target service\/prod\/locked: AccessDenied/);
  // Unread tags are neither "ours" nor "not ours": nothing is deleted, and the status says why.
  const blocked = await pruner.run();
  assert.deepEqual([blocked.deleted, deregistered], [[], []]);
  assert.match(blocked.errors[0]!.message, /service\/prod\/locked/);
  assert.equal(status.prune?.conditions[0]?.reason, 'PruneDiscoveryFailed');
  // Once the tags can be read (the locked target is not ours), the next run lists again and deletes.
  targets.locked = {};
  const out = await pruner.run();
  assert.deepEqual(out.deleted.sort(), ['ServiceAutoScaling/api', 'ServiceAutoScaling/web']);
  assert.deepEqual(out.adopted, ['ServiceAutoScaling/taken']);
  assert.deepEqual(deregistered.sort(), ['service/prod/api', 'service/prod/web']);
  assert.deepEqual(status.prune?.conditions, []);
});
