// The tags by which the operator knows what it owns (DESIGN.md "What the operator owns, and prune").

/** The operator instance that owns the resource (`--instance`, default `default`). */
export const TAG_MANAGED_BY = 'ecs-operator.dev/managed-by';
/** `Kind/name` of the manifest the resource comes from. */
export const TAG_RESOURCE = 'ecs-operator.dev/resource';
/**
 * The effective desired hash last applied (the manifest with what its references resolved to: the
 * task definition revision, the scaled service), so that after a restart a difference can still be
 * told apart as a Git change (applied, a change through a reference included) or drift (policy).
 * Written at creation and with every change, under every drift policy.
 */
export const TAG_APPLIED_HASH = 'ecs-operator.dev/applied-hash';

/**
 * On every task definition revision the operator registers: a digest of its normalized content, so
 * that a registration whose answer was lost is found (and not made twice), and a revision equal to
 * a manifest is known without comparing it field by field.
 */
export const TAG_CONTENT_HASH = 'ecs-operator.dev/content-hash';

/** Set to "false" on resources whose manifest says `ecs-operator.dev/prune: "false"`, so that prune honours it after a restart. */
export const TAG_PRUNE = 'ecs-operator.dev/prune';

export interface OwnershipOptions {
  /** The applied-hash to record. */
  hash?: string;
  /** The manifest forbids pruning. */
  noPrune?: boolean;
}

export function ownershipTags(instance: string, kind: string, name: string, options: OwnershipOptions = {}): Record<string, string> {
  const tags: Record<string, string> = { [TAG_MANAGED_BY]: instance, [TAG_RESOURCE]: `${kind}/${name}` };
  if (options.hash) tags[TAG_APPLIED_HASH] = options.hash;
  if (options.noPrune) tags[TAG_PRUNE] = 'false';
  return tags;
}

/** Whether live tags say this instance owns the resource declared as `key`. */
export function ownedBy(tags: Record<string, string> | undefined, instance: string, key?: string): boolean {
  if (!tags || tags[TAG_MANAGED_BY] !== instance) return false;
  return key === undefined || tags[TAG_RESOURCE] === key;
}
