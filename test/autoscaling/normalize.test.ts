// ServiceAutoScaling normalization and diff, rule by rule, on the shapes AWS returns (the recorded
// responses read through the real SDK and adapter once): AWS's defaults are no difference, real
// changes are, and scalingWrites makes exactly the writes a change needs.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../src/core/types.js';
import { SdkAutoScaling, type ServiceScaling } from '../../src/aws/autoscaling.js';
import { diffScaling, scalingWrites } from '../../src/kinds/service-auto-scaling/diff.js';
import { canonicalTimestamp, liveScalingSpec, normalizeScalingSpec } from '../../src/kinds/service-auto-scaling/normalize.js';
import { fixture } from '../normalize/aws-fixtures.js';
import { recordedAas } from './recorded-aas.js';

let recorded: ServiceScaling;
before(async () => {
  const aas = await recordedAas({
    DescribeScalableTargets: fixture('describe-scalable-targets-ecs-web'),
    DescribeScalingPolicies: fixture('describe-scaling-policies-ecs-web'),
    DescribeScheduledActions: fixture('describe-scheduled-actions-ecs-web'),
  });
  recorded = await new SdkAutoScaling(aas.client).getScaling('service/prod/web', Date.now());
  await aas.close();
});

/** The recorded scaling, changed by `edit` (on a copy). */
function live(edit: (s: ServiceScaling) => void = () => {}): JsonObject {
  const copy = structuredClone(recorded);
  edit(copy);
  return liveScalingSpec(copy, 'web');
}
const policy = (s: ServiceScaling, name: string) => s.policies.find((p) => p.policyName === name)!;
const action = (s: ServiceScaling, name: string) => s.scheduledActions.find((a) => a.scheduledActionName === name)!;
const config = (p: JsonObject, key: string) => p[key] as JsonObject;

/** The example manifest's spec (manifests/web/autoscaling.yaml), as a fresh object. */
function manifest(): JsonObject {
  return {
    service: 'web', minCapacity: 2, maxCapacity: 20,
    policies: [
      { policyName: 'cpu-70', policyType: 'TargetTrackingScaling', targetTrackingScalingPolicyConfiguration: { targetValue: 70, predefinedMetricSpecification: { predefinedMetricType: 'ECSServiceAverageCPUUtilization' }, scaleOutCooldown: 60, scaleInCooldown: 300 } },
      { policyName: 'latency-steps', policyType: 'StepScaling', stepScalingPolicyConfiguration: { adjustmentType: 'ChangeInCapacity', cooldown: 120, metricAggregationType: 'Maximum', stepAdjustments: [{ metricIntervalLowerBound: 0, metricIntervalUpperBound: 0.5, scalingAdjustment: 2 }, { metricIntervalLowerBound: 0.5, scalingAdjustment: 4 }] } },
    ],
    scheduledActions: [
      { scheduledActionName: 'nightly-low', schedule: 'cron(0 22 * * ? *)', timezone: 'Europe/Paris', scalableTargetAction: { minCapacity: 1, maxCapacity: 4 } },
      { scheduledActionName: 'weekday-mornings', schedule: 'cron(0 7 ? * MON-FRI *)', timezone: 'Europe/Paris', startTime: '2025-01-06T00:00:00Z', scalableTargetAction: { minCapacity: 6, maxCapacity: 24 } },
    ],
  };
}
const paths = (desired: JsonObject, l: JsonObject, ignore: string[] = []) => diffScaling(desired, l, ignore).differences.map((d) => d.path);

test('defaults AWS fills in are no difference', () => {
  const lean = manifest();
  const tt = config((lean.policies as JsonObject[])[0]!, 'targetTrackingScalingPolicyConfiguration');
  delete tt.scaleInCooldown; // 300: the ECS default
  const step = config((lean.policies as JsonObject[])[1]!, 'stepScalingPolicyConfiguration');
  const l = live((s) => {
    config(policy(s, 'latency-steps'), 'stepScalingPolicyConfiguration').metricAggregationType = 'Average';
    config(policy(s, 'latency-steps'), 'stepScalingPolicyConfiguration').cooldown = 300;
    delete action(s, 'nightly-low').timezone;
    action(s, 'nightly-low').timezone = 'UTC';
  });
  delete step.metricAggregationType;
  delete step.cooldown;
  delete (lean.scheduledActions as JsonObject[])[0]!.timezone;
  assert.deepEqual(paths(lean, l), [], 'disableScaleIn false, cooldowns 300, Average, UTC, suspendedState all false, the service-linked role');
  assert.deepEqual(paths({ ...manifest(), suspendedState: { dynamicScalingInSuspended: false } }, live()), []);
});

test('ARNs, alarms, creation times and the target identity are dropped; lists compare as sets by name', () => {
  const spec = live();
  assert.deepEqual(Object.keys((spec.policies as JsonObject[])[0]!).sort(), ['policyName', 'policyType', 'targetTrackingScalingPolicyConfiguration']);
  assert.deepEqual(Object.keys((spec.scheduledActions as JsonObject[])[0]!).sort(), ['scalableTargetAction', 'schedule', 'scheduledActionName', 'startTime', 'timezone']);
  const reordered = manifest();
  (reordered.policies as JsonObject[]).reverse();
  (reordered.scheduledActions as JsonObject[]).reverse();
  assert.deepEqual(paths(reordered, spec), []);
});

test('timestamps in any ISO spelling, UTC when no offset is written', () => {
  assert.equal(canonicalTimestamp('2025-01-06T01:00:00+01:00'), '2025-01-06T00:00:00.000Z');
  assert.equal(canonicalTimestamp('2025-01-06T00:00:00'), '2025-01-06T00:00:00.000Z');
  assert.equal(canonicalTimestamp('not a date'), 'not a date');
  const m = manifest();
  (m.scheduledActions as JsonObject[])[1]!.startTime = '2025-01-06T01:00:00+01:00';
  assert.deepEqual(paths(m, live()), []);
});

test('real changes are differences', () => {
  const m = manifest();
  config((m.policies as JsonObject[])[0]!, 'targetTrackingScalingPolicyConfiguration').targetValue = 60;
  config((m.policies as JsonObject[])[0]!, 'targetTrackingScalingPolicyConfiguration').disableScaleIn = true;
  m.minCapacity = 3;
  (m.scheduledActions as JsonObject[])[0]!.timezone = 'America/New_York';
  assert.deepEqual(paths(m, live((s) => ((s.target!.suspendedState as JsonObject).scheduledScalingSuspended = true))), [
    '/minCapacity',
    '/policies/0/targetTrackingScalingPolicyConfiguration/disableScaleIn',
    '/policies/0/targetTrackingScalingPolicyConfiguration/targetValue',
    '/scheduledActions/0/timezone',
    '/suspendedState',
  ]);
  assert.deepEqual(paths({ ...manifest(), roleARN: 'arn:aws:iam::123456789012:role/my-scaling' }, live()), ['/roleARN']);
  assert.deepEqual(paths(m, live(), ['/minCapacity', '/policies/*/targetTrackingScalingPolicyConfiguration', '/scheduledActions/0/timezone']), [], 'ignore-differences');
});

test('capacities a scheduled action set are the schedule at work, not drift', () => {
  const night = live((s) => Object.assign(s.target!, { minCapacity: 1, maxCapacity: 4 }));
  assert.deepEqual(paths(manifest(), night), []);
  const console = live((s) => Object.assign(s.target!, { minCapacity: 3 }));
  assert.deepEqual(paths(manifest(), console), ['/minCapacity']);
  const morning = live((s) => Object.assign(s.target!, { minCapacity: 6, maxCapacity: 24 }));
  assert.deepEqual(paths({ ...manifest(), maxCapacity: 25 }, morning), [], 'once a schedule has run, the schedules govern the capacities');
  assert.deepEqual(paths({ ...manifest(), maxCapacity: 25 }, live()), ['/maxCapacity'], 'a new base capacity is registered over the old one');
  const noSchedules = { ...manifest(), scheduledActions: [] };
  assert.deepEqual(paths(noSchedules, night).slice(0, 2), ['/maxCapacity', '/minCapacity']);
});

test('scalingWrites: exactly the writes a change needs', () => {
  const writes = (m: JsonObject, l = live()) => scalingWrites(normalizeScalingSpec(m), diffScaling(m, l)).map((w) => ('name' in w ? `${w.operation} ${w.name}` : `${w.operation} ${JSON.stringify(w.input)}`));
  const oneFewer = manifest();
  (oneFewer.policies as JsonObject[]).splice(1, 1);
  assert.deepEqual(writes(oneFewer), ['DeleteScalingPolicy latency-steps']);

  const retyped = manifest();
  (retyped.policies as JsonObject[])[1] = { policyName: 'latency-steps', policyType: 'TargetTrackingScaling', targetTrackingScalingPolicyConfiguration: { targetValue: 500, predefinedMetricSpecification: { predefinedMetricType: 'ALBRequestCountPerTarget', resourceLabel: 'app/web/1/targetgroup/web/2' } } };
  assert.deepEqual(writes(retyped).map((w) => w.split(' {')[0]), ['DeleteScalingPolicy latency-steps', 'PutScalingPolicy']);

  const narrower = manifest();
  delete ((narrower.scheduledActions as JsonObject[])[0]!.scalableTargetAction as JsonObject).maxCapacity;
  assert.deepEqual(writes(narrower), [
    'DeleteScheduledAction nightly-low',
    'PutScheduledAction {"scheduledActionName":"nightly-low","schedule":"cron(0 22 * * ? *)","timezone":"Europe/Paris","scalableTargetAction":{"minCapacity":1}}',
  ]);
  const utc = manifest();
  delete (utc.scheduledActions as JsonObject[])[0]!.timezone;
  delete (utc.scheduledActions as JsonObject[])[1]!.startTime;
  assert.deepEqual(writes(utc).map((w) => w.match(/"scheduledActionName":"[^"]+"|"timezone":"[^"]+"|^\w+/g)!.join(' ')), [
    'PutScheduledAction "scheduledActionName":"nightly-low" "timezone":"UTC"',
    'PutScheduledAction "scheduledActionName":"weekday-mornings" "timezone":"Europe/Paris"',
  ], 'PutScheduledAction clears start and end times itself; a timezone left out is sent as UTC');

  assert.deepEqual(writes({ ...manifest(), minCapacity: 3 }), ['RegisterScalableTarget {"minCapacity":3}'], 'only what differs is sent');
  assert.deepEqual(writes({ ...manifest(), suspendedState: { dynamicScalingInSuspended: true } }), [
    'RegisterScalableTarget {"suspendedState":{"dynamicScalingInSuspended":true,"dynamicScalingOutSuspended":false,"scheduledScalingSuspended":false}}',
  ]);
  const created = scalingWrites(normalizeScalingSpec(manifest())).map((w) => w.operation);
  assert.deepEqual(created, ['RegisterScalableTarget', 'PutScalingPolicy', 'PutScalingPolicy', 'PutScheduledAction', 'PutScheduledAction']);
});
