// Auto scaling and load balancer bindings through the built CLI against moto: validate rejects a binding
// to a port the task definition does not expose; apply converges the examples whole, a re-apply writes
// nothing even after autoscaling changed the desired count; a binding moves in place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DescribeServicesCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { CreateTargetGroupCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { useMoto } from '../support/moto.js';
import { runCli } from '../support/cli.js';
import { ecsClient } from '../support/aws.js';
import { exampleManifests } from '../support/examples.js';

const moto = useMoto({ MOTO_ECS_SERVICE_RUNNING: '2' });
const env = () => moto.server.awsEnv;

async function applyJson(dir: string) {
  const r = await runCli(['apply', dir, '-o', 'json', '--timeout', '60s'], { env: env() });
  return { ...r, json: JSON.parse(r.stdout) };
}

const writes = (calls: { byOperation: Record<string, number> }) =>
  Object.fromEntries(Object.entries(calls.byOperation).filter(([op]) => !/:(Describe|List|Get)/.test(op)));

async function edit(dir: string, file: string, change: (text: string) => string) {
  await writeFile(join(dir, file), change(await readFile(join(dir, file), 'utf8')));
}

test('validate rejects a load balancer binding to a port the task definition does not expose', async () => {
  const { dir } = await exampleManifests();
  await edit(dir, 'web/service.yaml', (text) => text.replace('containerPort: 80', 'containerPort: 8080'));
  const result = await runCli(['validate', dir]);
  assert.equal(result.code, 1);
  assert.match(result.stdout, /\/web\/service\.yaml:\d+:\d+: container "web" of TaskDefinition "web" has no port mapping for containerPort 8080 \(it maps 80\) \(at \/spec\/loadBalancers\/0\/containerPort\)$/m);
});

test('apply converges service, scaling and bindings; a re-apply after autoscaling moved the count writes nothing', async () => {
  await moto.server.reset();
  const { dir } = await exampleManifests();
  const first = await applyJson(dir);
  assert.equal(first.code, 0, first.stderr);
  const scaling = first.json.resources.find((r: { key: string }) => r.key === 'ServiceAutoScaling/web');
  assert.deepEqual([scaling.sync, scaling.health, scaling.actions], ['Synced', 'Healthy', ['created']]);
  // (moto drops a few CreateService inputs, so each service also converges with one UpdateService there.)
  const made = writes(first.json.awsCalls);
  assert.deepEqual(Object.fromEntries(Object.entries(made).filter(([op]) => op.startsWith('application-autoscaling:'))), {
    'application-autoscaling:PutScalingPolicy': 2,
    'application-autoscaling:PutScheduledAction': 2,
    'application-autoscaling:RegisterScalableTarget': 1,
  });
  assert.equal(made['ecs:CreateService'], 2);

  const ecs = ecsClient();
  try {
    await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', desiredCount: 9 }));
    const diff = await runCli(['diff', dir], { env: env() });
    assert.equal(diff.code, 0, diff.stdout);
    const second = await applyJson(dir);
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(writes(second.json.awsCalls), {});
    const live = (await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }))).services![0]!;
    assert.equal(live.desiredCount, 9);
  } finally {
    ecs.destroy();
  }
});

test('moving a binding to another target group updates the service in place', async () => {
  await moto.server.reset();
  const { dir, fixtures } = await exampleManifests();
  assert.equal((await applyJson(dir)).code, 0);
  const elb = new ElasticLoadBalancingV2Client({});
  const ecs = ecsClient();
  try {
    const before = (await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }))).services![0]!;
    const other = (await elb.send(new CreateTargetGroupCommand({ Name: 'web-blue', Protocol: 'HTTP', Port: 80, VpcId: fixtures.vpc, TargetType: 'ip' }))).TargetGroups![0]!.TargetGroupArn!;
    await edit(dir, 'web/service.yaml', (text) => text.replace(fixtures.webTargetGroup, other));
    const diff = await runCli(['diff', dir], { env: env() });
    assert.equal(diff.code, 1);
    assert.ok(diff.stdout.includes(`+    targetGroupArn: ${other}`), diff.stdout);
    const applied = await applyJson(dir);
    assert.equal(applied.code, 0, applied.stderr);
    // The TagResource records what was applied on the service (UpdateService takes no tags).
    assert.deepEqual(writes(applied.json.awsCalls), { 'ecs:UpdateService': 1, 'ecs:TagResource': 1 });
    const after = (await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }))).services![0]!;
    assert.equal(after.serviceArn, before.serviceArn);
    assert.deepEqual(after.loadBalancers?.map((lb) => lb.targetGroupArn), [other]);
  } finally {
    elb.destroy();
    ecs.destroy();
  }
});
