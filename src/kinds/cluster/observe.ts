// Reads a cluster's live state (batched DescribeClusters with tags, settings and configurations).
import type { DesiredResource, JsonObject } from '../../core/types.js';
import type { ClusterPort, EcsCluster } from '../../aws/ecs/clusters.js';
import { toJsonObject } from '../../normalize/common.js';
import type { Observation, ReconcileContext } from '../../runtime/kind-handler.js';
import { flattenTags } from '../ownership.js';

/** What a pass sees of a cluster: the DescribeClusters item as JSON, no facts beyond it. */
export type ClusterObservation = Observation<JsonObject, undefined>;

/** The cluster's name: spec.clusterName (the loader sets it to metadata.name when absent). */
export function clusterNameOf(resource: DesiredResource): string {
  return String(resource.manifest.spec.clusterName);
}

export async function observeCluster(clusters: ClusterPort, resource: DesiredResource, ctx: ReconcileContext): Promise<ClusterObservation> {
  return clusterObservation(await clusters.getCluster(clusterNameOf(resource), ctx.notBefore));
}

export function clusterObservation(cluster: EcsCluster | undefined): ClusterObservation {
  if (!cluster) return { exists: false };
  return { exists: true, arn: cluster.clusterArn, live: toJsonObject(cluster), tags: flattenTags(cluster.tags) };
}
