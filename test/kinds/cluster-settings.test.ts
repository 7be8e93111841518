// Container Insights against moto: a cluster created without settings takes the account's default
// (PutAccountSettingDefault), which the operator must not undo when the manifest sets none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateClusterCommand, DescribeClustersCommand } from '@aws-sdk/client-ecs';
import { useMoto } from '../support/moto.js';
import { ecsClient } from '../support/aws.js';
import { startExamples, writesOf } from '../autoscaling/harness.js';

const moto = useMoto({ MOTO_ECS_SERVICE_RUNNING: '2' });

async function insights(): Promise<string | undefined> {
  const ecs = ecsClient();
  try {
    const cluster = (await ecs.send(new DescribeClustersCommand({ clusters: ['prod'], include: ['SETTINGS'] }))).clusters![0]!;
    return cluster.settings?.find((s) => s.name === 'containerInsights')?.value;
  } finally {
    ecs.destroy();
  }
}

test("a cluster manifest without settings leaves Container Insights at the account's default", async () => {
  await moto.server.reset();
  const h = await startExamples(async (edit) => {
    await edit('platform/cluster.yaml', (text) => text.replace(/  settings:\n(    .*\n)+/, ''));
    // What CreateCluster makes in an account whose default is containerInsights=enabled (moto
    // applies no account default, so the cluster is made with the setting, before the operator adopts it).
    const ecs = ecsClient();
    await ecs.send(new CreateClusterCommand({ clusterName: 'prod', settings: [{ name: 'containerInsights', value: 'enabled' }] }));
    ecs.destroy();
  });
  try {
    assert.equal(h.aws.stats.count('ecs', 'UpdateClusterSettings'), 0);
    assert.equal(await insights(), 'enabled');
    assert.equal(h.status('Cluster/prod').sync, 'Synced');
    assert.deepEqual(writesOf(await h.resync()), {});
  } finally {
    await h.stop();
  }
});
