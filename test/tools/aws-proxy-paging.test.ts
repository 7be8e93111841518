// The AWS-faithful proxy pages moto's listings as AWS does: AWS's page sizes with and without
// maxResults, ListTaskDefinitions' documented order (sort ASC|DESC), tokens that round-trip through
// the SDK's paginators and are refused for another request, and walks that survive changes between
// pages. Through the real SDK against moto.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateClusterCommand, CreateServiceCommand, DeregisterTaskDefinitionCommand, ECSClient, ListClustersCommand,
  ListServicesCommand, ListTaskDefinitionFamiliesCommand, ListTaskDefinitionsCommand, RegisterTaskDefinitionCommand,
  paginateListServices, paginateListTaskDefinitions,
} from '@aws-sdk/client-ecs';
import {
  ApplicationAutoScalingClient, DescribeScalableTargetsCommand, DescribeScalingPoliciesCommand, DescribeScheduledActionsCommand,
  PutScalingPolicyCommand, PutScheduledActionCommand, RegisterScalableTargetCommand,
} from '@aws-sdk/client-application-auto-scaling';
import { useMoto } from '../support/moto.js';
import { startAwsProxy, type AwsProxy } from '../../src/tools/aws-proxy/proxy.js';

const moto = useMoto();
let proxy: AwsProxy;
let ecs: ECSClient;
let aas: ApplicationAutoScalingClient;

/** A fresh account behind a paging proxy (no throttling here: aws-proxy-buckets.test.ts has that). */
async function fresh(): Promise<void> {
  await moto.server.reset();
  proxy ??= await startAwsProxy({ upstream: moto.server.endpoint, throttle: false });
  ecs ??= new ECSClient({ endpoint: proxy.endpoint, maxAttempts: 1 });
  aas ??= new ApplicationAutoScalingClient({ endpoint: proxy.endpoint, maxAttempts: 1 });
}
after(async () => {
  ecs?.destroy();
  aas?.destroy();
  await proxy?.stop();
});

const register = (family: string, image = 'nginx') =>
  ecs.send(new RegisterTaskDefinitionCommand({ family, containerDefinitions: [{ name: 'app', image, memory: 128 }] }));

async function refusal(promise: Promise<unknown>): Promise<{ name: string; status?: number }> {
  const err = await promise.then(() => undefined, (e: { name: string; $metadata?: { httpStatusCode?: number } }) => e);
  assert.ok(err, 'expected AWS to refuse the request');
  return { name: err.name, status: err.$metadata?.httpStatusCode };
}

test('ListServices: 10 a page without maxResults, maxResults up to 100, every ARN once through the paginator', async () => {
  await fresh();
  await ecs.send(new CreateClusterCommand({ clusterName: 'c' }));
  const td = (await register('app')).taskDefinition!.taskDefinitionArn!;
  for (let i = 0; i < 25; i++) await ecs.send(new CreateServiceCommand({ cluster: 'c', serviceName: `s-${String(i).padStart(2, '0')}`, taskDefinition: td, desiredCount: 0 }));

  const first = await ecs.send(new ListServicesCommand({ cluster: 'c' }));
  assert.equal(first.serviceArns!.length, 10);
  assert.ok(first.nextToken);
  const second = await ecs.send(new ListServicesCommand({ cluster: 'c', nextToken: first.nextToken }));
  const third = await ecs.send(new ListServicesCommand({ cluster: 'c', nextToken: second.nextToken }));
  assert.deepEqual([second.serviceArns!.length, third.serviceArns!.length, third.nextToken], [10, 5, undefined]);

  const all = await ecs.send(new ListServicesCommand({ cluster: 'c', maxResults: 100 }));
  assert.deepEqual([all.serviceArns!.length, all.nextToken], [25, undefined]);
  assert.deepEqual([...first.serviceArns!, ...second.serviceArns!, ...third.serviceArns!], all.serviceArns);

  const sizes: number[] = [];
  const walked: string[] = [];
  for await (const page of paginateListServices({ client: ecs, pageSize: 7 }, { cluster: 'c' })) {
    sizes.push(page.serviceArns!.length);
    walked.push(...page.serviceArns!);
  }
  assert.deepEqual(sizes, [7, 7, 7, 4]);
  assert.deepEqual(walked, all.serviceArns);

  assert.deepEqual(await refusal(ecs.send(new ListServicesCommand({ cluster: 'c', maxResults: 101 }))), { name: 'InvalidParameterException', status: 400 });
  assert.deepEqual(await refusal(ecs.send(new ListServicesCommand({ cluster: 'c', maxResults: 0 }))), { name: 'InvalidParameterException', status: 400 });
});

test('ListTaskDefinitions: 100 a page by default, by family then revision as a number, DESC newest first', async () => {
  await fresh();
  for (let i = 0; i < 103; i++) await register('big');
  for (let i = 0; i < 2; i++) await register('alpha');
  const first = await ecs.send(new ListTaskDefinitionsCommand({}));
  assert.equal(first.taskDefinitionArns!.length, 100);
  const rest = await ecs.send(new ListTaskDefinitionsCommand({ nextToken: first.nextToken }));
  assert.deepEqual([rest.taskDefinitionArns!.length, rest.nextToken], [5, undefined]);
  const tail = (arn: string) => arn.slice(arn.indexOf('/') + 1);
  const asc = [...first.taskDefinitionArns!, ...rest.taskDefinitionArns!].map(tail);
  assert.deepEqual(asc.slice(0, 4), ['alpha:1', 'alpha:2', 'big:1', 'big:2']);
  assert.deepEqual(asc.slice(10, 13), ['big:9', 'big:10', 'big:11'], 'revisions compare as numbers');
  assert.equal(asc.at(-1), 'big:103');

  const desc: string[] = [];
  for await (const page of paginateListTaskDefinitions({ client: ecs, pageSize: 40 }, { sort: 'DESC' })) desc.push(...page.taskDefinitionArns!.map(tail));
  assert.deepEqual(desc, [...asc].reverse());
  const newest = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'big', sort: 'DESC', maxResults: 1 }));
  assert.deepEqual(newest.taskDefinitionArns!.map(tail), ['big:103']);
});

test('a nextToken belongs to its request: another request, or a made-up token, is refused', async () => {
  await fresh();
  for (let i = 0; i < 3; i++) await register('web');
  for (let i = 0; i < 3; i++) await register('api');
  const page = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'web', maxResults: 2 }));
  assert.ok(page.nextToken);
  // Same request with another page size: allowed, as AWS allows it.
  const next = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'web', maxResults: 5, nextToken: page.nextToken }));
  assert.equal(next.taskDefinitionArns!.length, 1);
  for (const input of [{ familyPrefix: 'api' }, { familyPrefix: 'web', sort: 'DESC' as const }, { familyPrefix: 'web', status: 'INACTIVE' as const }]) {
    assert.deepEqual(await refusal(ecs.send(new ListTaskDefinitionsCommand({ ...input, nextToken: page.nextToken }))), { name: 'InvalidParameterException', status: 400 }, JSON.stringify(input));
  }
  assert.deepEqual(await refusal(ecs.send(new ListTaskDefinitionsCommand({ nextToken: 'bm90IGEgdG9rZW4' }))), { name: 'InvalidParameterException', status: 400 });
  assert.deepEqual(await refusal(ecs.send(new ListServicesCommand({ nextToken: page.nextToken }))), { name: 'InvalidParameterException', status: 400 });
});

test('a walk survives changes between its pages: nothing that stays is skipped or repeated', async () => {
  await fresh();
  for (const family of ['b', 'c', 'd']) for (let i = 0; i < 3; i++) await register(family);
  const first = await ecs.send(new ListTaskDefinitionsCommand({ maxResults: 4 }));
  const tail = (arn: string) => arn.slice(arn.indexOf('/') + 1);
  assert.deepEqual(first.taskDefinitionArns!.map(tail), ['b:1', 'b:2', 'b:3', 'c:1']);
  // Before the cursor: two revisions of a family that sorts first, and one fewer; after it: one more,
  // one fewer. An offset would now point one item back and serve c:1 again.
  await register('a');
  await register('a');
  await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'b:2' }));
  await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'd:1' }));
  await register('d');
  const rest: string[] = [];
  let token = first.nextToken;
  while (token) {
    const page = await ecs.send(new ListTaskDefinitionsCommand({ maxResults: 4, nextToken: token }));
    rest.push(...page.taskDefinitionArns!.map(tail));
    token = page.nextToken;
  }
  assert.deepEqual(rest, ['c:2', 'c:3', 'd:2', 'd:3', 'd:4']);
});

test('ListTaskDefinitionFamilies and ListClusters: 100 a page; families filtered by status as AWS does', async () => {
  await fresh();
  for (let i = 0; i < 101; i++) await ecs.send(new CreateClusterCommand({ clusterName: `c-${String(i).padStart(3, '0')}` }));
  const clusters = await ecs.send(new ListClustersCommand({}));
  assert.equal(clusters.clusterArns!.length, 100);
  const lastCluster = await ecs.send(new ListClustersCommand({ nextToken: clusters.nextToken }));
  assert.deepEqual([lastCluster.clusterArns!.length, lastCluster.nextToken], [1, undefined]);

  await register('live');
  const gone = (await register('gone')).taskDefinition!.taskDefinitionArn!;
  await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: gone }));
  const families = async (status?: 'ACTIVE' | 'INACTIVE' | 'ALL') => (await ecs.send(new ListTaskDefinitionFamiliesCommand({ status }))).families;
  assert.deepEqual(await families(), ['gone', 'live']);
  assert.deepEqual(await families('ACTIVE'), ['live']);
  assert.deepEqual(await families('INACTIVE'), ['gone']);
  const one = await ecs.send(new ListTaskDefinitionFamiliesCommand({ maxResults: 1 }));
  assert.deepEqual(one.families, ['gone']);
  assert.deepEqual((await ecs.send(new ListTaskDefinitionFamiliesCommand({ maxResults: 1, nextToken: one.nextToken }))).families, ['live']);
});

test('Application Auto Scaling: targets and scheduled actions 50 a page, scaling policies 10', async () => {
  await fresh();
  const dimension = 'dynamodb:table:ReadCapacityUnits';
  const table = (i: number) => `table/t-${String(i).padStart(2, '0')}`;
  for (let i = 0; i < 55; i++) {
    await aas.send(new RegisterScalableTargetCommand({ ServiceNamespace: 'dynamodb', ResourceId: table(i), ScalableDimension: dimension, MinCapacity: 1, MaxCapacity: 5 }));
  }
  for (let i = 0; i < 12; i++) {
    await aas.send(new PutScalingPolicyCommand({
      PolicyName: `p-${i}`, ServiceNamespace: 'dynamodb', ResourceId: table(i), ScalableDimension: dimension, PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: { TargetValue: 70, PredefinedMetricSpecification: { PredefinedMetricType: 'DynamoDBReadCapacityUtilization' } },
    }));
  }
  for (let i = 0; i < 52; i++) {
    await aas.send(new PutScheduledActionCommand({
      ScheduledActionName: `a-${String(i).padStart(2, '0')}`, ServiceNamespace: 'dynamodb', ResourceId: table(0), ScalableDimension: dimension,
      Schedule: 'cron(0 22 * * ? *)', ScalableTargetAction: { MinCapacity: 1 },
    }));
  }
  const targets = await aas.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'dynamodb' }));
  assert.equal(targets.ScalableTargets!.length, 50);
  const moreTargets = await aas.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'dynamodb', NextToken: targets.NextToken }));
  assert.deepEqual([moreTargets.ScalableTargets!.length, moreTargets.NextToken], [5, undefined]);
  assert.equal(new Set([...targets.ScalableTargets!, ...moreTargets.ScalableTargets!].map((t) => t.ResourceId)).size, 55);

  const policies = await aas.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: 'dynamodb' }));
  assert.equal(policies.ScalingPolicies!.length, 10);
  const morePolicies = await aas.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: 'dynamodb', NextToken: policies.NextToken }));
  assert.deepEqual([morePolicies.ScalingPolicies!.length, morePolicies.NextToken], [2, undefined]);

  const actions = await aas.send(new DescribeScheduledActionsCommand({ ServiceNamespace: 'dynamodb', MaxResults: 30 }));
  assert.equal(actions.ScheduledActions!.length, 30);
  const moreActions = await aas.send(new DescribeScheduledActionsCommand({ ServiceNamespace: 'dynamodb', NextToken: actions.NextToken }));
  assert.deepEqual([moreActions.ScheduledActions!.length, moreActions.NextToken], [22, undefined]);

  assert.deepEqual(await refusal(aas.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: 'dynamodb', MaxResults: 11 }))), { name: 'ValidationException', status: 400 });
  assert.deepEqual(await refusal(aas.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'dynamodb', NextToken: policies.NextToken }))), { name: 'InvalidNextTokenException', status: 400 });
});

test('a walk costs the emulator one listing; a write through the proxy, or time, makes the next one fresh', async () => {
  await fresh();
  // A second proxy, paging off, between the first and moto: it counts what reaches the emulator.
  const inner = await startAwsProxy({ upstream: moto.server.endpoint, throttle: false, paging: false });
  const outer = await startAwsProxy({ upstream: inner.endpoint, throttle: false });
  const client = new ECSClient({ endpoint: outer.endpoint, maxAttempts: 1 });
  const direct = new ECSClient({ endpoint: inner.endpoint, maxAttempts: 1 });
  try {
    for (let i = 0; i < 9; i++) await register(`f${i}`);
    const walk = async () => {
      const arns: string[] = [];
      for await (const page of paginateListTaskDefinitions({ client, pageSize: 2 }, {})) arns.push(...page.taskDefinitionArns!);
      return arns.length;
    };
    const listings = () => inner.counts().byOperation['ecs:ListTaskDefinitions']?.requests ?? 0;
    assert.equal(await walk(), 9);
    assert.equal(listings(), 1, 'five pages, one listing');
    await client.send(new RegisterTaskDefinitionCommand({ family: 'f9', containerDefinitions: [{ name: 'app', image: 'nginx', memory: 128 }] }));
    assert.equal(await walk(), 10, 'a write through the proxy is seen at once');
    assert.equal(listings(), 2);
    await direct.send(new RegisterTaskDefinitionCommand({ family: 'fa', containerDefinitions: [{ name: 'app', image: 'nginx', memory: 128 }] }));
    await new Promise((r) => setTimeout(r, 2100));
    assert.equal(await walk(), 11, 'a write past the proxy is seen after two seconds');
  } finally {
    client.destroy();
    direct.destroy();
    await outer.stop();
    await inner.stop();
  }
});
