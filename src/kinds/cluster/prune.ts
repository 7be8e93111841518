// Prune of a cluster: found by its ownership tags, deleted last and only once it has no services left
// (ECS refuses to delete a cluster with services; the operator never deletes services it does not own).
import type { ClusterPort } from '../../aws/ecs/clusters.js';
import type { ServicePort } from '../../aws/ecs/services.js';
import type { JsonObject } from '../../core/types.js';
import { ownedResource } from '../ownership.js';
import type { OwnedResource, ReconcileContext, RemoveResult } from '../../runtime/kind-handler.js';
import { clusterObservation } from './observe.js';

export type OwnedCluster = OwnedResource<JsonObject, undefined>;

/** The clusters this instance owns, by their tags; reads made since `ctx.notBefore` are reused, not repeated. */
export async function discoverOwnedClusters(clusters: ClusterPort, ctx: ReconcileContext): Promise<OwnedCluster[]> {
  const arns = await clusters.listClusterArns(ctx.notBefore);
  await clusters.prefetchClusters(arns, ctx.notBefore);
  const owned: OwnedCluster[] = [];
  for (const arn of arns) {
    const found = ownedResource('Cluster', clusterObservation(await clusters.getCluster(arn, ctx.notBefore)), ctx.instance);
    if (found) owned.push(found);
  }
  return owned;
}

export async function removeCluster(clusters: ClusterPort, services: ServicePort, owned: OwnedCluster, ctx: ReconcileContext): Promise<RemoveResult> {
  const name = String(owned.observation.live?.clusterName);
  const current = await clusters.getCluster(name, ctx.notBefore);
  if (!current) return { action: 'already gone', writes: 0, gone: true };
  // Listed services may include deleted ones: count those that still exist (ACTIVE or DRAINING).
  const names = (await services.listServiceArns(name)).map((arn) => arn.slice(arn.lastIndexOf('/') + 1));
  await services.prefetchServices(name, names, ctx.notBefore);
  const remaining = (await Promise.all(names.map((n) => services.getService(name, n, ctx.notBefore)))).filter(Boolean).length;
  if (remaining > 0) {
    return { action: 'waiting', writes: 0, gone: false, message: `cluster ${name} still has ${remaining} service(s); it is deleted once it is empty` };
  }
  await clusters.deleteCluster(name);
  return { action: 'deleted', writes: 1, gone: true };
}
