// The Application Auto Scaling adapter and the ServiceAutoScaling normalizer on the responses AWS really
// returns (recorded shapes in test/fixtures/aws, served by a local endpoint to the real SDK): the
// example manifest equals them with no write to make, and writes cross the boundary in PascalCase.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import type { JsonObject } from '../../src/core/types.js';
import { SdkAutoScaling } from '../../src/aws/autoscaling.js';
import { validatePaths } from '../support/manifests.js';
import { diffScaling, scalingWrites } from '../../src/kinds/service-auto-scaling/diff.js';
import { liveScalingSpec, normalizeScalingSpec } from '../../src/kinds/service-auto-scaling/normalize.js';
import { fixture } from '../normalize/aws-fixtures.js';
import { recordedAas, type RecordedAas } from './recorded-aas.js';

const EXAMPLES = fileURLToPath(new URL('../../manifests', import.meta.url));
const RESOURCE = 'service/prod/web';
const answers = () => ({
  DescribeScalableTargets: fixture('describe-scalable-targets-ecs-web'),
  DescribeScalingPolicies: fixture('describe-scaling-policies-ecs-web'),
  DescribeScheduledActions: fixture('describe-scheduled-actions-ecs-web'),
  RegisterScalableTarget: { ScalableTargetARN: 'arn:aws:application-autoscaling:us-east-1:123456789012:scalable-target/0ec4' },
  PutScalingPolicy: { PolicyARN: 'arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:1:resource/ecs/service/prod/web:policyName/cpu', Alarms: [] },
});

/** Runs `body` with an adapter on a recorded endpoint, closed afterwards. */
async function withRecorded(body: (port: SdkAutoScaling, aas: RecordedAas) => Promise<void>): Promise<void> {
  const aas = await recordedAas(answers());
  try {
    await body(new SdkAutoScaling(aas.client), aas);
  } finally {
    await aas.close();
  }
}

async function exampleSpec(): Promise<JsonObject> {
  const { state } = await validatePaths([EXAMPLES]);
  return state!.resources.get('ServiceAutoScaling/web')!.manifest.spec;
}

test('the example ServiceAutoScaling equals what AWS describes for it: no difference, no write', () => withRecorded(async (port, aas) => {
  const scaling = await port.getScaling(RESOURCE, Date.now());
  assert.equal(scaling.target?.scalableTargetARN, 'arn:aws:application-autoscaling:us-east-1:123456789012:scalable-target/0ec4a0d4e5a54b1e9b7e0c1d2e3f4a5b6c7d');
  assert.deepEqual(scaling.policies.map((p) => p.policyName), ['cpu-70', 'latency-steps']);
  assert.equal(scaling.scheduledActions.find((a) => a.scheduledActionName === 'weekday-mornings')?.startTime, '2025-01-06T00:00:00.000Z');
  assert.deepEqual(aas.requests.map((r) => r.operation), ['DescribeScalableTargets', 'DescribeScalingPolicies', 'DescribeScheduledActions']);
  assert.deepEqual(aas.requests[0]!.body, {
    ServiceNamespace: 'ecs', ResourceIds: [RESOURCE], ScalableDimension: 'ecs:service:DesiredCount', MaxResults: 50,
  });

  const spec = await exampleSpec();
  const live = liveScalingSpec(scaling, 'web');
  assert.equal(JSON.stringify(live).includes('alarms'), false, 'alarms are what AWS made, not inputs');
  assert.equal(JSON.stringify(live).includes('ARN"'), true, 'roleARN is kept (compared when the manifest sets it)');
  const comparison = diffScaling(spec, live);
  assert.deepEqual(comparison.differences, []);
  assert.deepEqual(scalingWrites(normalizeScalingSpec(spec), comparison), []);
}));

test('writes cross the boundary in PascalCase: timestamps as epoch seconds, tag keys as written', () => withRecorded(async (port, aas) => {
  await port.registerScalableTarget(RESOURCE, {
    minCapacity: 2, maxCapacity: 20, suspendedState: { dynamicScalingInSuspended: false },
    tags: { 'ecs-operator.dev/managed-by': 'default', teamName: 'web' },
  });
  await port.putScalingPolicy(RESOURCE, {
    policyName: 'cpu', policyType: 'TargetTrackingScaling',
    targetTrackingScalingPolicyConfiguration: { targetValue: 70, predefinedMetricSpecification: { predefinedMetricType: 'ECSServiceAverageCPUUtilization' } },
  });
  await port.putScheduledAction(RESOURCE, {
    scheduledActionName: 'once', schedule: 'at(2025-07-01T08:00:00)', timezone: 'UTC', startTime: '2025-01-06T00:00:00.000Z',
    scalableTargetAction: { minCapacity: 1 },
  });
  await port.deleteScalingPolicy(RESOURCE, 'old');
  const target = { ServiceNamespace: 'ecs', ResourceId: RESOURCE, ScalableDimension: 'ecs:service:DesiredCount' };
  assert.deepEqual(aas.requests.map((r) => [r.operation, r.body]), [
    ['RegisterScalableTarget', {
      MinCapacity: 2, MaxCapacity: 20, SuspendedState: { DynamicScalingInSuspended: false },
      Tags: { 'ecs-operator.dev/managed-by': 'default', teamName: 'web' }, ...target,
    }],
    ['PutScalingPolicy', {
      PolicyName: 'cpu', PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: { TargetValue: 70, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' } },
      ...target,
    }],
    ['PutScheduledAction', {
      ScheduledActionName: 'once', Schedule: 'at(2025-07-01T08:00:00)', Timezone: 'UTC', StartTime: 1736121600,
      ScalableTargetAction: { MinCapacity: 1 }, ...target,
    }],
    ['DeleteScalingPolicy', { ...target, PolicyName: 'old' }],
  ]);
}));

test('a write forgets the cached scaling: the next read asks AWS again', () => withRecorded(async (port, aas) => {
  const t0 = Date.now();
  await port.getScaling(RESOURCE, t0);
  await port.getScaling(RESOURCE, t0);
  assert.equal(aas.requests.filter((r) => r.operation === 'DescribeScalableTargets').length, 1, 'cached');
  await port.deleteScheduledAction(RESOURCE, 'nightly-low');
  await port.getScaling(RESOURCE, t0);
  assert.equal(aas.requests.filter((r) => r.operation === 'DescribeScalableTargets').length, 2, 'read again after the write');
}));
