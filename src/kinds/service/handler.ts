// The Service kind's handler: create with a clientToken, update in place, Stalled on create-only
// changes ("requires replacement") and on bindings to missing target groups, health from the rollout
// and from the load balancer's view of the registered targets.
import type { DesiredResource, JsonObject } from '../../core/types.js';
import type { ClusterPort } from '../../aws/ecs/clusters.js';
import type { ServicePort } from '../../aws/ecs/services.js';
import type { TaskDefinitionPort } from '../../aws/ecs/task-definitions.js';
import type { Elbv2Port } from '../../aws/elbv2.js';
import type { Assessment, KindHandler, Plan, ReconcileContext } from '../../runtime/kind-handler.js';
import { adoptionDifferences, ownershipBlock } from '../ownership.js';
import { compareService } from './diff.js';
import { liveServiceSpec, normalizeServiceSpec } from './normalize.js';
import { applyService, resolvedServiceSpec } from './apply.js';
import { assessService } from './health.js';
import { factsOf, observeService, resolveCluster, serviceNameOf, type ServiceFacts, type ServiceObservation } from './observe.js';
import { assessTargets, bindingBlock, targetGroupsOf } from './load-balancers.js';
import { discoverOwnedServices, removeService } from './prune.js';

/** What the Service kind reads and writes: its services, the clusters they run in, the task definitions they run. */
export interface ServiceKindPorts {
  services: ServicePort;
  clusters: ClusterPort;
  taskDefinitions: TaskDefinitionPort;
  /** Without it, load balancer bindings are neither checked against ELB nor assessed. */
  elbv2?: Elbv2Port;
}

export function serviceHandler(ports: ServiceKindPorts): KindHandler<JsonObject, ServiceFacts> {
  const { services, clusters, elbv2 } = ports;
  return {
    kind: 'Service',
    refreshesRecord: true,
    observe: (resource, ctx) => observeService(ports, resource, ctx),
    plan: planService,
    apply: (resource, observation, plan, ctx) => applyService(services, resource, observation, plan, ctx),
    assess: (_resource, observation, ctx) => assessServiceAndTargets(observation, ctx.now),
    outputs: (resource, observation) =>
      observation.exists ? { arn: observation.arn, name: serviceNameOf(resource), cluster: factsOf(observation).cluster } : {},
    discoverOwned: (ctx) => discoverOwnedServices(clusters, services, ctx),
    remove: (owned, ctx) => removeService(services, owned, ctx),
    async prefetch(resources, ctx) {
      const byCluster = new Map<string, string[]>();
      for (const r of resources) {
        const cluster = resolveCluster(r, ctx);
        const names = byCluster.get(cluster);
        if (names) names.push(serviceNameOf(r));
        else byCluster.set(cluster, [serviceNameOf(r)]);
      }
      const targetGroups = resources.flatMap((r) => targetGroupsOf(r.manifest.spec.loadBalancers));
      await Promise.all([
        ...[...byCluster].map(([cluster, names]) => services.prefetchServices(cluster, names)),
        ...(elbv2 && targetGroups.length > 0 ? [elbv2.prefetchTargetGroups(targetGroups)] : []),
      ]);
    },
  };
}

export function planService(resource: DesiredResource, observation: ServiceObservation, ctx: ReconcileContext): Plan {
  const facts = factsOf(observation);
  const desired = resolvedServiceSpec(resource, facts);
  const missingTargetGroup = bindingBlock(resource, facts.bindings);
  if (!observation.exists || !observation.live) {
    return {
      differences: [], requiresReplacement: [], desiredSpec: normalizeServiceSpec(desired, { autoscaled: facts.autoscaled }),
      ...(missingTargetGroup ? { blocked: missingTargetGroup } : {}),
    };
  }
  const options = { autoscaled: facts.autoscaled };
  const comparison = compareService(normalizedDesired(resource, desired, facts), liveServiceSpec(observation.live), resource.policy.ignoreDifferences, options);
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

/**
 * The normalized desired spec, by manifest: made once for as long as the manifest (the same
 * DesiredResource object until Git changes it) and what its references resolve to stay the same,
 * not once per pass. Read-only.
 */
const normalized = new WeakMap<DesiredResource, { cluster: string; taskDefinitionArn: string | undefined; autoscaled: boolean; spec: JsonObject }>();

function normalizedDesired(resource: DesiredResource, desired: JsonObject, facts: ServiceFacts): JsonObject {
  const known = normalized.get(resource);
  if (known && known.cluster === facts.cluster && known.taskDefinitionArn === facts.taskDefinitionArn && known.autoscaled === facts.autoscaled) {
    return known.spec;
  }
  const spec = normalizeServiceSpec(desired, { autoscaled: facts.autoscaled });
  normalized.set(resource, { cluster: facts.cluster, taskDefinitionArn: facts.taskDefinitionArn, autoscaled: facts.autoscaled, spec });
  return spec;
}

/** The rollout decides first; once it is done, the registered targets' health may still say otherwise. */
export function assessServiceAndTargets(observation: ServiceObservation, now: number): Assessment {
  const live = observation.live ?? {};
  const rollout = assessService(live);
  if (rollout.health !== 'Healthy') return rollout;
  return assessTargets(live, factsOf(observation).bindings, now) ?? rollout;
}
