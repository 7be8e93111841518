// The Cluster kind's handler: observe, plan (normalize + diff), apply, assess, prune.
import type { DesiredResource, JsonObject } from '../../core/types.js';
import type { ClusterPort } from '../../aws/ecs/clusters.js';
import type { ServicePort } from '../../aws/ecs/services.js';
import type { Assessment, KindHandler, Plan, ReconcileContext } from '../../runtime/kind-handler.js';
import { adoptionDifferences, ownershipBlock } from '../ownership.js';
import { diffCluster } from './diff.js';
import { liveClusterSpec, normalizeClusterSpec } from './normalize.js';
import { applyCluster } from './apply.js';
import { clusterNameOf, observeCluster, type ClusterObservation } from './observe.js';
import { discoverOwnedClusters, removeCluster } from './prune.js';

/** The handler; `services` counts a cluster's services before prune deletes it. */
export function clusterHandler(clusters: ClusterPort, services: ServicePort): KindHandler<JsonObject, undefined> {
  return {
    kind: 'Cluster',
    refreshesRecord: true,
    observe: (resource, ctx) => observeCluster(clusters, resource, ctx),
    plan: planCluster,
    apply: (resource, observation, plan, ctx) => applyCluster(clusters, resource, observation, plan, ctx),
    assess: (_resource, observation) => assessCluster(observation),
    outputs: (resource, observation) => (observation.exists ? { arn: observation.arn, name: clusterNameOf(resource) } : {}),
    discoverOwned: (ctx) => discoverOwnedClusters(clusters, ctx),
    remove: (owned, ctx) => removeCluster(clusters, services, owned, ctx),
    async prefetch(resources) {
      await clusters.prefetchClusters(resources.map(clusterNameOf));
    },
  };
}

export function planCluster(resource: DesiredResource, observation: ClusterObservation, ctx: ReconcileContext): Plan {
  if (!observation.exists || !observation.live) return { differences: [], requiresReplacement: [], desiredSpec: normalizeClusterSpec(resource.manifest.spec) };
  const comparison = diffCluster(resource.manifest.spec, liveClusterSpec(observation.live), resource.policy.ignoreDifferences);
  const blocked = ownershipBlock(resource, observation, ctx);
  return {
    differences: [...comparison.differences, ...adoptionDifferences(resource, observation, ctx)],
    requiresReplacement: [],
    desiredSpec: comparison.desired,
    liveSpec: comparison.live,
    ...(blocked ? { blocked } : {}),
  };
}

function assessCluster(observation: ClusterObservation): Assessment {
  const status = observation.live?.status;
  if (status === 'PROVISIONING' || status === 'DEPROVISIONING') return { health: 'Progressing', message: `cluster is ${status}` };
  if (status === 'FAILED') return { health: 'Degraded', message: 'cluster is FAILED' };
  return { health: 'Healthy' };
}
