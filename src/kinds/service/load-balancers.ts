// A service's load balancer bindings against Elastic Load Balancing: the target groups its manifest
// binds must exist (else the service is Stalled, never created or updated into a broken binding),
// and the health of the targets registered in the groups it is bound to feeds its health.
import type { DesiredResource, JsonObject } from '../../core/types.js';
import type { EcsService } from '../../aws/ecs/services.js';
import type { Elbv2Port, TargetHealth } from '../../aws/elbv2.js';
import { asList, isObject, toJsonObject } from '../../normalize/common.js';
import type { Assessment, Plan } from '../../runtime/kind-handler.js';
import { assessService } from './health.js';

/** What a pass learnt about the bindings. */
export interface BindingFacts {
  /** Target groups the manifest binds that do not exist. */
  missingTargetGroups: string[];
  /** The targets registered in each target group the live service is bound to (groups that exist). */
  targetHealth: Record<string, TargetHealth[]>;
}

/** The distinct targetGroupArn values of a loadBalancers list (Classic Load Balancer bindings have none). */
export function targetGroupsOf(loadBalancers: unknown): string[] {
  const arns = (Array.isArray(loadBalancers) ? loadBalancers : []).filter(isObject).map((lb) => lb.targetGroupArn);
  return [...new Set(arns.filter((arn): arn is string => typeof arn === 'string'))];
}

/** The target groups the manifest binds that do not exist (answers come from batched, prefetched reads). */
export async function missingTargetGroups(elbv2: Elbv2Port, resource: DesiredResource, notBefore: number): Promise<string[]> {
  const desired = targetGroupsOf(resource.manifest.spec.loadBalancers);
  const exists = await Promise.all(desired.map((arn) => elbv2.targetGroupExists(arn, notBefore)));
  return desired.filter((_, i) => !exists[i]);
}

/**
 * The bindings' facts: `missing` (from missingTargetGroups) and the target health of the groups the
 * live service is bound to: at most one DescribeTargetHealth per group, none for a service without
 * bindings, not (yet) live, or whose rollout is not Healthy (the targets' health is assessed only
 * once the rollout is: see assessServiceAndTargets).
 */
export async function observeBindings(
  elbv2: Elbv2Port, missing: string[], service: EcsService | undefined, notBefore: number,
): Promise<BindingFacts> {
  const settled = service?.status === 'ACTIVE' && assessService(toJsonObject(service)).health === 'Healthy';
  const bound = settled ? targetGroupsOf(service.loadBalancers) : [];
  const targetHealth: Record<string, TargetHealth[]> = {};
  await Promise.all(bound.filter((arn) => !missing.includes(arn)).map(async (arn) => {
    const targets = await elbv2.targetHealth(arn, notBefore);
    if (targets) targetHealth[arn] = targets;
  }));
  return { missingTargetGroups: missing, targetHealth };
}

/** A binding to a target group that does not exist: Stalled (NotFound) with where it is written. */
export function bindingBlock(resource: DesiredResource, facts: BindingFacts | undefined): Plan['blocked'] {
  const missing = facts?.missingTargetGroups ?? [];
  if (missing.length === 0) return undefined;
  const list = asList(resource.manifest.spec.loadBalancers) ?? [];
  const where = missing.map((arn) => {
    const index = list.findIndex((lb) => isObject(lb) && lb.targetGroupArn === arn);
    return `spec.loadBalancers[${index}].targetGroupArn ${arn}`;
  });
  return {
    reason: 'NotFound',
    message: `target group not found: ${where.join('; ')}; create the target group or correct the ARN (the service is not created or updated until then)`,
  };
}

const nameOf = (arn: string) => arn.split('/').at(-2) ?? arn;

/** When the service's last deployment was last updated (ms), the start of its health check grace period. */
function lastDeploymentUpdate(live: JsonObject): number | undefined {
  const deployments = (asList(live.deployments) ?? []).filter(isObject);
  const primary = deployments.find((d) => d.status === 'PRIMARY');
  const when = primary?.updatedAt ?? primary?.createdAt ?? live.createdAt;
  const ms = typeof when === 'string' ? Date.parse(when) : NaN;
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Health from the registered targets, or undefined when they say nothing against the service:
 * - a target `unhealthy` in a bound group: Degraded once the service's healthCheckGracePeriodSeconds
 *   (0 when unset) has passed since its last deployment update, Progressing before;
 * - else a target in `initial` (registration or first health checks): Progressing.
 * Draining, unused and unavailable targets are not counted (old tasks, groups without a listener,
 * health checks off). A group with no registered target says nothing either.
 */
export function assessTargets(live: JsonObject, facts: BindingFacts | undefined, now: number): Assessment | undefined {
  const groups = Object.entries(facts?.targetHealth ?? {});
  const unhealthy = groups.map(([arn, targets]) => ({ arn, targets, bad: targets.filter((t) => t.state === 'unhealthy') })).filter((g) => g.bad.length > 0);
  if (unhealthy.length > 0) {
    const grace = typeof live.healthCheckGracePeriodSeconds === 'number' ? live.healthCheckGracePeriodSeconds : 0;
    const since = lastDeploymentUpdate(live);
    const within = since !== undefined && now - since <= grace * 1000;
    const what = unhealthy.map(({ arn, targets, bad }) => {
      const why = bad[0]!.description ?? bad[0]!.reason ?? 'failing health checks';
      return `${bad.length} of ${targets.length} target(s) unhealthy in target group ${nameOf(arn)} (${why})`;
    }).join('; ');
    return within
      ? { health: 'Progressing', message: `${what}, within the ${grace}s health check grace period` }
      : { health: 'Degraded', message: `${what}, past the ${grace}s health check grace period` };
  }
  const starting = groups.flatMap(([arn, targets]) => targets.filter((t) => t.state === 'initial').map(() => arn));
  if (starting.length > 0) {
    return { health: 'Progressing', message: `${starting.length} target(s) in initial health checks in target group ${nameOf(starting[0]!)}` };
  }
  return undefined;
}
