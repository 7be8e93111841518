// Load balancer bindings and service registries against moto through the real SDK: moved, added and
// removed in place (same service ARN, one UpdateService), a binding to a missing target group Stalled
// with nothing written, target groups read in batches and target health once per group and pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import {
  CreateTargetGroupCommand, ElasticLoadBalancingV2Client, RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { createAwsClients } from '../../src/aws/clients.js';
import { SdkElbv2 } from '../../src/aws/elbv2.js';
import { useMoto } from '../support/moto.js';
import { ecsClient } from '../support/aws.js';
import { startExamples, writesOf } from '../autoscaling/harness.js';

const moto = useMoto({ MOTO_ECS_SERVICE_RUNNING: '2' });

async function targetGroup(vpc: string, name: string): Promise<string> {
  const elb = new ElasticLoadBalancingV2Client({});
  try {
    const out = await elb.send(new CreateTargetGroupCommand({ Name: name, Protocol: 'HTTP', Port: 80, VpcId: vpc, TargetType: 'ip' }));
    return out.TargetGroups![0]!.TargetGroupArn!;
  } finally {
    elb.destroy();
  }
}

async function liveWeb() {
  const ecs = ecsClient();
  try {
    return (await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }))).services![0]!;
  } finally {
    ecs.destroy();
  }
}

const binding = (arn: string) => `    - targetGroupArn: ${arn}\n      containerName: web\n      containerPort: 80\n`;
const bindings = (...arns: string[]) => (text: string) =>
  text.replace(/  loadBalancers:\n(    .*\n|      .*\n)*/, `  loadBalancers:\n${arns.map(binding).join('')}`);

// Each change is one UpdateService, and one TagResource: the service's applied-hash tag records what
// was applied (UpdateService takes no tags), so that a restart can tell a Git change from drift.
const CHANGE = { 'ecs:UpdateService': 1, 'ecs:TagResource': 1 };

test('bindings move, are added and removed in place: one UpdateService each, same service ARN', async () => {
  await moto.server.reset();
  const h = await startExamples();
  try {
    const arn = (await liveWeb()).serviceArn;
    const second = await targetGroup(h.fixtures.vpc, 'web-2');

    await h.edit('web/service.yaml', bindings(second));
    assert.deepEqual(writesOf(await h.reload()), CHANGE);
    let live = await liveWeb();
    assert.equal(live.serviceArn, arn);
    assert.deepEqual(live.loadBalancers?.map((lb) => lb.targetGroupArn), [second]);
    assert.equal(h.status('Service/web').sync, 'Synced');

    await h.edit('web/service.yaml', bindings(h.fixtures.webTargetGroup, second));
    assert.deepEqual(writesOf(await h.reload()), CHANGE);
    live = await liveWeb();
    assert.deepEqual(live.loadBalancers?.map((lb) => lb.targetGroupArn).sort(), [h.fixtures.webTargetGroup, second].sort());

    await h.edit('web/service.yaml', bindings(h.fixtures.webTargetGroup));
    assert.deepEqual(writesOf(await h.reload()), CHANGE);
    live = await liveWeb();
    assert.equal(live.serviceArn, arn);
    assert.deepEqual(live.loadBalancers?.map((lb) => lb.targetGroupArn), [h.fixtures.webTargetGroup]);
    assert.deepEqual(writesOf(await h.resync()), {});
  } finally {
    await h.stop();
  }
});

test('service registries change in place too', async () => {
  await moto.server.reset();
  const h = await startExamples();
  try {
    const arn = (await liveWeb()).serviceArn;
    const registry = 'arn:aws:servicediscovery:us-east-1:123456789012:service/srv-0123456789abcdef';
    await h.edit('web/service.yaml', (text) => text.replace('  healthCheckGracePeriodSeconds', `  serviceRegistries:\n    - registryArn: ${registry}\n  healthCheckGracePeriodSeconds`));
    assert.deepEqual(writesOf(await h.reload()), CHANGE);
    assert.deepEqual((await liveWeb()).serviceRegistries, [{ registryArn: registry }]);
    assert.equal((await liveWeb()).serviceArn, arn);
    assert.deepEqual(writesOf(await h.resync()), {});
    await h.edit('web/service.yaml', (text) => text.replace(/  serviceRegistries:\n    - .*\n/, ''));
    assert.deepEqual(writesOf(await h.reload()), CHANGE);
    assert.deepEqual((await liveWeb()).serviceRegistries ?? [], []);
  } finally {
    await h.stop();
  }
});

test('a binding to a target group that does not exist: Stalled NotFound, nothing written', async () => {
  await moto.server.reset();
  const h = await startExamples();
  try {
    const gone = h.fixtures.webTargetGroup.replace(/\/[0-9a-f]+$/, '/0000000000000000').replace('/web/', '/gone/');
    await h.edit('web/service.yaml', bindings(gone));
    assert.deepEqual(writesOf(await h.reload()), {});
    const web = h.status('Service/web');
    assert.equal(web.sync, 'OutOfSync');
    assert.equal(web.conditions[0]?.type, 'Stalled');
    assert.equal(web.conditions[0]?.reason, 'NotFound');
    assert.match(web.conditions[0]?.message ?? '', new RegExp(`spec\\.loadBalancers\\[0\\]\\.targetGroupArn ${gone.replace(/[/.]/g, '\\$&')}`));
    assert.deepEqual((await liveWeb()).loadBalancers?.map((lb) => lb.targetGroupArn), [h.fixtures.webTargetGroup]);
  } finally {
    await h.stop();
  }
});

test('a new service bound to a missing target group is not created', async () => {
  await moto.server.reset();
  const h = await startExamples(async (edit) => edit('web/service.yaml', (text) => text.replace(/targetgroup\/web\/[0-9a-f]+/, 'targetgroup/nope/0000000000000000')));
  try {
    assert.equal(h.aws.stats.count('ecs', 'CreateService'), 1, 'only the worker');
    assert.equal(h.status('Service/web').conditions[0]?.reason, 'NotFound');
    assert.equal(h.status('ServiceAutoScaling/web').conditions[0]?.type, 'Waiting');
  } finally {
    await h.stop();
  }
});

test('registered targets are read once per target group and pass; healthy targets keep the service Healthy', async () => {
  await moto.server.reset();
  const h = await startExamples();
  const elb = new ElasticLoadBalancingV2Client({});
  try {
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: h.fixtures.webTargetGroup, Targets: [{ Id: '10.0.1.17', Port: 80 }, { Id: '10.0.2.44', Port: 80 }] }));
    const calls = await h.resync();
    assert.equal(calls['elbv2:DescribeTargetHealth'], 1);
    assert.equal(h.status('Service/web').health, 'Healthy');
  } finally {
    elb.destroy();
    await h.stop();
  }
});

test('target group existence is read 20 ARNs a call; a batch with an unknown ARN is asked again one by one', async () => {
  await moto.server.reset();
  const { exampleManifests } = await import('../support/examples.js');
  const { fixtures } = await exampleManifests();
  const aws = createAwsClients({ rateScale: Infinity });
  const elbv2 = new SdkElbv2(aws.elbv2);
  try {
    const known = [fixtures.webTargetGroup];
    for (let i = 0; i < 24; i++) known.push(await targetGroup(fixtures.vpc, `tg-${i}`));
    const unknown = known[0]!.replace(/targetgroup\/web\/[0-9a-f]+/, 'targetgroup/nope/0000000000000000');
    const t0 = Date.now();
    await elbv2.prefetchTargetGroups(known.slice(0, 20));
    assert.equal(aws.stats.count('elbv2', 'DescribeTargetGroups'), 1);
    await elbv2.prefetchTargetGroups([...known.slice(20), unknown]);
    assert.equal(aws.stats.count('elbv2', 'DescribeTargetGroups'), 2 + 6, 'one failed batch of 6, then 6 single asks');
    const answers = await Promise.all([...known, unknown].map((arn) => elbv2.targetGroupExists(arn, t0)));
    assert.deepEqual(answers, [...known.map(() => true), false]);
    assert.equal(aws.stats.count('elbv2', 'DescribeTargetGroups'), 8, 'all cached');
    assert.equal(await elbv2.targetHealth(unknown, t0), undefined);
  } finally {
    aws.destroy();
  }
});
