// ServiceAutoScaling end to end against moto through the real SDK: a service with target tracking, step
// scaling and scheduled actions converges, idle resyncs write nothing, a desired count changed by
// autoscaling is neither drift nor overwritten, and removing one policy deletes exactly that policy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import {
  ApplicationAutoScalingClient, DescribeScalableTargetsCommand, DescribeScalingPoliciesCommand, DescribeScheduledActionsCommand,
  PutScalingPolicyCommand,
} from '@aws-sdk/client-application-auto-scaling';
import { DescribeServicesCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { sdkPorts } from '../../src/cli/app.js';
import { createHandlers } from '../../src/kinds/registry.js';
import { planAll } from '../../src/runtime/plan-all.js';
import { useMoto } from '../support/moto.js';
import { ecsClient } from '../support/aws.js';
import { startExamples, writesOf } from './harness.js';

const moto = useMoto({ MOTO_ECS_SERVICE_RUNNING: '2' });
const RESOURCE = 'service/prod/web';
const scope = { ServiceNamespace: 'ecs' as const, ResourceId: RESOURCE, ScalableDimension: 'ecs:service:DesiredCount' as const };

async function liveScaling() {
  const client = new ApplicationAutoScalingClient({});
  try {
    const target = (await client.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs', ResourceIds: [RESOURCE] }))).ScalableTargets?.[0];
    const policies = (await client.send(new DescribeScalingPoliciesCommand(scope))).ScalingPolicies ?? [];
    const actions = (await client.send(new DescribeScheduledActionsCommand(scope))).ScheduledActions ?? [];
    return { target, policies: policies.map((p) => p.PolicyName).sort(), actions: actions.map((a) => a.ScheduledActionName).sort() };
  } finally {
    client.destroy();
  }
}

test('target tracking, step scaling and scheduled actions converge; idle resyncs write nothing', async () => {
  await moto.server.reset();
  const h = await startExamples();
  try {
    for (const s of h.controller.status.list()) assert.deepEqual([s.key, s.sync, s.health], [s.key, 'Synced', 'Healthy'], JSON.stringify(s));
    assert.equal(h.controller.status.list().length, 6);
    const live = await liveScaling();
    assert.deepEqual([live.target?.MinCapacity, live.target?.MaxCapacity], [2, 20]);
    assert.deepEqual(live.policies, ['cpu-70', 'latency-steps']);
    assert.deepEqual(live.actions, ['nightly-low', 'weekday-mornings']);
    const ops = h.aws.stats.snapshot();
    assert.equal(ops['application-autoscaling:RegisterScalableTarget'], 1);
    assert.equal(ops['application-autoscaling:PutScalingPolicy'], 2);
    assert.equal(ops['application-autoscaling:PutScheduledAction'], 2);
    assert.match(h.status('ServiceAutoScaling/web').liveArn ?? '', /^arn:aws:application-autoscaling:/);

    for (let i = 0; i < 2; i++) {
      const calls = await h.resync();
      assert.deepEqual(writesOf(calls), {}, JSON.stringify(calls));
      // One batched read of each kind of thing; target health only for the one service with a binding.
      assert.equal(calls['application-autoscaling:DescribeScalableTargets'], 1);
      assert.equal(calls['application-autoscaling:DescribeScalingPolicies'], 1);
      assert.equal(calls['application-autoscaling:DescribeScheduledActions'], 1);
      assert.equal(calls['elbv2:DescribeTargetGroups'], 1);
      assert.equal(calls['elbv2:DescribeTargetHealth'], 1);
    }
    const planned = await planAll(h.controller.desired!, { handlers: createHandlers(sdkPorts(h.aws)), log: pino({ level: 'silent' }), instance: 'default', adopt: true });
    assert.deepEqual(planned.filter((p) => p.action !== 'in-sync').map((p) => [p.key, p.action, p.differences]), []);
  } finally {
    await h.stop();
  }
});

test('a desired count changed by autoscaling is neither drift nor overwritten', async () => {
  await moto.server.reset();
  const h = await startExamples();
  const ecs = ecsClient();
  try {
    // What Application Auto Scaling does when a policy fires: UpdateService with a new desiredCount.
    await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', desiredCount: 7 }));
    const calls = await h.resync();
    assert.deepEqual(writesOf(calls), {});
    const web = h.status('Service/web');
    assert.deepEqual([web.sync, web.health, web.drift], ['Synced', 'Healthy', undefined]);
    const live = (await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }))).services![0]!;
    assert.equal(live.desiredCount, 7);
  } finally {
    ecs.destroy();
    await h.stop();
  }
});

test('an autoscaled service without a desiredCount is created at minCapacity', async () => {
  await moto.server.reset();
  const h = await startExamples(async (edit) => {
    await edit('web/service.yaml', (text) => text.replace(/  desiredCount: 2\n/, ''));
    await edit('web/autoscaling.yaml', (text) => text.replace('minCapacity: 2\n', 'minCapacity: 3\n'));
  });
  const ecs = ecsClient();
  try {
    const live = (await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }))).services![0]!;
    assert.equal(live.desiredCount, 3);
    assert.deepEqual(writesOf(await h.resync()), {});
  } finally {
    ecs.destroy();
    await h.stop();
  }
});

test('removing one policy from the manifest deletes exactly that policy', async () => {
  await moto.server.reset();
  const h = await startExamples();
  try {
    await h.edit('web/autoscaling.yaml', (text) => text.replace(/    # A step policy[\s\S]*?scalingAdjustment: 4\n/, ''));
    const calls = await h.reload();
    // Under heal the target's tags are not read: its ownership tags ride along with every apply that writes.
    assert.deepEqual(writesOf(calls), { 'application-autoscaling:DeleteScalingPolicy': 1, 'application-autoscaling:TagResource': 1 });
    assert.deepEqual((await liveScaling()).policies, ['cpu-70']);
    assert.deepEqual((await liveScaling()).actions, ['nightly-low', 'weekday-mornings']);
    assert.equal(h.status('ServiceAutoScaling/web').sync, 'Synced');
    assert.deepEqual(writesOf(await h.resync()), {});
  } finally {
    await h.stop();
  }
});

test('a scheduled action and the capacities change in place; a console change to a policy is healed', async () => {
  await moto.server.reset();
  const h = await startExamples();
  const client = new ApplicationAutoScalingClient({});
  try {
    await h.edit('web/autoscaling.yaml', (text) => text.replace('maxCapacity: 20\n  policies', 'maxCapacity: 25\n  policies').replace('cron(0 22 * * ? *)', 'cron(30 21 * * ? *)'));
    assert.deepEqual(writesOf(await h.reload()), {
      'application-autoscaling:RegisterScalableTarget': 1, 'application-autoscaling:PutScheduledAction': 1, 'application-autoscaling:TagResource': 1,
    });
    assert.equal((await liveScaling()).target?.MaxCapacity, 25);

    await client.send(new PutScalingPolicyCommand({
      ...scope, PolicyName: 'cpu-70', PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: { TargetValue: 90, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' } },
    }));
    const calls = await h.resync();
    assert.deepEqual(writesOf(calls), { 'application-autoscaling:PutScalingPolicy': 1, 'application-autoscaling:TagResource': 1 }, 'healed (drift policy heal)');
    assert.deepEqual(writesOf(await h.resync()), {});
  } finally {
    client.destroy();
    await h.stop();
  }
});
