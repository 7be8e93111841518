// Fields AWS fills in when the input leaves them out, with a value the input alone cannot predict
// (inherited from the cluster, an account setting, or a newer API default). Comparing them when Git
// does not set them would be a perpetual false difference, so they are compared only when set.
import type { JsonObject } from '../core/types.js';
import { parsePointer, removeMatching, valueAt } from './pointer.js';

/** One field AWS computes when the desired side leaves it out. */
export interface ServerComputed {
  /** JSON pointer into the normalized spec; `*` matches any index or key. */
  path: string;
  /**
   * Other pointers (concrete, no `*`) that also decide the field: it is dropped from the live side
   * only when the desired side sets none of them either (launchType falls back on the cluster's
   * strategy only when the service names neither a launch type nor a strategy).
   */
  alsoWhenDesiredLacks?: string[];
  /** Why AWS computes it, for the reader of the rule list. */
  why: string;
}

/**
 * The live spec without each server-computed field the desired spec does not set (matched pairwise:
 * `/a/*\/b` removes live `/a/3/b` only when desired `/a/3/b` is absent). Both specs are normalized.
 * A field Git does set is always compared, so a real change to it is still caught.
 */
export function dropServerComputed(desired: JsonObject, live: JsonObject, rules: readonly ServerComputed[]): JsonObject {
  let out = live;
  for (const rule of parsed(rules)) {
    if (rule.others.some((p) => valueAt(desired, p) !== undefined)) continue;
    out = removeMatching(out, rule.path, (path) => valueAt(desired, path) === undefined) as JsonObject;
  }
  return out;
}

interface ParsedRule {
  path: string[];
  others: string[][];
}

/** Rule lists are constants: their pointers are parsed once. */
const parsedRules = new WeakMap<readonly ServerComputed[], ParsedRule[]>();

function parsed(rules: readonly ServerComputed[]): ParsedRule[] {
  let out = parsedRules.get(rules);
  if (!out) {
    out = rules.map((r) => ({ path: parsePointer(r.path), others: (r.alsoWhenDesiredLacks ?? []).map(parsePointer) }));
    parsedRules.set(rules, out);
  }
  return out;
}
