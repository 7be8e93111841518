// The applied-hash record after a restart, against moto through the real SDK: a write of the record
// cut short (the service was updated, its tag not) is made good with one TagResource and nothing
// else; a record from before references counted (the manifest's own hash) is current, so alert-policy
// drift stays drift across an upgrade, and the record is then brought up to date.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeServicesCommand, TagResourceCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { Controller } from '../../src/runtime/controller.js';
import { effectiveDesired } from '../../src/runtime/effective-desired.js';
import { useMoto } from '../support/moto.js';
import { ecsClient } from '../support/aws.js';
import { restarted, startExamples, writesOf } from '../autoscaling/harness.js';

const moto = useMoto({ MOTO_ECS_SERVICE_RUNNING: '2' });
const TAG = 'ecs-operator.dev/applied-hash';

async function workerTags() {
  const ecs = ecsClient();
  try {
    const s = (await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['worker'], include: ['TAGS'] }))).services![0]!;
    return { arn: s.serviceArn!, tags: Object.fromEntries((s.tags ?? []).map((t) => [t.key, t.value])), desiredCount: s.desiredCount };
  } finally {
    ecs.destroy();
  }
}

test('a record left stale by a cut-short write is made good with one TagResource', async () => {
  await moto.server.reset();
  const h = await startExamples();
  let controller: Controller | undefined;
  const ecs = ecsClient();
  try {
    const { arn, tags } = await workerTags();
    const current = tags[TAG]!;
    await ecs.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: TAG, value: '0000000000000000' }] }));
    const before = h.aws.stats.snapshot();
    controller = await restarted(h);
    assert.deepEqual(writesOf(h.aws.stats.since(before)), { 'ecs:TagResource': 1 });
    assert.equal((await workerTags()).tags[TAG], current);
    assert.equal(controller.status.get('Service/worker')!.sync, 'Synced');
  } finally {
    ecs.destroy();
    await controller?.stop();
    await h.stop();
  }
});

test('a record of the manifest hash alone (an earlier version) is current: alert-policy drift stays drift', async () => {
  await moto.server.reset();
  const alert = (text: string) => text.replace('  name: worker\n', '  name: worker\n  annotations:\n    ecs-operator.dev/drift: alert\n');
  const h = await startExamples((edit) => edit('worker/service.yaml', alert));
  let controller: Controller | undefined;
  const ecs = ecsClient();
  try {
    const { arn } = await workerTags();
    const manifestHash = h.controller.desired!.resources.get('Service/worker')!.hash;
    await ecs.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: TAG, value: manifestHash }] }));
    await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'worker', desiredCount: 3 }));
    const before = h.aws.stats.snapshot();
    controller = await restarted(h);
    assert.deepEqual(writesOf(h.aws.stats.since(before)), {}, 'drift under alert: nothing written');
    assert.equal((await workerTags()).desiredCount, 3);
    assert.equal(controller.status.get('Service/worker')!.sync, 'OutOfSync');
    // Undone by hand: in sync, and the record is brought up to date.
    await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'worker', desiredCount: 1 }));
    await controller.resync();
    await controller.idle();
    const worker = controller.desired!.resources.get('Service/worker')!;
    assert.equal((await workerTags()).tags[TAG], effectiveDesired(worker, (k) => controller!.outputsOf(k)).hash);
  } finally {
    ecs.destroy();
    await controller?.stop();
    await h.stop();
  }
});
