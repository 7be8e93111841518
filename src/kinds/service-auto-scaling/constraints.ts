// What Application Auto Scaling enforces but its model states only in prose, one row per constraint
// (see src/desired/constraints.ts): capacities, unique names, schedule expressions, time zones, target
// values, step bounds. Rules spanning a policy's type and configuration are in manifest.ts.
import type { JsonValue } from '../../core/types.js';
import { near, type Condition, type Constraint, type Match } from '../../desired/constraints.js';
import { object, text } from '../../desired/rule-helpers.js';

const AAS = 'Application Auto Scaling';
const POLICY = '/spec/policies/*';
const ACTION = '/spec/scheduledActions/*';
const TRACKING = `${POLICY}/targetTrackingScalingPolicyConfiguration`;
const STEP = `${POLICY}/stepScalingPolicyConfiguration`;

const SCHEDULE = [
  /^cron\(\S+( \S+){5}\)$/, // minutes hours day-of-month month day-of-week year
  /^rate\(\d+ (minute|minutes|hour|hours|day|days)\)$/,
  /^at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\)$/,
];

function schedule(value: JsonValue): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (/^rate\(0+ /.test(value)) return `a rate must be 1 or more; got ${JSON.stringify(value)}`;
  if (SCHEDULE.some((re) => re.test(value))) return undefined;
  return `schedule must be cron(minutes hours day-of-month month day-of-week year), rate(value unit) or at(yyyy-mm-ddThh:mm:ss); got ${JSON.stringify(value)}`;
}

/** Whether the runtime knows the IANA time zone (Application Auto Scaling takes IANA names). */
function knownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The predefined metrics that measure a percentage of the tasks' reserved cpu or memory. */
const UTILIZATION = new Set([
  'ECSServiceAverageCPUUtilization', 'ECSServiceAverageMemoryUtilization',
  'ECSServiceAverageCPUUtilizationHighResolution', 'ECSServiceAverageMemoryUtilizationHighResolution',
]);

function targetValue(value: JsonValue, m: Match): string | undefined {
  const metric = text(object(m.parent.predefinedMetricSpecification).predefinedMetricType);
  if (typeof value !== 'number' || metric === undefined) return undefined;
  if (UTILIZATION.has(metric) && !(value > 0 && value <= 100)) return `${metric} is a percentage: the target must be above 0 and at most 100, got ${value}`;
  if (metric === 'ALBRequestCountPerTarget' && !(value > 0)) return `a request count target must be above 0, got ${value}`;
  return undefined;
}

const notAlb: Condition = { says: 'unless predefinedMetricType is ALBRequestCountPerTarget', test: (doc, m) => near(doc, m, 1, 'predefinedMetricType') !== 'ALBRequestCountPerTarget' };

export const SERVICE_AUTO_SCALING_CONSTRAINTS: readonly Constraint[] = [
  { id: 'min-capacity-range', at: '/spec/minCapacity', check: { range: { min: 0 } }, source: `${AAS} RegisterScalableTarget MinCapacity: "For... ECS services... the minimum value allowed is 0"` },
  { id: 'max-capacity-range', at: '/spec/maxCapacity', check: { range: { min: 0 } }, source: `${AAS} RegisterScalableTarget MaxCapacity: a task count` },
  { id: 'min-not-above-max', at: '/spec/minCapacity', check: { notAbove: 'maxCapacity' }, source: `${AAS} RegisterScalableTarget: MinCapacity is what it scales in to, MaxCapacity what it scales out to` },
  {
    id: 'max-capacity-quota', at: '/spec/maxCapacity', check: { range: { max: 5000 } }, severity: 'warning',
    hint: 'ECS runs at most 5,000 tasks per service', source: `ECS service quotas: Tasks per service, 5,000; ${AAS} MaxCapacity: "service quotas might impose lower limits"`,
  },
  { id: 'action-min-capacity-range', at: `${ACTION}/scalableTargetAction/minCapacity`, check: { range: { min: 0 } }, source: `${AAS} ScalableTargetAction.MinCapacity` },
  { id: 'action-max-capacity-range', at: `${ACTION}/scalableTargetAction/maxCapacity`, check: { range: { min: 0 } }, source: `${AAS} ScalableTargetAction.MaxCapacity` },
  { id: 'action-min-not-above-max', at: `${ACTION}/scalableTargetAction/minCapacity`, check: { notAbove: 'maxCapacity' }, source: `${AAS} ScalableTargetAction: the new minimum and maximum capacity` },
  { id: 'policies-count', at: '/spec/policies', check: { items: { max: 50 } }, source: `${AAS} service quotas: Scaling policies per scalable target, 50` },
  { id: 'scheduled-actions-count', at: '/spec/scheduledActions', check: { items: { max: 200 } }, source: `${AAS} service quotas: Scheduled actions per scalable target, 200` },
  { id: 'policy-names-unique', at: '/spec/policies', check: { unique: 'policyName' }, source: `${AAS} PutScalingPolicy PolicyName: a second put with the name replaces the first` },
  { id: 'action-names-unique', at: '/spec/scheduledActions', check: { unique: 'scheduledActionName' }, source: `${AAS} PutScheduledAction ScheduledActionName: "must be unique among all other scheduled actions on the specified scalable target"` },
  { id: 'schedule-required', at: `${ACTION}/schedule`, check: { required: true }, source: `${AAS} PutScheduledAction Schedule: needed to create a scheduled action` },
  { id: 'schedule-format', at: `${ACTION}/schedule`, check: { test: schedule }, source: `${AAS} PutScheduledAction Schedule: "at(yyyy-mm-ddThh:mm:ss)", "rate(value unit)", "cron(fields)"; "value is a positive integer"` },
  {
    id: 'timezone-iana', at: `${ACTION}/timezone`,
    check: { test: (v) => (typeof v === 'string' && !knownTimeZone(v) ? `unknown time zone ${JSON.stringify(v)}: use an IANA name such as Europe/Paris, America/New_York or Etc/GMT+9` : undefined) },
    source: `${AAS} PutScheduledAction Timezone: "the canonical names of the IANA time zones"`,
  },
  { id: 'target-value', at: `${TRACKING}/targetValue`, check: { test: targetValue }, source: `${AAS} TargetTrackingScalingPolicyConfiguration.TargetValue: "if the metric is CPU utilization, then the target value is a percent value"` },
  { id: 'scale-in-cooldown-range', at: `${TRACKING}/scaleInCooldown`, check: { range: { min: 0 } }, source: `${AAS} TargetTrackingScalingPolicyConfiguration.ScaleInCooldown: seconds` },
  { id: 'scale-out-cooldown-range', at: `${TRACKING}/scaleOutCooldown`, check: { range: { min: 0 } }, source: `${AAS} TargetTrackingScalingPolicyConfiguration.ScaleOutCooldown: seconds` },
  {
    id: 'resource-label-format', at: `${TRACKING}/predefinedMetricSpecification/resourceLabel`,
    check: { format: /^app\/[^/]+\/[0-9a-f]+\/targetgroup\/[^/]+\/[0-9a-f]+$/, says: 'app/<load-balancer-name>/<id>/targetgroup/<target-group-name>/<id>' },
    source: `${AAS} PredefinedMetricSpecification.ResourceLabel: "The format of the resource label is: app/my-alb/778d41231b141a0f/targetgroup/my-alb-target-group/943f017f100becff"`,
  },
  { id: 'resource-label-alb-only', at: `${TRACKING}/predefinedMetricSpecification/resourceLabel`, check: { absent: true }, when: notAlb, source: `${AAS} PredefinedMetricSpecification.ResourceLabel: "You can't specify a resource label unless the metric type is ALBRequestCountPerTarget"` },
  { id: 'step-adjustment-type-required', at: `${STEP}/adjustmentType`, check: { required: true }, source: `${AAS} StepScalingPolicyConfiguration.AdjustmentType: "required if you are adding a new step scaling policy configuration"` },
  { id: 'step-adjustments-count', at: `${STEP}/stepAdjustments`, check: { items: { min: 1 } }, source: `${AAS} StepScalingPolicyConfiguration.StepAdjustments: "At least one step adjustment is required"` },
  { id: 'step-adjustments-required', at: `${STEP}/stepAdjustments`, check: { required: true }, source: `${AAS} StepScalingPolicyConfiguration.StepAdjustments: "At least one step adjustment is required"` },
  { id: 'step-cooldown-range', at: `${STEP}/cooldown`, check: { range: { min: 0 } }, source: `${AAS} StepScalingPolicyConfiguration.Cooldown: seconds` },
  {
    id: 'min-adjustment-magnitude', at: `${STEP}/minAdjustmentMagnitude`, check: { absent: true },
    when: { says: 'without adjustmentType PercentChangeInCapacity', test: (doc, m) => near(doc, m, 1, 'adjustmentType') !== 'PercentChangeInCapacity' },
    message: 'minAdjustmentMagnitude applies only to adjustmentType PercentChangeInCapacity',
    source: `${AAS} StepScalingPolicyConfiguration.MinAdjustmentMagnitude: "The minimum value to scale by when the adjustment type is PercentChangeInCapacity"`,
  },
  { id: 'step-bounds-order', at: `${STEP}/stepAdjustments/*/metricIntervalLowerBound`, check: { below: 'metricIntervalUpperBound' }, source: `${AAS} StepAdjustment.MetricIntervalUpperBound: "The upper bound must be greater than the lower bound"` },
  {
    id: 'exact-capacity-non-negative', at: `${STEP}/stepAdjustments/*/scalingAdjustment`, check: { range: { min: 0 } },
    when: { says: 'with adjustmentType ExactCapacity', test: (doc, m) => near(doc, m, 3, 'adjustmentType') === 'ExactCapacity' },
    source: `${AAS} StepAdjustment.ScalingAdjustment: "For exact capacity, you must specify a non-negative value"`,
  },
];
