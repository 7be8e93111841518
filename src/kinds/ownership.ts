// Ownership, as every kind applies it: what this operator instance may touch, the tags that say so,
// and adoption of an existing resource with the manifest's name (DESIGN.md "What the operator owns").
import type { DesiredResource } from '../core/types.js';
import { TAG_APPLIED_HASH, TAG_MANAGED_BY, TAG_RESOURCE, ownedBy, ownershipTags } from '../core/tags.js';
import { effectiveDriftPolicy, type Kind, type ResourceKey } from '../core/types.js';
import type { Difference } from '../diff/types.js';
import type { Observation, OwnedResource, Plan, ReconcileContext } from '../runtime/kind-handler.js';

/** AWS tag lists ({key, value} or {Key, Value}) as a plain map. */
export function flattenTags(list: ReadonlyArray<{ key?: string; value?: string }> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const tag of list ?? []) if (tag.key !== undefined) out[tag.key] = tag.value ?? '';
  return out;
}

/** Why this instance must not touch an existing resource, if it must not. */
export function ownershipBlock(resource: DesiredResource, observation: Observation, ctx: ReconcileContext): Plan['blocked'] {
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

/** Differences that adopting an existing, untagged resource makes (its ownership tags). */
export function adoptionDifferences(resource: DesiredResource, observation: Observation, ctx: ReconcileContext): Difference[] {
  if (!observation.exists) return [];
  const tags = observation.tags ?? {};
  const want = ownershipTags(ctx.instance, resource.kind, resource.name, { noPrune: !resource.policy.prune });
  return Object.entries(want)
    .filter(([key, value]) => tags[key] !== value)
    .map(([key, value]) => ({ path: `/tags/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, desired: value, live: tags[key] }));
}

/**
 * The operator's tags to write with a change: ownership when missing, and the applied-hash when the
 * resource's drift policy is not heal (only there does it matter after a restart; see core/tags.ts).
 */
export function ownershipTagWrites(resource: DesiredResource, observation: Observation, ctx: ReconcileContext): Record<string, string> {
  const tags = observation.tags ?? {};
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(ownershipTags(ctx.instance, resource.kind, resource.name, { noPrune: !resource.policy.prune }))) {
    if (tags[key] !== value) out[key] = value;
  }
  const policy = effectiveDriftPolicy(resource, ctx.driftDefault);
  if (policy !== 'heal' && tags[TAG_APPLIED_HASH] !== resource.hash) out[TAG_APPLIED_HASH] = resource.hash;
  return out;
}

/** Tags for a create call: the manifest's own plus ownership and the applied-hash. */
export function creationTags(resource: DesiredResource, ctx: ReconcileContext, own: unknown): Array<{ key: string; value: string }> {
  const list = Array.isArray(own) ? (own as Array<{ key: string; value: string }>) : [];
  const ours = ownershipTags(ctx.instance, resource.kind, resource.name, { hash: resource.hash, noPrune: !resource.policy.prune });
  return [...list.filter((t) => !(t.key in ours)), ...Object.entries(ours).map(([key, value]) => ({ key, value }))];
}

/** The live resource as this instance's, if its tags say it owns it as a manifest of `kind` (for prune discovery). */
export function ownedResource(kind: Kind, observation: Observation, instance: string): OwnedResource | undefined {
  const key = observation.tags?.[TAG_RESOURCE];
  if (!observation.exists || !key?.startsWith(`${kind}/`) || !ownedBy(observation.tags, instance)) return undefined;
  return { key: key as ResourceKey, observation };
}
