// What the loader needs to know about ServiceAutoScaling manifests: spec.service names the Service it
// scales, and the rules Application Auto Scaling states in prose beyond the rows of constraints.ts:
// each policy type with its configuration (one ECS metric for target tracking), start and end times
// in order, and a scheduled action that changes something.
import type { JsonObject } from '../../core/types.js';
import type { Finding, KindRules } from '../../desired/kind-rules.js';
import { named } from '../../desired/messages.js';
import { object, objects, text } from '../../desired/rule-helpers.js';
import { SERVICE_AUTO_SCALING_CONSTRAINTS } from './constraints.js';
import { parseTimestamp } from './normalize.js';
import { schemaDocument } from '../../normalize/schema.js';

/** The metadata.name of the Service manifest a ServiceAutoScaling spec scales. */
export function scaledServiceName(spec: JsonObject): string | undefined {
  return text(spec.service);
}

const POLICY_CONFIGURATION: Record<string, string> = {
  StepScaling: 'stepScalingPolicyConfiguration',
  TargetTrackingScaling: 'targetTrackingScalingPolicyConfiguration',
  PredictiveScaling: 'predictiveScalingPolicyConfiguration',
};

function policyFindings(policy: JsonObject, path: string): Finding[] {
  // A policyType of the wrong type or unknown is the schema's error: no guess at what it should need.
  const type = policy.policyType === undefined ? 'StepScaling' : text(policy.policyType); // Application Auto Scaling's default
  if (type === undefined || !Object.hasOwn(POLICY_CONFIGURATION, type)) return [];
  const wanted = POLICY_CONFIGURATION[type]!;
  if (policy[wanted] === undefined) {
    const written = Object.entries(POLICY_CONFIGURATION).find(([, key]) => policy[key] !== undefined);
    const hint = written ? `; to use ${written[1]}, set policyType ${written[0]}` : '';
    const which = policy.policyType === undefined ? `policyType ${type} (the default)` : `policyType ${type}`;
    return [{ path: `${path}/${wanted}`, at: 'missing', message: `${which} needs ${wanted}${hint}` }];
  }
  const configuration = object(policy[wanted]);
  if (type === 'TargetTrackingScaling') return targetTrackingFindings(configuration, `${path}/${wanted}`);
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

function timeFindings(action: JsonObject, path: string): Finding[] {
  const findings: Finding[] = [];
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
  schema: () => schemaDocument('ServiceAutoScaling'),
  readOnlyFields: [],
  constraints: SERVICE_AUTO_SCALING_CONSTRAINTS,
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
    objects(spec.policies).forEach((policy, i) => findings.push(...policyFindings(policy, `/spec/policies/${i}`)));
    objects(spec.scheduledActions).forEach((action, i) => findings.push(...timeFindings(action, `/spec/scheduledActions/${i}`)));
    return findings;
  },
};
