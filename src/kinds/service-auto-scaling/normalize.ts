// The canonical form of a service's auto scaling, applied to the manifest spec and to what
// Application Auto Scaling describes alike: the defaults AWS fills in equal their absence, the
// members only AWS sets (ARNs, alarms, creation times) are dropped, and the lists are sorted by name.
import type { JsonObject, JsonValue } from '../../core/types.js';
import type { ServiceScaling } from '../../aws/autoscaling.js';
import { isObject, pruneInPlace, pruneObject } from '../../normalize/common.js';
import { dropDefaults, dropFalse, eachObject, sortList, withObject } from '../../normalize/defaults.js';
import { projectSpec } from '../../normalize/schema.js';
import { isUnmanagedTagKey } from '../../normalize/tags.js';

const SPEC_MEMBERS = ['service', 'minCapacity', 'maxCapacity', 'roleARN', 'suspendedState', 'tags', 'policies', 'scheduledActions'];
/** PutScalingPolicy's members without the target's identity. */
const POLICY_MEMBERS = [
  'policyName', 'policyType', 'stepScalingPolicyConfiguration', 'targetTrackingScalingPolicyConfiguration',
  'predictiveScalingPolicyConfiguration',
];
/** PutScheduledAction's members without the target's identity. */
const ACTION_MEMBERS = ['scheduledActionName', 'schedule', 'timezone', 'startTime', 'endTime', 'scalableTargetAction'];
const SUSPENSIONS = ['dynamicScalingInSuspended', 'dynamicScalingOutSuspended', 'scheduledScalingSuspended'];

function pick(item: JsonValue, members: readonly string[]): JsonObject {
  const out: JsonObject = {};
  if (isObject(item)) for (const m of members) if (item[m] !== undefined) out[m] = item[m]!;
  return out;
}

/**
 * A ServiceScaling (as aws/autoscaling.ts describes it) as a ServiceAutoScaling spec: `service` is the
 * manifest's (the target was looked up by it); the target's capacities, role and suspended state;
 * the policies as PutScalingPolicy inputs and the actions as PutScheduledAction inputs (ARNs, alarms,
 * creation times and the target's identity dropped); `tags` when they were read.
 */
export function liveScalingSpec(scaling: ServiceScaling, service: string, tags?: Record<string, string>): JsonObject {
  const target = scaling.target ?? {};
  const spec: JsonObject = {
    service,
    ...pick(target, ['minCapacity', 'maxCapacity', 'roleARN', 'suspendedState']),
    policies: scaling.policies.map((p) => pick(p, POLICY_MEMBERS)),
    scheduledActions: scaling.scheduledActions.map((a) => pick(a, ACTION_MEMBERS)),
  };
  if (tags) spec.tags = tags;
  return projectSpec('ServiceAutoScaling', spec, SPEC_MEMBERS);
}

/**
 * An ISO 8601 timestamp in one spelling (`2025-06-01T08:00:00.000Z`); text without an offset is UTC,
 * as Application Auto Scaling reads StartTime and EndTime. Text that is no date is returned as is.
 */
export function canonicalTimestamp(value: string): string {
  const ms = parseTimestamp(value);
  return ms === undefined ? value : new Date(ms).toISOString();
}

/** An ISO 8601 date or date and time as ms since the epoch (UTC when no offset is written), or undefined. */
export function parseTimestamp(value: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i.test(value)) return undefined;
  const utc = /(Z|[+-]\d{2}:?\d{2})$/i.test(value) || !/[T ]/.test(value) ? value : `${value}Z`;
  const ms = Date.parse(utc);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * The canonical auto scaling for comparison (a new object; `spec` is not changed):
 * - null, [] and {} mean absent;
 * - suspendedState flags at false equal absent (AWS reports all three, false, when never set);
 * - tags without ownership (ecs-operator.dev/) and AWS (aws:) keys;
 * - policies: policyType StepScaling when absent (the API's default); target tracking disableScaleIn
 *   false and cooldowns of 300 s (the ECS defaults) equal absent, customized metric dimensions sorted
 *   by name and metric queries by id; step scaling metricAggregationType Average and cooldown 300
 *   equal absent, step adjustments sorted by interval; predictive mode ForecastOnly and
 *   maxCapacityBreachBehavior HonorMaxCapacity equal absent; sorted by policyName;
 * - scheduled actions: timezone UTC equals absent; startTime and endTime in one ISO spelling (UTC
 *   when no offset is written); sorted by scheduledActionName.
 */
export function normalizeScalingSpec(spec: JsonObject): JsonObject {
  const s = pruneObject(spec);
  withObject(s, 'suspendedState', (state) => dropFalse(state, ...SUSPENSIONS));
  if (isObject(s.tags)) for (const key of Object.keys(s.tags)) if (isUnmanagedTagKey(key)) delete s.tags[key];
  eachObject(s, 'policies', normalizePolicy);
  sortList(s, 'policies', 'policyName');
  eachObject(s, 'scheduledActions', normalizeAction);
  sortList(s, 'scheduledActions', 'scheduledActionName');
  return pruneInPlace(s);
}

function normalizePolicy(policy: JsonObject): void {
  policy.policyType ??= 'StepScaling';
  withObject(policy, 'targetTrackingScalingPolicyConfiguration', (c) => {
    dropFalse(c, 'disableScaleIn');
    dropDefaults(c, { scaleOutCooldown: 300, scaleInCooldown: 300 });
    withObject(c, 'customizedMetricSpecification', (metric) => {
      sortList(metric, 'dimensions', 'name');
      eachObject(metric, 'metrics', (query) =>
        withObject(query, 'metricStat', (stat) => withObject(stat, 'metric', (m) => sortList(m, 'dimensions', 'name'))));
      sortList(metric, 'metrics', 'id');
    });
  });
  withObject(policy, 'stepScalingPolicyConfiguration', (c) => {
    dropDefaults(c, { metricAggregationType: 'Average', cooldown: 300 });
    sortList(c, 'stepAdjustments', 'metricIntervalLowerBound', 'metricIntervalUpperBound');
  });
  withObject(policy, 'predictiveScalingPolicyConfiguration', (c) =>
    dropDefaults(c, { mode: 'ForecastOnly', maxCapacityBreachBehavior: 'HonorMaxCapacity' }));
}

function normalizeAction(action: JsonObject): void {
  dropDefaults(action, { timezone: 'UTC' });
  for (const key of ['startTime', 'endTime']) {
    const value = action[key];
    if (typeof value === 'string') action[key] = canonicalTimestamp(value);
  }
}
