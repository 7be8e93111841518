// Prune of a task definition: every ACTIVE revision of the family that this instance registered is
// deregistered (revisions registered by anyone else are left alone, even when the operator reused them;
// revisions tagged as ours without origin=created only with --prune-adopted).
import type { EcsPort } from '../../aws/ecs.js';
import { familyRevisionOf, groupByFamily } from '../../aws/task-definition-cache.js';
import { originOf, ownedBy } from '../../core/tags.js';
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
export async function discoverOwnedTaskDefinitions(ecs: EcsPort, ctx: ReconcileContext): Promise<OwnedResource[]> {
  const byFamily = groupByFamily(await ecs.listActiveTaskDefinitionArns());
  const revision = (arn: string) => familyRevisionOf(arn).revision ?? 0;
  const found = await Promise.all([...byFamily.values()].map(async (arns) => {
    for (const arn of arns.sort((a, b) => revision(b) - revision(a))) {
      const owned = ownedResource('TaskDefinition', taskDefinitionObservation(await ecs.describeTaskDefinition(arn)), ctx.instance);
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
export async function removeTaskDefinition(ecs: EcsPort, owned: OwnedResource, ctx: ReconcileContext, options: RemoveOptions): Promise<RemoveResult> {
  const family = String((owned.observation.live as { family?: string }).family);
  let writes = 0;
  for (const arn of await ecs.listTaskDefinitionArns(family, 'ACTIVE')) {
    const description = await ecs.describeTaskDefinition(arn);
    if (!ownedBy(flattenTags(description?.tags), ctx.instance, owned.key)) continue;
    const tags = await ecs.listTags(arn);
    if (!ownedBy(tags, ctx.instance, owned.key) || (!options.pruneAdopted && originOf(tags) !== 'created')) continue;
    await ecs.deregisterTaskDefinition(arn);
    writes++;
  }
  return { action: `deregistered ${writes} revision(s)`, writes, gone: true };
}
