// The ecs-operator.dev/prune annotation against moto: while written, the cluster, the service and the
// scalable target carry the prune=false tag (what protects them after a restart); once removed from
// the manifests, the tag is removed from each of them, so prune may delete them again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApplicationAutoScalingClient, DescribeScalableTargetsCommand } from '@aws-sdk/client-application-auto-scaling';
import { DescribeClustersCommand, DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { useMoto } from '../support/moto.js';
import { ecsClient } from '../support/aws.js';
import { startExamples, writesOf } from '../autoscaling/harness.js';

const moto = useMoto({ MOTO_ECS_SERVICE_RUNNING: '2' });
const PRUNE = 'ecs-operator.dev/prune';
const keep = (name: string) => (text: string) => text.replace(new RegExp(`^  name: ${name}.*\\n`, 'm'), `$&  annotations:\n    ${PRUNE}: "false"\n`);
const unkeep = (text: string) => text.replace(`  annotations:\n    ${PRUNE}: "false"\n`, '');

async function pruneTags(): Promise<Array<string | undefined>> {
  const ecs = ecsClient();
  const aas = new ApplicationAutoScalingClient({});
  try {
    const cluster = (await ecs.send(new DescribeClustersCommand({ clusters: ['prod'], include: ['TAGS'] }))).clusters![0]!;
    const service = (await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'], include: ['TAGS'] }))).services![0]!;
    const target = (await aas.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs', ResourceIds: ['service/prod/web'] }))).ScalableTargets![0]!;
    return [
      cluster.tags?.find((t) => t.key === PRUNE)?.value,
      service.tags?.find((t) => t.key === PRUNE)?.value,
      moto.aasTags.get(target.ScalableTargetARN!)?.[PRUNE],
    ];
  } finally {
    ecs.destroy();
    aas.destroy();
  }
}

test('removing the prune annotation removes the prune=false tag from the cluster, the service and the scalable target', async () => {
  await moto.server.reset();
  const h = await startExamples(async (edit) => {
    await edit('platform/cluster.yaml', keep('prod'));
    await edit('web/service.yaml', keep('web'));
    // Declared tags: the target's tags are read, so the operator knows what they are.
    await edit('web/autoscaling.yaml', (text) => keep('web')(text).replace('  service: web', '  tags:\n    team: web\n  service: web'));
  });
  try {
    assert.deepEqual(await pruneTags(), ['false', 'false', 'false']);
    for (const file of ['platform/cluster.yaml', 'web/service.yaml', 'web/autoscaling.yaml']) await h.edit(file, unkeep);
    const calls = await h.reload();
    assert.deepEqual(writesOf(calls), { 'ecs:UntagResource': 2, 'application-autoscaling:UntagResource': 1 });
    assert.deepEqual(await pruneTags(), [undefined, undefined, undefined]);
    assert.deepEqual(writesOf(await h.resync()), {});
    for (const key of ['Cluster/prod', 'Service/web', 'ServiceAutoScaling/web']) assert.equal(h.status(key).sync, 'Synced', key);
  } finally {
    await h.stop();
  }
});
