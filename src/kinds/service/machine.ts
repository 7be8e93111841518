// The Service kind as the reconcile machine drives it: create with a clientToken, update in place,
// Stalled on create-only changes ("requires replacement") and on bindings to missing target groups,
// health from the rollout and from the load balancer's view of the registered targets.
import type { DesiredResource, JsonObject } from '../../core/types.js';
import type { EcsPort } from '../../aws/ecs.js';
import type { Elbv2Port } from '../../aws/elbv2.js';
import type { Assessment, KindHandler, Observation, Plan, ReconcileContext } from '../../runtime/kind-handler.js';
import { adoptionDifferences, ownershipBlock } from '../ownership.js';
import { diffService } from './diff.js';
import { liveServiceSpec, normalizeServiceSpec } from './normalize.js';
import { applyService, resolvedServiceSpec } from './apply.js';
import { assessService } from './health.js';
import { factsOf, observeService, resolveCluster, serviceNameOf } from './observe.js';
import { assessTargets, bindingBlock, targetGroupsOf } from './load-balancers.js';
import { discoverOwnedServices, removeService } from './prune.js';

/** The handler; without `elbv2`, load balancer bindings are neither checked against ELB nor assessed. */
export function serviceHandler(ecs: EcsPort, elbv2?: Elbv2Port): KindHandler {
  return {
    kind: 'Service',
    refreshesRecord: true,
    observe: (resource, ctx) => observeService(ecs, resource, ctx, elbv2),
    plan: planService,
    apply: (resource, observation, plan, ctx) => applyService(ecs, resource, observation, plan, ctx),
    assess: (_resource, observation, ctx) => assessServiceAndTargets(observation, ctx.now),
    outputs: (resource, observation) =>
      observation.exists ? { arn: observation.arn, name: serviceNameOf(resource), cluster: factsOf(observation).cluster } : {},
    discoverOwned: (ctx) => discoverOwnedServices(ecs, ctx),
    remove: (owned, ctx) => removeService(ecs, owned, ctx),
    async prefetch(resources, ctx) {
      const byCluster = new Map<string, string[]>();
      for (const r of resources) {
        const cluster = resolveCluster(r, ctx);
        byCluster.set(cluster, [...(byCluster.get(cluster) ?? []), serviceNameOf(r)]);
      }
      const targetGroups = resources.flatMap((r) => targetGroupsOf(r.manifest.spec.loadBalancers));
      await Promise.all([
        ...[...byCluster].map(([cluster, names]) => ecs.prefetchServices(cluster, names)),
        ...(elbv2 && targetGroups.length > 0 ? [elbv2.prefetchTargetGroups(targetGroups)] : []),
      ]);
    },
  };
}

export function planService(resource: DesiredResource, observation: Observation, ctx: ReconcileContext): Plan {
  const facts = factsOf(observation);
  const desired = resolvedServiceSpec(resource, facts);
  const missingTargetGroup = bindingBlock(resource, facts.bindings);
  if (!observation.exists) {
    return {
      differences: [], requiresReplacement: [], desiredSpec: normalizeServiceSpec(desired, { autoscaled: facts.autoscaled }),
      ...(missingTargetGroup ? { blocked: missingTargetGroup } : {}),
    };
  }
  const live = observation.live as JsonObject;
  const comparison = diffService(desired, liveServiceSpec(live), resource.policy.ignoreDifferences, { autoscaled: facts.autoscaled });
  // A failed rollout is held by the reconcile machine (Assessment.rolloutFailed), keyed on what was applied.
  const blocked = ownershipBlock(resource, observation, ctx) ?? missingTargetGroup;
  return {
    differences: [...comparison.differences, ...adoptionDifferences(resource, observation, ctx)],
    requiresReplacement: comparison.requiresReplacement,
    desiredSpec: comparison.desired,
    liveSpec: comparison.live,
    ...(blocked ? { blocked } : {}),
  };
}

/** The rollout decides first; once it is done, the registered targets' health may still say otherwise. */
export function assessServiceAndTargets(observation: Observation, now: number): Assessment {
  const live = observation.live as JsonObject;
  const rollout = assessService(live);
  if (rollout.health !== 'Healthy') return rollout;
  return assessTargets(live, factsOf(observation).bindings, now) ?? rollout;
}
