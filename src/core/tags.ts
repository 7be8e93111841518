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

/**
 * The manifest's `ecs-operator.dev/prune` annotation, so that prune honours it after a restart: "false"
 * (never deleted) or "true" (deleted when its manifest is removed, even when it was adopted).
 */
export const TAG_PRUNE = 'ecs-operator.dev/prune';

/**
 * How the resource became this instance's: `created` (the operator created or registered it) or
 * `adopted` (it existed, without this instance's tags, and was taken over). Written with the first
 * ownership tags and never changed. Absent reads as adopted (see originOf).
 */
export const TAG_ORIGIN = 'ecs-operator.dev/origin';
export type Origin = 'created' | 'adopted';

/**
 * The origin live tags record. Without the tag (resources tagged by versions that did not write it)
 * the answer is `adopted`: prune must not delete what it cannot show it made.
 */
export function originOf(tags: Record<string, string> | undefined): Origin {
  return tags?.[TAG_ORIGIN] === 'created' ? 'created' : 'adopted';
}

export interface OwnershipOptions {
  /** The applied-hash to record. */
  hash?: string;
  /** The manifest forbids pruning. */
  noPrune?: boolean;
  /** The manifest allows pruning even when adopted (`prune: "true"`); ignored with noPrune. */
  pruneAdopted?: boolean;
  /** How it became ours, when that is being recorded now (creation, adoption). */
  origin?: Origin;
}

export function ownershipTags(instance: string, kind: string, name: string, options: OwnershipOptions = {}): Record<string, string> {
  const tags: Record<string, string> = { [TAG_MANAGED_BY]: instance, [TAG_RESOURCE]: `${kind}/${name}` };
  if (options.hash) tags[TAG_APPLIED_HASH] = options.hash;
  if (options.noPrune) tags[TAG_PRUNE] = 'false';
  else if (options.pruneAdopted) tags[TAG_PRUNE] = 'true';
  if (options.origin) tags[TAG_ORIGIN] = options.origin;
  return tags;
}

/** Whether live tags say this instance owns the resource declared as `key`. */
export function ownedBy(tags: Record<string, string> | undefined, instance: string, key?: string): boolean {
  if (!tags || tags[TAG_MANAGED_BY] !== instance) return false;
  return key === undefined || tags[TAG_RESOURCE] === key;
}
