// The Service kind as the reconcile machine drives it: create with a clientToken, update in place,
// Stalled on create-only changes ("requires replacement"), health from the rollout.
import type { DesiredResource, JsonObject } from '../../core/types.js';
import type { EcsPort } from '../../aws/ecs.js';
import type { KindHandler, Observation, Plan, ReconcileContext } from '../../runtime/kind-handler.js';
import { adoptionDifferences, ownershipBlock } from '../ownership.js';
import { diffService } from './diff.js';
import { liveServiceSpec, normalizeServiceSpec } from './normalize.js';
import { applyService, resolvedServiceSpec } from './apply.js';
import { assessService, failedRolloutOf } from './health.js';
import { factsOf, observeService, resolveCluster, serviceNameOf } from './observe.js';

import { discoverOwnedServices, removeService } from './prune.js';
export function serviceHandler(ecs: EcsPort): KindHandler {
  return {
    kind: 'Service',
    observe: (resource, ctx) => observeService(ecs, resource, ctx),
    plan: planService,
    apply: (resource, observation, plan, ctx) => applyService(ecs, resource, observation, plan, ctx),
    assess: (_resource, observation) => assessService(observation.live as JsonObject),
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
      await Promise.all([...byCluster].map(([cluster, names]) => ecs.prefetchServices(cluster, names)));
    },
  };
}

export function planService(resource: DesiredResource, observation: Observation, ctx: ReconcileContext): Plan {
  const facts = factsOf(observation);
  const desired = resolvedServiceSpec(resource, facts);
  if (!observation.exists) {
    return { differences: [], requiresReplacement: [], desiredSpec: normalizeServiceSpec(desired, { autoscaled: facts.autoscaled }) };
  }
  const live = observation.live as JsonObject;
  const comparison = diffService(desired, liveServiceSpec(live), resource.policy.ignoreDifferences, { autoscaled: facts.autoscaled });
  const failed = failedRolloutOf(live, facts.taskDefinitionArn);
  const blocked = ownershipBlock(resource, observation, ctx) ?? (failed ? {
    reason: 'RolloutFailed' as const,
    message: `the rollout of ${facts.taskDefinitionArn} failed (${failed.rolloutStateReason ?? 'no reason given'}); not retried until the manifest changes`,
  } : undefined);
  return {
    differences: [...comparison.differences, ...adoptionDifferences(resource, observation, ctx)],
    requiresReplacement: comparison.requiresReplacement,
    desiredSpec: comparison.desired,
    liveSpec: comparison.live,
    ...(blocked ? { blocked } : {}),
  };
}
