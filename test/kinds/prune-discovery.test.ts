// Prune discovery of clusters and services against moto: the two discoveries of one pass share one
// ListClusters, and what a discovery already read since the pass began is not read again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAwsClients } from '../../src/aws/clients.js';
import { ecsPorts } from '../../src/aws/ecs/ports.js';
import { clusterHandler } from '../../src/kinds/cluster/handler.js';
import { serviceHandler } from '../../src/kinds/service/handler.js';
import { useMoto } from '../support/moto.js';
import { fakeContext } from '../support/fake-kind.js';

const moto = useMoto();
const ctxAt = (notBefore: number) => fakeContext({ now: notBefore, notBefore });
const tags = (key: string) => [{ key: 'ecs-operator.dev/managed-by', value: 'default' }, { key: 'ecs-operator.dev/resource', value: key }];

test('one ListClusters for both discoveries of a pass; reads made since the pass began are reused', async () => {
  await moto.server.reset();
  const aws = createAwsClients({ rateScale: Infinity });
  try {
    const setup = ecsPorts(aws.ecs);
    await setup.clusters.createCluster({ clusterName: 'prod', tags: tags('Cluster/prod') });
    await setup.clusters.createCluster({ clusterName: 'other' });
    const td = await setup.taskDefinitions.registerTaskDefinition({ family: 'app', containerDefinitions: [{ name: 'app', image: 'nginx', memory: 128 }] });
    for (const name of ['web', 'worker']) {
      await setup.services.createService({ cluster: 'prod', serviceName: name, taskDefinition: td.taskDefinition.taskDefinitionArn!, desiredCount: 1, tags: tags(`Service/${name}`) });
    }
    const ecs = ecsPorts(aws.ecs); // a restarted operator: nothing cached
    const handlers = [clusterHandler(ecs.clusters, ecs.services), serviceHandler(ecs)];

    const ctx = ctxAt(Date.now());
    const before = aws.stats.snapshot();
    const found = [];
    for (const handler of handlers) found.push(...await handler.discoverOwned!(ctx));
    assert.deepEqual(found.map((o) => o.key).sort(), ['Cluster/prod', 'Service/web', 'Service/worker']);
    assert.deepEqual(aws.stats.since(before), { 'ecs:ListClusters': 1, 'ecs:DescribeClusters': 1, 'ecs:ListServices': 2, 'ecs:DescribeServices': 1 });

    const again = aws.stats.snapshot();
    for (const handler of handlers) await handler.discoverOwned!(ctx);
    assert.deepEqual(aws.stats.since(again), { 'ecs:ListServices': 2 }, 'the same pass: listings and descriptions reused');

    const later = aws.stats.snapshot();
    await new Promise((r) => setTimeout(r, 2));
    const next = ctxAt(Date.now());
    for (const handler of handlers) await handler.discoverOwned!(next);
    assert.deepEqual(aws.stats.since(later), { 'ecs:ListClusters': 1, 'ecs:DescribeClusters': 1, 'ecs:ListServices': 2, 'ecs:DescribeServices': 1 }, 'a later pass reads again');
  } finally {
    aws.destroy();
  }
});
