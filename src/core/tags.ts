// The tags by which the operator knows what it owns (DESIGN.md "What the operator owns, and prune").

/** The operator instance that owns the resource (`--instance`, default `default`). */
export const TAG_MANAGED_BY = 'ecs-operator.dev/managed-by';
/** `Kind/name` of the manifest the resource comes from. */
export const TAG_RESOURCE = 'ecs-operator.dev/resource';
/**
 * The hash of the manifest last applied, so that after a restart a difference can still be told apart
 * as a Git change (apply) or drift (policy). Written at creation, and on updates of resources whose
 * drift policy is not heal (under heal both mean the same thing, so no extra write is spent).
 */
export const TAG_APPLIED_HASH = 'ecs-operator.dev/applied-hash';

export const OPERATOR_TAG_PREFIX = 'ecs-operator.dev/';

export function ownershipTags(instance: string, kind: string, name: string, hash?: string): Record<string, string> {
  const tags: Record<string, string> = { [TAG_MANAGED_BY]: instance, [TAG_RESOURCE]: `${kind}/${name}` };
  if (hash) tags[TAG_APPLIED_HASH] = hash;
  return tags;
}
