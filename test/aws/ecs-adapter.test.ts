import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useMoto } from '../support/moto.js';
import { createAwsClients } from '../../src/aws/clients.js';
import { ecsPorts } from '../../src/aws/ecs/ports.js';

const moto = useMoto();

test('services are read 10 per DescribeServices call, and a prefetched read costs nothing', async () => {
  await moto.server.reset();
  const aws = createAwsClients({ rateScale: Infinity });
  const ecs = ecsPorts(aws.ecs);
  await ecs.clusters.createCluster({ clusterName: 'c1' });
  const td = await ecs.taskDefinitions.registerTaskDefinition({ family: 'app', containerDefinitions: [{ name: 'app', image: 'nginx', memory: 128 }] });
  const names = Array.from({ length: 25 }, (_, i) => `svc-${i}`);
  for (const name of names) {
    await ecs.services.createService({ cluster: 'c1', serviceName: name, taskDefinition: td.taskDefinition.taskDefinitionArn!, desiredCount: 1 });
  }
  const before = aws.stats.count('ecs', 'DescribeServices');
  const t0 = Date.now();
  await ecs.services.prefetchServices('c1', [...names, 'missing']);
  assert.equal(aws.stats.count('ecs', 'DescribeServices') - before, 3, 'ceil(26/10) calls');
  const found = await Promise.all(names.map((n) => ecs.services.getService('c1', n, t0)));
  assert.equal(found.filter(Boolean).length, 25);
  assert.equal(await ecs.services.getService('c1', 'missing', t0), undefined);
  assert.equal(aws.stats.count('ecs', 'DescribeServices') - before, 3, 'no further reads');

  // Concurrent reads after the cache is stale are coalesced into batches.
  const t1 = Date.now() + 1;
  await new Promise((r) => setTimeout(r, 2));
  await Promise.all(names.map((n) => ecs.services.getService('c1', n, t1)));
  assert.equal(aws.stats.count('ecs', 'DescribeServices') - before, 6);
  aws.destroy();
});

test('task definition descriptions are cached by ARN; latest ACTIVE follows registrations', async () => {
  await moto.server.reset();
  const aws = createAwsClients({ rateScale: Infinity });
  const ecs = ecsPorts(aws.ecs);
  const one = await ecs.taskDefinitions.registerTaskDefinition({ family: 'web', containerDefinitions: [{ name: 'web', image: 'nginx:1', memory: 128 }] });
  const arn1 = one.taskDefinition.taskDefinitionArn!;
  assert.match(arn1, /task-definition\/web:1$/);
  const reads = aws.stats.reads;
  assert.equal((await ecs.taskDefinitions.describeTaskDefinition(arn1))?.taskDefinition.revision, 1);
  assert.equal(aws.stats.reads, reads, 'cached by ARN');
  assert.equal(await ecs.taskDefinitions.latestActiveTaskDefinitionArn('web', Date.now() - 1000), arn1);
  assert.equal(aws.stats.reads, reads, 'known from our own registration');
  const two = await ecs.taskDefinitions.registerTaskDefinition({ family: 'web', containerDefinitions: [{ name: 'web', image: 'nginx:2', memory: 128 }] });
  await ecs.taskDefinitions.registerTaskDefinition({ family: 'web-api', containerDefinitions: [{ name: 'api', image: 'api', memory: 128 }] });
  const t = Date.now() + 1;
  await new Promise((r) => setTimeout(r, 2));
  await ecs.taskDefinitions.prefetchActiveTaskDefinitions(['web', 'web-api', 'other']);
  assert.equal(await ecs.taskDefinitions.latestActiveTaskDefinitionArn('web', t), two.taskDefinition.taskDefinitionArn);
  assert.equal(aws.stats.count('ecs', 'ListTaskDefinitions'), 1);
  assert.equal(aws.stats.count('ecs', 'DescribeTaskDefinition'), 0);
  assert.equal(await ecs.taskDefinitions.latestActiveTaskDefinitionArn('nope', t), undefined);
  aws.destroy();
});

test('deletes repeated after a lost answer find the thing gone, which is success', async () => {
  await moto.server.reset();
  const aws = createAwsClients({ rateScale: Infinity });
  const ecs = ecsPorts(aws.ecs, aws.ecsOnce);
  await ecs.clusters.createCluster({ clusterName: 'c1' });
  const td = await ecs.taskDefinitions.registerTaskDefinition({ family: 'app', containerDefinitions: [{ name: 'app', image: 'nginx', memory: 128 }] });
  await ecs.services.createService({ cluster: 'c1', serviceName: 'web', taskDefinition: td.taskDefinition.taskDefinitionArn!, desiredCount: 0 });
  await ecs.services.deleteService('c1', 'web');
  await ecs.services.deleteService('c1', 'web');
  await ecs.services.deleteService('no-such-cluster', 'web');
  await ecs.clusters.deleteCluster('c1');
  await ecs.clusters.deleteCluster('c1');
  aws.destroy();
});
