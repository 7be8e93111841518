// Prune of a task definition: every ACTIVE revision of the family that this instance registered is
// deregistered (revisions registered by anyone else are left alone, even when the operator reused them;
// revisions tagged as ours without origin=created only with --prune-adopted).
import type { TaskDefinitionPort } from '../../aws/ecs/task-definitions.js';
import { familyRevisionOf, groupByFamily } from '../../aws/ecs/task-definition-cache.js';
import { originOf, ownedBy } from '../../core/tags.js';
import type { JsonObject } from '../../core/types.js';
import type { OwnedResource, ReconcileContext, RemoveOptions, RemoveResult } from '../../runtime/kind-handler.js';
import { flattenTags, ownedResource } from '../ownership.js';
import { taskDefinitionObservation } from './observe.js';

/**
 * The task definitions this instance owns, from the account's ACTIVE revisions (one listing) and
 * their descriptions (cached forever by ARN, so only revisions never seen before cost a call). A
 * family is found when any of its ACTIVE revisions carries this instance's tags, not only its
 * latest: after a restart, owned older revisions must not leak because someone registered a newer
 * one. Each family's revisions are read newest first, up to the first owned one, whose tags and
 * description stand for the resource.
 */
export type OwnedTaskDefinition = OwnedResource<JsonObject, undefined>;

export async function discoverOwnedTaskDefinitions(port: TaskDefinitionPort, ctx: ReconcileContext): Promise<OwnedTaskDefinition[]> {
  const byFamily = groupByFamily(await port.listActiveTaskDefinitionArns());
  const revision = (arn: string) => familyRevisionOf(arn).revision ?? 0;
  const found = await Promise.all([...byFamily.values()].map(async (arns) => {
    for (const arn of arns.sort((a, b) => revision(b) - revision(a))) {
      const owned = ownedResource('TaskDefinition', taskDefinitionObservation(await port.describeTaskDefinition(arn)), ctx.instance);
      if (owned) return owned;
    }
    return undefined;
  }));
  return found.filter((owned) => owned !== undefined);
}

/**
 * Deregisters the family's ACTIVE revisions this instance registered for `owned.key`: those tagged
 * origin=created, and the others it tags as its own only with `options.pruneAdopted`. Cached
 * descriptions' tags may be old (a revision's tags can change without a new revision), so a revision
 * they say is ours has its tags read again before it goes: one read per deregistration.
 */
export async function removeTaskDefinition(
  port: TaskDefinitionPort, owned: OwnedTaskDefinition, ctx: ReconcileContext, options: RemoveOptions,
): Promise<RemoveResult> {
  const family = String(owned.observation.live?.family);
  let writes = 0;
  for (const arn of await port.listTaskDefinitionArns(family, 'ACTIVE')) {
    const description = await port.describeTaskDefinition(arn);
    if (!ownedBy(flattenTags(description?.tags), ctx.instance, owned.key)) continue;
    const tags = await port.listTags(arn);
    if (!ownedBy(tags, ctx.instance, owned.key) || (!options.pruneAdopted && originOf(tags) !== 'created')) continue;
    await port.deregisterTaskDefinition(arn);
    writes++;
  }
  return { action: `deregistered ${writes} revision(s)`, writes, gone: true };
}
