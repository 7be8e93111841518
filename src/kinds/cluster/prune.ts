// Prune of a cluster: found by its ownership tags, deleted last and only once it has no services left
// (ECS refuses to delete a cluster with services; the operator never deletes services it does not own).
import type { EcsPort } from '../../aws/ecs.js';
import { ownedResource } from '../ownership.js';
import type { OwnedResource, ReconcileContext, RemoveResult } from '../../runtime/kind-handler.js';
import { clusterObservation } from './observe.js';

/** The clusters this instance owns, by their tags; reads made since `ctx.notBefore` are reused, not repeated. */
export async function discoverOwnedClusters(ecs: EcsPort, ctx: ReconcileContext): Promise<OwnedResource[]> {
  const arns = await ecs.listClusterArns(ctx.notBefore);
  await ecs.prefetchClusters(arns, ctx.notBefore);
  const owned: OwnedResource[] = [];
  for (const arn of arns) {
    const observation = clusterObservation(await ecs.getCluster(arn, ctx.notBefore));
    const found = ownedResource('Cluster', observation, ctx.instance);
    if (found) owned.push(found);
  }
  return owned;
}

export async function removeCluster(ecs: EcsPort, owned: OwnedResource, ctx: ReconcileContext): Promise<RemoveResult> {
  const name = String((owned.observation.live as { clusterName?: string }).clusterName);
  const current = await ecs.getCluster(name, ctx.notBefore);
  if (!current) return { action: 'already gone', writes: 0, gone: true };
  // Listed services may include deleted ones: count those that still exist (ACTIVE or DRAINING).
  const names = (await ecs.listServiceArns(name)).map((arn) => arn.slice(arn.lastIndexOf('/') + 1));
  await ecs.prefetchServices(name, names, ctx.notBefore);
  const remaining = (await Promise.all(names.map((n) => ecs.getService(name, n, ctx.notBefore)))).filter(Boolean).length;
  if (remaining > 0) {
    return { action: 'waiting', writes: 0, gone: false, message: `cluster ${name} still has ${remaining} service(s); it is deleted once it is empty` };
  }
  await ecs.deleteCluster(name);
  return { action: 'deleted', writes: 1, gone: true };
}
