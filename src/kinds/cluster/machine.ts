// The Cluster kind as the reconcile machine drives it: observe, plan (normalize + diff), apply, assess.
import type { DesiredResource } from '../../core/types.js';
import type { EcsPort } from '../../aws/ecs.js';
import type { KindHandler, Observation, Plan, ReconcileContext } from '../../runtime/kind-handler.js';
import { adoptionDifferences, ownershipBlock } from '../ownership.js';
import { diffCluster } from './diff.js';
import { liveClusterSpec, normalizeClusterSpec } from './normalize.js';
import { applyCluster } from './apply.js';
import { clusterNameOf, observeCluster } from './observe.js';

import { discoverOwnedClusters, removeCluster } from './prune.js';
export function clusterHandler(ecs: EcsPort): KindHandler {
  return {
    kind: 'Cluster',
    refreshesRecord: true,
    observe: (resource, ctx) => observeCluster(ecs, resource, ctx),
    plan: planCluster,
    apply: (resource, observation, plan, ctx) => applyCluster(ecs, resource, observation, plan, ctx),
    assess(_resource, observation) {
      const status = (observation.live as { status?: string } | undefined)?.status;
      if (status === 'PROVISIONING' || status === 'DEPROVISIONING') return { health: 'Progressing', message: `cluster is ${status}` };
      if (status === 'FAILED') return { health: 'Degraded', message: 'cluster is FAILED' };
      return { health: 'Healthy' };
    },
    outputs: (resource, observation) => (observation.exists ? { arn: observation.arn, name: clusterNameOf(resource) } : {}),
    discoverOwned: (ctx) => discoverOwnedClusters(ecs, ctx),
    remove: (owned, ctx) => removeCluster(ecs, owned, ctx),
    async prefetch(resources) {
      await ecs.prefetchClusters(resources.map(clusterNameOf));
    },
  };
}

export function planCluster(resource: DesiredResource, observation: Observation, ctx: ReconcileContext): Plan {
  if (!observation.exists) return { differences: [], requiresReplacement: [], desiredSpec: normalizeClusterSpec(resource.manifest.spec) };
  const comparison = diffCluster(resource.manifest.spec, liveClusterSpec(observation.live as never), resource.policy.ignoreDifferences);
  const blocked = ownershipBlock(resource, observation, ctx);
  return {
    differences: [...comparison.differences, ...adoptionDifferences(resource, observation, ctx)],
    requiresReplacement: [],
    desiredSpec: comparison.desired,
    liveSpec: comparison.live,
    ...(blocked ? { blocked } : {}),
  };
}
