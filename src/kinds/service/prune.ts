// Prune of a service: found by its ownership tags in every cluster of the account, scaled to 0 and
// then deleted, so that its tasks stop in an orderly way before the service goes.
import type { ClusterPort } from '../../aws/ecs/clusters.js';
import type { ServicePort } from '../../aws/ecs/services.js';
import type { JsonObject } from '../../core/types.js';
import { clusterName } from '../../normalize/references.js';
import { ownedResource } from '../ownership.js';
import type { OwnedResource, ReconcileContext, RemoveResult } from '../../runtime/kind-handler.js';
import { serviceObservation, type ServiceFacts } from './observe.js';

export type OwnedService = OwnedResource<JsonObject, ServiceFacts>;

/**
 * The services this instance owns, by their tags, in every cluster of the account (the cluster
 * listing is shared with the cluster discovery of the same pass); reads made since `ctx.notBefore`
 * are reused, not repeated.
 */
export async function discoverOwnedServices(clusters: ClusterPort, services: ServicePort, ctx: ReconcileContext): Promise<OwnedService[]> {
  const owned: OwnedService[] = [];
  for (const clusterArn of await clusters.listClusterArns(ctx.notBefore)) {
    const cluster = clusterName(clusterArn);
    const names = (await services.listServiceArns(cluster)).map((arn) => arn.slice(arn.lastIndexOf('/') + 1));
    await services.prefetchServices(cluster, names, ctx.notBefore);
    for (const name of names) {
      const service = await services.getService(cluster, name, ctx.notBefore);
      const observation = serviceObservation(service, { cluster, taskDefinitionArn: undefined, autoscaled: false, minCapacity: undefined });
      const found = ownedResource('Service', observation, ctx.instance);
      if (found) owned.push(found);
    }
  }
  return owned;
}

export async function removeService(services: ServicePort, owned: OwnedService, ctx: ReconcileContext): Promise<RemoveResult> {
  const live = owned.observation.live ?? {};
  const cluster = clusterName(String(live.clusterArn));
  const name = String(live.serviceName);
  const current = await services.getService(cluster, name, ctx.notBefore);
  if (!current || current.status === 'DRAINING') return { action: 'already deleted', writes: 0, gone: true };
  let writes = 0;
  if ((current.desiredCount ?? 0) > 0) {
    await services.updateService({ cluster, service: name, desiredCount: 0 });
    writes++;
  }
  await services.deleteService(cluster, name);
  return { action: writes ? 'scaled to 0 and deleted' : 'deleted', writes: writes + 1, gone: true };
}
