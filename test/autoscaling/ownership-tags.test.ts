// The scalable target's ownership tags against moto (tags kept by the test proxy, see
// test/support/aas-tags.ts): the applied-hash tag (the effective desired hash: the manifest and the
// service it scales) is read after a restart, so an out-of-band change is drift, not a Git change to
// apply; a target the operator adopts gets the ownership tags and the record with its first write.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ApplicationAutoScalingClient, DeregisterScalableTargetCommand, DescribeScalableTargetsCommand, RegisterScalableTargetCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-application-auto-scaling';
import { Controller } from '../../src/runtime/controller.js';
import { effectiveDesired } from '../../src/runtime/effective-desired.js';
import { useMoto } from '../support/moto.js';
import { restarted, startExamples, writesOf } from './harness.js';

const moto = useMoto({ MOTO_ECS_SERVICE_RUNNING: '2' });
const target = { ServiceNamespace: 'ecs' as const, ResourceId: 'service/prod/web', ScalableDimension: 'ecs:service:DesiredCount' as const };
const ALERT = (text: string) => text.replace('  name: web\n', '  name: web\n  annotations:\n    ecs-operator.dev/drift: alert\n');

async function withAas<T>(body: (client: ApplicationAutoScalingClient) => Promise<T>): Promise<T> {
  const client = new ApplicationAutoScalingClient({});
  try {
    return await body(client);
  } finally {
    client.destroy();
  }
}

const liveTarget = () => withAas(async (c) => (await c.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs', ResourceIds: [target.ResourceId] }))).ScalableTargets![0]!);

/** The applied-hash the controller records for the web target. */
function appliedHash(controller: Controller): string {
  return effectiveDesired(controller.desired!.resources.get('ServiceAutoScaling/web')!, (key) => controller.outputsOf(key)).hash;
}

test('drift alert: after a restart an out-of-band change is reported from the applied-hash tag, not applied', async () => {
  await moto.server.reset();
  const h = await startExamples((edit) => edit('web/autoscaling.yaml', ALERT));
  let controller: Controller | undefined;
  try {
    const arn = (await liveTarget()).ScalableTargetARN!;
    assert.equal(moto.aasTags.get(arn)?.['ecs-operator.dev/applied-hash'], appliedHash(h.controller), 'registered with the applied-hash');
    await withAas((c) => c.send(new RegisterScalableTargetCommand({ ...target, MaxCapacity: 30 })));

    const before = h.aws.stats.snapshot();
    controller = await restarted(h);
    const scaling = controller.status.get('ServiceAutoScaling/web')!;
    assert.equal(scaling.sync, 'OutOfSync');
    assert.deepEqual(scaling.drift?.differences, [{ path: '/maxCapacity', desired: 20, live: 30 }]);
    assert.deepEqual(writesOf(h.aws.stats.since(before)), {}, 'reported, not applied');
    assert.equal((await liveTarget()).MaxCapacity, 30);
  } finally {
    await controller?.stop();
    await h.stop();
  }
});

test('drift alert: a target without ownership tags gets them, the applied-hash included, with nothing else written', async () => {
  await moto.server.reset();
  const h = await startExamples((edit) => edit('web/autoscaling.yaml', ALERT));
  let controller: Controller | undefined;
  try {
    const arn = (await liveTarget()).ScalableTargetARN!;
    await withAas((c) => c.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: Object.keys(moto.aasTags.get(arn)!) })));
    const before = h.aws.stats.snapshot();
    controller = await restarted(h);
    assert.deepEqual(writesOf(h.aws.stats.since(before)), { 'application-autoscaling:TagResource': 1 });
    // Nothing tells that the operator made it once: with its tags gone it is adopted anew.
    assert.deepEqual(moto.aasTags.get(arn), {
      'ecs-operator.dev/managed-by': 'default',
      'ecs-operator.dev/resource': 'ServiceAutoScaling/web',
      'ecs-operator.dev/origin': 'adopted',
      'ecs-operator.dev/applied-hash': appliedHash(controller),
    });
    assert.equal(controller.status.get('ServiceAutoScaling/web')!.sync, 'Synced');
  } finally {
    await controller?.stop();
    await h.stop();
  }
});

test('drift heal: a target registered out of band is adopted and tagged with its first change, once', async () => {
  await moto.server.reset();
  const h = await startExamples();
  try {
    // Someone replaced the target by hand, with other capacities and no tags (moto keeps the policies).
    await withAas(async (c) => {
      await c.send(new DeregisterScalableTargetCommand(target));
      await c.send(new RegisterScalableTargetCommand({ ...target, MinCapacity: 3, MaxCapacity: 10 }));
    });
    const arn = (await liveTarget()).ScalableTargetARN!;
    assert.deepEqual(moto.aasTags.get(arn), {});
    assert.deepEqual(writesOf(await h.resync()), {
      'application-autoscaling:RegisterScalableTarget': 1, 'application-autoscaling:TagResource': 1,
    });
    assert.deepEqual([(await liveTarget()).MinCapacity, (await liveTarget()).MaxCapacity], [2, 20]);
    assert.deepEqual(moto.aasTags.get(arn), {
      'ecs-operator.dev/managed-by': 'default', 'ecs-operator.dev/resource': 'ServiceAutoScaling/web', 'ecs-operator.dev/applied-hash': appliedHash(h.controller),
    });
    assert.deepEqual(writesOf(await h.resync()), {});
  } finally {
    await h.stop();
  }
});
