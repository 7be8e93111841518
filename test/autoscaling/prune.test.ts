// Prune of ServiceAutoScaling: found by the scalable target's tags (read on demand), deregistered as a
// whole; a target whose tags cannot be read, or that another instance tagged, is left alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import type { AutoScalingPort } from '../../src/aws/autoscaling.js';
import { serviceAutoScalingHandler } from '../../src/kinds/service-auto-scaling/machine.js';
import { Pruner } from '../../src/runtime/pruner.js';
import { StatusStore } from '../../src/status/store.js';
import type { DesiredState, JsonObject } from '../../src/core/types.js';
import type { ReconcileContext } from '../../src/runtime/kind-handler.js';
import { fakeState } from '../support/fake-kind.js';

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

test('owned scalable targets that no manifest declares are deregistered, and only those; adopted ones are kept', async () => {
  const { fake, deregistered } = port({
    web: ours('web'), api: ours('api'), other: { 'ecs-operator.dev/managed-by': 'staging', 'ecs-operator.dev/resource': 'ServiceAutoScaling/other' },
    console: {}, locked: 'unreadable', taken: ours('taken', 'adopted'),
  });
  const context = (desired: DesiredState) => ({
    now: 0, notBefore: 0, mode: 'run', instance: 'default', adopt: true, driftDefault: 'heal', revision: desired.revision,
    desired, outputsOf: () => undefined, log, signal: new AbortController().signal,
  }) as ReconcileContext;
  const desired = fakeState([]);
  const pruner = new Pruner({ handlers: [serviceAutoScalingHandler(fake)], status: new StatusStore(), log, maxDeletes: 5, allowEmpty: true, context, current: () => desired });
  await pruner.discover(desired);
  const out = await pruner.run();
  assert.deepEqual(out.deleted.sort(), ['ServiceAutoScaling/api', 'ServiceAutoScaling/web']);
  assert.deepEqual(out.adopted, ['ServiceAutoScaling/taken']);
  assert.deepEqual(deregistered.sort(), ['service/prod/api', 'service/prod/web']);
});
