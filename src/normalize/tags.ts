// Resource tags as ECS inputs write them ([{key, value}]): compared as a set by key, without the
// tags nobody writes in a manifest, and turned into TagResource/UntagResource changes.
import { ANNOTATION_PREFIX, type JsonObject, type JsonValue } from '../core/types.js';
import { asList, isObject, sortBy } from './common.js';

/**
 * Tag keys never compared: the operator's own ownership tags (`ecs-operator.dev/...`, managed apart
 * from the spec) and AWS-reserved ones (`aws:...`, set by CloudFormation and others; no caller may
 * write them).
 */
export function isUnmanagedTagKey(key: string): boolean {
  return key.startsWith(ANNOTATION_PREFIX) || key.toLowerCase().startsWith('aws:');
}

/**
 * The list of `{key, value}` tags sorted by key, unmanaged keys removed; a missing value becomes ''
 * (as AWS stores it). Returns undefined when nothing is left, so "no tags" equals absent.
 */
export function normalizeTags(tags: JsonValue | undefined): JsonObject[] | undefined {
  const kept: JsonObject[] = [];
  for (const tag of asList(tags) ?? []) {
    if (!isObject(tag) || typeof tag.key !== 'string' || isUnmanagedTagKey(tag.key)) continue;
    kept.push({ key: tag.key, value: typeof tag.value === 'string' ? tag.value : '' });
  }
  return kept.length > 0 ? sortBy(kept, (t) => t.key as string) : undefined;
}

/** What TagResource and UntagResource must do to make the live tags equal the desired ones. */
export interface TagChanges {
  /** Tags to add or overwrite, for TagResource; empty when none. */
  tag: JsonObject[];
  /** Keys to remove, for UntagResource; empty when none. */
  untagKeys: string[];
}

/**
 * The tag changes between two tag lists (either shape, normalized here): unmanaged keys are neither
 * added nor removed, so the ownership tags and AWS's own tags survive a heal.
 */
export function tagChanges(desired: JsonValue | undefined, live: JsonValue | undefined): TagChanges {
  const want = new Map((normalizeTags(desired) ?? []).map((t) => [t.key as string, t.value as string]));
  const have = new Map((normalizeTags(live) ?? []).map((t) => [t.key as string, t.value as string]));
  const tag = [...want].filter(([k, v]) => have.get(k) !== v).map(([key, value]) => ({ key, value }));
  const untagKeys = [...have.keys()].filter((k) => !want.has(k));
  return { tag, untagKeys };
}
