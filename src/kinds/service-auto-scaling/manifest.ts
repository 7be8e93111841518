// What the loader needs to know about ServiceAutoScaling manifests: spec.service names the Service it
// scales, and the rules Application Auto Scaling states in prose: capacities in order, unique policy and
// scheduled action names, schedule expressions, time zones and times, each policy type with its
// configuration (one metric for target tracking, an adjustment type and steps for step scaling).
import type { JsonObject } from '../../core/types.js';
import type { Finding, KindRules } from '../../desired/kind-rules.js';
import { named } from '../../desired/messages.js';
import { duplicateValues, num, object, objects, text } from '../../desired/rule-helpers.js';
import { parseTimestamp } from './normalize.js';

/** The metadata.name of the Service manifest a ServiceAutoScaling spec scales. */
export function scaledServiceName(spec: JsonObject): string | undefined {
  return text(spec.service);
}

const SCHEDULE = [
  /^cron\(\S+( \S+){5}\)$/, // minutes hours day-of-month month day-of-week year
  /^rate\(\d+ (minute|minutes|hour|hours|day|days)\)$/,
  /^at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\)$/,
];

const POLICY_CONFIGURATION: Record<string, string> = {
  StepScaling: 'stepScalingPolicyConfiguration',
  TargetTrackingScaling: 'targetTrackingScalingPolicyConfiguration',
  PredictiveScaling: 'predictiveScalingPolicyConfiguration',
};

function minNotAboveMax(at: JsonObject, path: string): Finding[] {
  const min = num(at.minCapacity);
  const max = num(at.maxCapacity);
  if (min === undefined || max === undefined || min <= max) return [];
  return [{ path: `${path}/minCapacity`, message: `minCapacity ${min} is greater than maxCapacity ${max}` }];
}

function policyFindings(policy: JsonObject, path: string): Finding[] {
  const type = text(policy.policyType) ?? 'StepScaling'; // Application Auto Scaling's default
  const wanted = POLICY_CONFIGURATION[type];
  if (wanted === undefined) return [];
  if (policy[wanted] === undefined) {
    const written = Object.entries(POLICY_CONFIGURATION).find(([, key]) => policy[key] !== undefined);
    const hint = written ? `; to use ${written[1]}, set policyType ${written[0]}` : '';
    const which = policy.policyType === undefined ? `policyType ${type} (the default)` : `policyType ${type}`;
    return [{ path: `${path}/${wanted}`, at: 'missing', message: `${which} needs ${wanted}${hint}` }];
  }
  const configuration = object(policy[wanted]);
  if (type === 'TargetTrackingScaling') return targetTrackingFindings(configuration, `${path}/${wanted}`);
  if (type === 'StepScaling') return stepFindings(configuration, `${path}/${wanted}`);
  return [];
}

/** The predefined metrics Application Auto Scaling offers for ECS services. */
const ECS_METRICS = [
  'ECSServiceAverageCPUUtilization', 'ECSServiceAverageMemoryUtilization', 'ALBRequestCountPerTarget',
  'ECSServiceAverageCPUUtilizationHighResolution', 'ECSServiceAverageMemoryUtilizationHighResolution',
];

function targetTrackingFindings(c: JsonObject, path: string): Finding[] {
  const predefined = c.predefinedMetricSpecification;
  if ((predefined === undefined) === (c.customizedMetricSpecification === undefined)) {
    const message = predefined === undefined
      ? 'target tracking needs a metric: predefinedMetricSpecification or customizedMetricSpecification'
      : 'target tracking takes one metric: predefinedMetricSpecification or customizedMetricSpecification, not both';
    return [{ path: predefined === undefined ? `${path}/predefinedMetricSpecification` : `${path}/customizedMetricSpecification`, at: predefined === undefined ? 'missing' : 'key', message }];
  }
  const type = text(object(predefined).predefinedMetricType);
  if (type === undefined) return [];
  const at = `${path}/predefinedMetricSpecification`;
  if (!ECS_METRICS.includes(type)) {
    return [{ path: `${at}/predefinedMetricType`, message: `${type} is not a metric of ECS services: use ${ECS_METRICS.join(', ')}` }];
  }
  if (type === 'ALBRequestCountPerTarget' && object(predefined).resourceLabel === undefined) {
    return [{ path: `${at}/resourceLabel`, at: 'missing', message: 'ALBRequestCountPerTarget needs resourceLabel: app/<load-balancer-name>/<id>/targetgroup/<target-group-name>/<id>' }];
  }
  return [];
}

function stepFindings(c: JsonObject, path: string): Finding[] {
  const findings: Finding[] = [];
  if (c.adjustmentType === undefined) findings.push({ path: `${path}/adjustmentType`, at: 'missing', message: 'a step scaling policy needs adjustmentType' });
  if (objects(c.stepAdjustments).length === 0) {
    findings.push({ path: `${path}/stepAdjustments`, at: c.stepAdjustments === undefined ? 'missing' : 'key', message: 'a step scaling policy needs at least one step adjustment' });
  }
  if (c.minAdjustmentMagnitude !== undefined && c.adjustmentType !== 'PercentChangeInCapacity') {
    findings.push({ path: `${path}/minAdjustmentMagnitude`, message: 'minAdjustmentMagnitude applies only to adjustmentType PercentChangeInCapacity' });
  }
  return findings;
}

function scheduleFindings(action: JsonObject, path: string): Finding[] {
  const schedule = text(action.schedule);
  if (schedule === undefined) return [{ path: `${path}/schedule`, at: 'missing', message: 'a scheduled action needs a schedule' }];
  if (/^rate\(0+ /.test(schedule)) return [{ path: `${path}/schedule`, message: `a rate must be 1 or more; got ${JSON.stringify(schedule)}` }];
  if (SCHEDULE.some((re) => re.test(schedule))) return [];
  return [{
    path: `${path}/schedule`,
    message: `schedule must be cron(minutes hours day-of-month month day-of-week year), rate(value unit) or at(yyyy-mm-ddThh:mm:ss); got ${JSON.stringify(schedule)}`,
  }];
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

function timeFindings(action: JsonObject, path: string): Finding[] {
  const findings: Finding[] = [];
  const zone = text(action.timezone);
  if (zone !== undefined && !knownTimeZone(zone)) {
    findings.push({ path: `${path}/timezone`, message: `unknown time zone ${JSON.stringify(zone)}: use an IANA name such as Europe/Paris, America/New_York or Etc/GMT+9` });
  }
  const times: Record<string, number> = {};
  for (const key of ['startTime', 'endTime']) {
    const value = text(action[key]);
    if (value === undefined) continue;
    const ms = parseTimestamp(value);
    if (ms === undefined) findings.push({ path: `${path}/${key}`, message: `${key} must be an ISO 8601 date and time (2025-06-01T08:00:00Z); got ${JSON.stringify(value)}` });
    else times[key] = ms;
  }
  if (times.startTime !== undefined && times.endTime !== undefined && times.endTime <= times.startTime) {
    findings.push({ path: `${path}/endTime`, message: 'endTime must be after startTime' });
  }
  const target = object(action.scalableTargetAction);
  if (target.minCapacity === undefined && target.maxCapacity === undefined) {
    findings.push({
      path: `${path}/scalableTargetAction`, at: action.scalableTargetAction === undefined ? 'missing' : 'key', severity: 'warning',
      message: 'this scheduled action changes nothing: give scalableTargetAction a minCapacity, a maxCapacity or both',
    });
  }
  return findings;
}

export const serviceAutoScalingManifest: KindRules = {
  kind: 'ServiceAutoScaling',
  readOnlyFields: [],
  references(spec) {
    const service = scaledServiceName(spec);
    return service === undefined ? [] : [{ path: '/spec/service', kind: 'Service', name: service, byIdentity: false, external: () => false }];
  },
  // One scalable target per service: two manifests would overwrite each other's capacities.
  managedResource: (manifest) => `the scaling of ${named('Service', String(manifest.spec.service))}`,
  check(manifest, ctx) {
    const spec = manifest.spec;
    const service = scaledServiceName(spec);
    const scaled = service === undefined ? undefined : ctx.find('Service', service);
    const findings: Finding[] = scaled?.spec.schedulingStrategy === 'DAEMON'
      ? [{ path: '/spec/service', at: 'value', message: `${named('Service', service!)} uses schedulingStrategy DAEMON: ECS sets its task count, there is none to scale` }]
      : [];
    findings.push(
      ...minNotAboveMax(spec, '/spec'),
      ...duplicateValues(spec.policies, '/spec/policies', 'policyName'),
      ...duplicateValues(spec.scheduledActions, '/spec/scheduledActions', 'scheduledActionName'),
    );
    objects(spec.policies).forEach((policy, i) => findings.push(...policyFindings(policy, `/spec/policies/${i}`)));
    objects(spec.scheduledActions).forEach((action, i) => {
      const path = `/spec/scheduledActions/${i}`;
      findings.push(
        ...scheduleFindings(action, path), ...timeFindings(action, path),
        ...minNotAboveMax(object(action.scalableTargetAction), `${path}/scalableTargetAction`),
      );
    });
    return findings;
  },
};
