// Reads a cluster's live state (batched DescribeClusters with tags, settings and configurations).
import type { DesiredResource } from '../../core/types.js';
import type { EcsPort } from '../../aws/ecs.js';
import { toJson } from '../../normalize/common.js';
import type { Observation, ReconcileContext } from '../../runtime/kind-handler.js';
import { flattenTags } from '../ownership.js';

/** The cluster's name: spec.clusterName (the loader sets it to metadata.name when absent). */
export function clusterNameOf(resource: DesiredResource): string {
  return String(resource.manifest.spec.clusterName);
}

export async function observeCluster(ecs: EcsPort, resource: DesiredResource, ctx: ReconcileContext): Promise<Observation> {
  const cluster = await ecs.getCluster(clusterNameOf(resource), ctx.notBefore);
  return clusterObservation(cluster);
}

export function clusterObservation(cluster: Awaited<ReturnType<EcsPort['getCluster']>>): Observation {
  if (!cluster) return { exists: false };
  return { exists: true, arn: cluster.clusterArn, live: toJson(cluster), tags: flattenTags(cluster.tags) };
}
