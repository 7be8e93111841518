// What the loader needs to know about ServiceAutoScaling manifests: spec.service names the Service it
// scales, and the rules Application Auto Scaling states in prose: capacities in order, unique policy and
// scheduled action names, schedule expressions, and each policy type with its configuration.
import type { JsonObject } from '../../core/types.js';
import type { Finding, KindRules } from '../../desired/kind-rules.js';
import { named } from '../../desired/messages.js';
import { duplicateValues, num, object, objects, text } from '../../desired/rule-helpers.js';

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
  if (wanted === undefined || policy[wanted] !== undefined) return [];
  const written = Object.entries(POLICY_CONFIGURATION).find(([, key]) => policy[key] !== undefined);
  const hint = written ? `; to use ${written[1]}, set policyType ${written[0]}` : '';
  const which = policy.policyType === undefined ? `policyType ${type} (the default)` : `policyType ${type}`;
  return [{ path: `${path}/${wanted}`, at: 'missing', message: `${which} needs ${wanted}${hint}` }];
}

function scheduleFindings(action: JsonObject, path: string): Finding[] {
  const schedule = text(action.schedule);
  if (schedule === undefined) return [{ path: `${path}/schedule`, at: 'missing', message: 'a scheduled action needs a schedule' }];
  if (SCHEDULE.some((re) => re.test(schedule))) return [];
  return [{
    path: `${path}/schedule`,
    message: `schedule must be cron(minutes hours day-of-month month day-of-week year), rate(value unit) or at(yyyy-mm-ddThh:mm:ss); got ${JSON.stringify(schedule)}`,
  }];
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
  check(manifest) {
    const spec = manifest.spec;
    const findings = [
      ...minNotAboveMax(spec, '/spec'),
      ...duplicateValues(spec.policies, '/spec/policies', 'policyName'),
      ...duplicateValues(spec.scheduledActions, '/spec/scheduledActions', 'scheduledActionName'),
    ];
    objects(spec.policies).forEach((policy, i) => findings.push(...policyFindings(policy, `/spec/policies/${i}`)));
    objects(spec.scheduledActions).forEach((action, i) => {
      const path = `/spec/scheduledActions/${i}`;
      findings.push(...scheduleFindings(action, path), ...minNotAboveMax(object(action.scalableTargetAction), `${path}/scalableTargetAction`));
    });
    return findings;
  },
};
