// Ownership, as every kind applies it: what this operator instance may touch, the tags that say so,
// and adoption of an existing resource with the manifest's name (DESIGN.md "What the operator owns").
import type { TaggingPort } from '../aws/tagging.js';
import { TAG_APPLIED_HASH, TAG_MANAGED_BY, TAG_ORIGIN, TAG_PRUNE, TAG_RESOURCE, ownedBy, ownershipTags, type OwnershipOptions } from '../core/tags.js';
import { isResourceKey, type DesiredResource, type JsonValue, type Kind } from '../core/types.js';
import type { Difference } from '../diff/types.js';
import { formatPointer } from '../normalize/pointer.js';
import { tagChanges } from '../normalize/tags.js';
import { isObject } from '../normalize/common.js';
import type { Observation, OwnedResource, Plan, ReconcileContext } from '../runtime/kind-handler.js';

/** An ECS tag list ({key, value}) as a plain map; a missing value is ''. */
export function flattenTags(list: ReadonlyArray<{ key?: string; value?: string }> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const tag of list ?? []) if (tag.key !== undefined) out[tag.key] = tag.value ?? '';
  return out;
}

/** Why this instance must not touch an existing resource, if it must not. */
export function ownershipBlock(resource: DesiredResource, observation: Pick<Observation, 'exists' | 'tags' | 'arn'>, ctx: ReconcileContext): Plan['blocked'] {
  if (!observation.exists) return undefined;
  const tags = observation.tags ?? {};
  const owner = tags[TAG_MANAGED_BY];
  const what = `${resource.kind} ${resource.name} (${observation.arn ?? 'existing'})`;
  if (owner !== undefined && owner !== ctx.instance) {
    return { reason: 'NotOwned', message: `${what} is managed by operator instance "${owner}", not "${ctx.instance}"` };
  }
  const declaredBy = tags[TAG_RESOURCE];
  if (owner === ctx.instance && declaredBy !== undefined && declaredBy !== resource.key) {
    return { reason: 'NotOwned', message: `${what} is already managed through the manifest ${declaredBy}` };
  }
  if (owner === undefined && !ctx.adopt) {
    return { reason: 'NotOwned', message: `${what} exists and is not managed by ecs-operator; adoption is off (--no-adopt)` };
  }
  return undefined;
}

/** The tag options a manifest's prune annotation asks for (see TAG_PRUNE). */
function pruneOptions(resource: DesiredResource): OwnershipOptions {
  return { noPrune: !resource.policy.prune, pruneAdopted: resource.policy.pruneAdopted === true };
}

/**
 * `origin=adopted` when these (read) tags are those of a resource being adopted now: no owner and no
 * origin yet. Tags not read record nothing, and an origin once written is never rewritten: a
 * resource the operator created must never turn "adopted", nor the reverse.
 */
function adoptionOrigin(tags: Record<string, string> | undefined): OwnershipOptions {
  return tags && tags[TAG_MANAGED_BY] === undefined && tags[TAG_ORIGIN] === undefined ? { origin: 'adopted' } : {};
}

/**
 * Differences in the operator's own tags of an existing resource: the ownership tags adopting it
 * adds (with origin=adopted), and a prune tag its annotation no longer asks for (removed).
 */
export function adoptionDifferences(resource: DesiredResource, observation: Pick<Observation, 'exists' | 'tags'>, ctx: ReconcileContext): Difference[] {
  if (!observation.exists) return [];
  const tags = observation.tags ?? {};
  const want = ownershipTags(ctx.instance, resource.kind, resource.name, { ...pruneOptions(resource), ...adoptionOrigin(observation.tags) });
  return [...Object.keys(want), ...staleOwnershipKeys(resource, tags)]
    .filter((key) => tags[key] !== want[key])
    .map((key) => ({ path: formatPointer(['tags', key]), desired: want[key], live: tags[key] }));
}

/** Tag changes to make: keys to set (TagResource) and to remove (UntagResource). */
export interface OwnershipTagWrites {
  tag: Record<string, string>;
  untag: string[];
}

/** Operator tags present live that the manifest no longer asks for: the prune tag once its annotation is gone. */
function staleOwnershipKeys(resource: DesiredResource, tags: Record<string, string>): string[] {
  const annotated = !resource.policy.prune || resource.policy.pruneAdopted === true;
  return tags[TAG_PRUNE] !== undefined && !annotated ? [TAG_PRUNE] : [];
}

/** The applied-hash to record: the pass's effective desired hash, else (outside a pass) the manifest's. */
export function appliedHashOf(resource: DesiredResource, ctx: Pick<ReconcileContext, 'appliedHash'>): string {
  return ctx.appliedHash ?? resource.hash;
}

/**
 * The operator's tags to write with a change: ownership when missing (origin=adopted too, when the
 * tags were read and it is being adopted), the applied-hash when it is not the one recorded (under
 * every drift policy: after a restart it alone tells a Git change from drift; see core/tags.ts), and
 * the removal of a prune tag whose annotation is gone. `observation.tags` undefined (not read) counts
 * as no tags: everything but the origin is set, nothing removed.
 */
export function ownershipTagWrites(resource: DesiredResource, observation: Pick<Observation, 'tags'>, ctx: ReconcileContext): OwnershipTagWrites {
  const tags = observation.tags ?? {};
  const tag: Record<string, string> = {};
  const wanted = ownershipTags(ctx.instance, resource.kind, resource.name, { ...pruneOptions(resource), ...adoptionOrigin(observation.tags) });
  for (const [key, value] of Object.entries(wanted)) {
    if (tags[key] !== value) tag[key] = value;
  }
  const hash = appliedHashOf(resource, ctx);
  if (tags[TAG_APPLIED_HASH] !== hash) tag[TAG_APPLIED_HASH] = hash;
  return { tag, untag: staleOwnershipKeys(resource, tags) };
}

/**
 * Every tag change of an existing ECS resource: its manifest's tags (`{key, value}` lists, see
 * tagChanges) and the operator's (ownershipTagWrites).
 */
export function ecsTagWrites(
  resource: DesiredResource, observation: Pick<Observation, 'tags'>, ctx: ReconcileContext, desired: JsonValue | undefined, live: JsonValue | undefined,
): OwnershipTagWrites {
  const changes = tagChanges(desired, live);
  const own = ownershipTagWrites(resource, observation, ctx);
  return {
    tag: { ...Object.fromEntries(changes.tag.map((t) => [String(t.key), String(t.value)])), ...own.tag },
    untag: [...changes.untagKeys, ...own.untag],
  };
}

/** Makes the tag changes (a TagResource and an UntagResource, each only when needed); returns the writes made. */
export async function writeTags(port: Pick<TaggingPort, 'tagResource' | 'untagResource'>, arn: string, changes: OwnershipTagWrites): Promise<number> {
  let writes = 0;
  if (Object.keys(changes.tag).length > 0) {
    await port.tagResource(arn, changes.tag);
    writes++;
  }
  if (changes.untag.length > 0) {
    await port.untagResource(arn, changes.untag);
    writes++;
  }
  return writes;
}

/** The operator's tags for a create call: ownership, origin=created, the applied-hash and the prune annotation's. */
export function creationOwnershipTags(resource: DesiredResource, ctx: ReconcileContext): Record<string, string> {
  return ownershipTags(ctx.instance, resource.kind, resource.name, { hash: appliedHashOf(resource, ctx), ...pruneOptions(resource), origin: 'created' });
}

/** An ECS tag as a manifest writes it. */
type EcsTag = { key: string; value: string };

const isEcsTag = (tag: JsonValue): tag is EcsTag => isObject(tag) && typeof tag.key === 'string' && typeof tag.value === 'string';

/** Tags for an ECS create call: the manifest's own (`own`, an ECS tag list) plus creationOwnershipTags. */
export function creationTags(resource: DesiredResource, ctx: ReconcileContext, own: JsonValue | undefined): EcsTag[] {
  const list = Array.isArray(own) ? own.filter(isEcsTag) : [];
  const ours = creationOwnershipTags(resource, ctx);
  return [...list.filter((t) => !(t.key in ours)), ...Object.entries(ours).map(([key, value]) => ({ key, value }))];
}

/** The live resource as this instance's, if its tags say it owns it as a manifest of `kind` (for prune discovery). */
export function ownedResource<Live, Facts>(kind: Kind, observation: Observation<Live, Facts>, instance: string): OwnedResource<Live, Facts> | undefined {
  const key = observation.tags?.[TAG_RESOURCE];
  if (!observation.exists || !key?.startsWith(`${kind}/`) || !isResourceKey(key) || !ownedBy(observation.tags, instance)) return undefined;
  return { key, observation };
}
