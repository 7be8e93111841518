// Creates a cluster, or brings an existing one to the manifest: settings, configuration, capacity
// providers and default strategy through the calls ECS has for each, tags through TagResource.
import type { DesiredResource, JsonObject } from '../../core/types.js';
import type { EcsPort } from '../../aws/ecs.js';
import type { ApplyResult, Observation, Plan, ReconcileContext } from '../../runtime/kind-handler.js';
import { creationTags, ecsTagWrites, writeTags } from '../ownership.js';
import { clusterUpdateCalls } from './diff.js';
import { clusterObservation } from './observe.js';

export async function applyCluster(
  ecs: EcsPort, resource: DesiredResource, observation: Observation, plan: Plan, ctx: ReconcileContext,
): Promise<ApplyResult> {
  const spec = resource.manifest.spec;
  if (!observation.exists) {
    const created = await ecs.createCluster({ ...spec, tags: creationTags(resource, ctx, spec.tags) } as JsonObject);
    return { action: 'created', writes: 1, observation: clusterObservation(created) };
  }
  let writes = 0;
  for (const call of clusterUpdateCalls(plan.differences, spec)) {
    if (call.operation === 'UpdateClusterSettings') await ecs.updateClusterSettings(call.input);
    else if (call.operation === 'UpdateCluster') await ecs.updateCluster(call.input);
    else await ecs.putClusterCapacityProviders(call.input);
    writes++;
  }
  const live = observation.live as JsonObject;
  writes += await writeTags(ecs, observation.arn!, ecsTagWrites(resource, observation, ctx, spec.tags, live.tags));
  // The adapter keeps its cached description current after each write: read it back for free.
  const latest = await ecs.getCluster(String(spec.clusterName), 0);
  return { action: writes > 0 ? 'updated' : 'unchanged', writes, observation: clusterObservation(latest) };
}
