// Creates a cluster, or brings an existing one to the manifest: settings, configuration, capacity
// providers and default strategy through the calls ECS has for each, tags through TagResource.
import type { DesiredResource, JsonObject } from '../../core/types.js';
import type { ClusterPort } from '../../aws/ecs/clusters.js';
import type { ApplyResult, Plan, ReconcileContext } from '../../runtime/kind-handler.js';
import { creationTags, ecsTagWrites, writeTags } from '../ownership.js';
import { clusterUpdateCalls } from './diff.js';
import { clusterObservation, type ClusterObservation } from './observe.js';

export async function applyCluster(
  clusters: ClusterPort, resource: DesiredResource, observation: ClusterObservation, plan: Plan, ctx: ReconcileContext,
): Promise<ApplyResult<JsonObject, undefined>> {
  const spec = resource.manifest.spec;
  if (!observation.exists) {
    const created = await clusters.createCluster({ ...spec, tags: creationTags(resource, ctx, spec.tags) });
    return { action: 'created', writes: 1, observation: clusterObservation(created) };
  }
  let writes = 0;
  for (const call of clusterUpdateCalls(plan.differences, spec)) {
    if (call.operation === 'UpdateClusterSettings') await clusters.updateClusterSettings(call.input);
    else if (call.operation === 'UpdateCluster') await clusters.updateCluster(call.input);
    else await clusters.putClusterCapacityProviders(call.input);
    writes++;
  }
  writes += await writeTags(clusters, observation.arn!, ecsTagWrites(resource, observation, ctx, spec.tags, observation.live?.tags));
  // The adapter keeps its cached description current after each write: read it back for free.
  const latest = await clusters.getCluster(String(spec.clusterName), 0);
  return { action: writes > 0 ? 'updated' : 'unchanged', writes, observation: clusterObservation(latest) };
}
