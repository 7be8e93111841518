// Prune of a task definition: every ACTIVE revision of the family that this instance registered is
// deregistered (revisions registered by anyone else are left alone, even when the operator reused them).
import type { EcsPort } from '../../aws/ecs.js';
import { ownedBy } from '../../core/tags.js';
import type { OwnedResource, ReconcileContext, RemoveResult } from '../../runtime/kind-handler.js';
import { flattenTags, ownedResource } from '../ownership.js';
import { taskDefinitionObservation } from './observe.js';

export async function discoverOwnedTaskDefinitions(ecs: EcsPort, ctx: ReconcileContext): Promise<OwnedResource[]> {
  const owned: OwnedResource[] = [];
  for (const family of await ecs.listTaskDefinitionFamilies()) {
    const observation = taskDefinitionObservation(await ecs.describeTaskDefinition(family));
    const found = ownedResource('TaskDefinition', observation, ctx.instance);
    if (found) owned.push(found);
  }
  return owned;
}

export async function removeTaskDefinition(ecs: EcsPort, owned: OwnedResource, ctx: ReconcileContext): Promise<RemoveResult> {
  const family = String((owned.observation.live as { family?: string }).family);
  let writes = 0;
  for (const arn of await ecs.listTaskDefinitionArns(family, 'ACTIVE')) {
    const description = await ecs.describeTaskDefinition(arn);
    if (!ownedBy(flattenTags(description?.tags), ctx.instance, owned.key)) continue;
    await ecs.deregisterTaskDefinition(arn);
    writes++;
  }
  return { action: `deregistered ${writes} revision(s)`, writes, gone: true };
}
