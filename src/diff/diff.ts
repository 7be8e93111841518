// The one generic comparison every kind uses, on values both sides have already normalized, and the
// removal of ignored fields (the ecs-operator.dev/ignore-differences annotation).
import type { JsonValue } from '../core/types.js';
import { isObject } from '../normalize/common.js';
import { escapeSegment, parsePointer, removeMatching } from '../normalize/pointer.js';
import type { Difference } from './types.js';

/**
 * Every field where `desired` and `live` differ, in a deterministic order (object keys sorted, array
 * indexes ascending). Objects compare by key: a key on one side only is a difference with undefined
 * on the other. Arrays compare by index, as both sides are already sorted where order does not
 * matter; an array of scalars that differs is one difference for the whole array. Scalars compare by
 * strict equality. A subtree present on one side only is one difference at its root.
 * `basePath` is the JSON pointer prefixed to every path (default '' = the document).
 */
export function diffJson(desired: JsonValue | undefined, live: JsonValue | undefined, basePath = ''): Difference[] {
  const out: Difference[] = [];
  compare(desired, live, basePath, out);
  return out;
}

function compare(desired: JsonValue | undefined, live: JsonValue | undefined, path: string, out: Difference[]): void {
  if (desired === live) return;
  if (isObject(desired) && isObject(live)) {
    const keys = Object.keys(desired);
    for (const key in live) if (!Object.prototype.hasOwnProperty.call(desired, key)) keys.push(key);
    for (const key of keys.sort()) compare(desired[key], live[key], `${path}/${escapeSegment(key)}`, out);
    return;
  }
  if (Array.isArray(desired) && Array.isArray(live)) {
    if (allScalars(desired) && allScalars(live)) {
      const same = desired.length === live.length && desired.every((item, i) => item === live[i]);
      if (!same) out.push({ path, desired, live });
      return;
    }
    const length = Math.max(desired.length, live.length);
    for (let i = 0; i < length; i++) compare(desired[i], live[i], `${path}/${i}`, out);
    return;
  }
  out.push({ path, desired, live });
}

function allScalars(list: JsonValue[]): boolean {
  return list.every((item) => item === null || typeof item !== 'object');
}

/**
 * A copy of `value` without the fields the JSON pointers name. A segment may be `*` for any array
 * index or object key (`/containerDefinitions/*\/image`). Pointers that match nothing are ignored;
 * the whole-document pointer '' is ignored too (it would leave nothing to compare). Applied to both
 * normalized sides before diffing, so index-based pointers refer to the normalized (sorted) order.
 */
export function withoutPaths(value: JsonValue, pointers: readonly string[]): JsonValue {
  let out = value;
  for (const pointer of pointers) {
    const segments = parsePointer(pointer.trim());
    if (segments.length > 0) out = removeMatching(out, segments);
  }
  return out;
}
