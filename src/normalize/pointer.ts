// RFC 6901 JSON pointers, plus a `*` segment matching any array index or object key. Used by the
// ignore-differences annotation, by the "server-computed when absent" rules and by diff paths.
import type { JsonObject, JsonValue } from '../core/types.js';
import { isObject } from './common.js';

/** One pointer segment as written in a path: `~` becomes `~0`, `/` becomes `~1`. */
export function escapeSegment(segment: string): string {
  if (!segment.includes('~') && !segment.includes('/')) return segment;
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The unescaped segments of a pointer; '' (the whole document) has none. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  const body = pointer.startsWith('/') ? pointer.slice(1) : pointer;
  return body.split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The pointer for these segments (array indexes may be given as numbers). */
export function formatPointer(segments: ReadonlyArray<string | number>): string {
  return segments.map((s) => '/' + escapeSegment(String(s))).join('');
}

/** The value at concrete segments (no `*`), or undefined when any step is missing. */
export function valueAt(value: JsonValue | undefined, segments: readonly string[]): JsonValue | undefined {
  let at = value;
  for (const segment of segments) {
    if (Array.isArray(at)) at = /^\d+$/.test(segment) ? at[Number(segment)] : undefined;
    else if (isObject(at)) at = Object.prototype.hasOwnProperty.call(at, segment) ? at[segment] : undefined;
    else return undefined;
  }
  return at;
}

/**
 * A copy of `value` without what `pattern` (segments, `*` allowed) matches and `shouldRemove` accepts
 * (called with the concrete segments of each match). Parts the pattern does not reach are shared, not
 * copied. Array elements matched by the last segment are removed, so later indexes move up. An empty
 * pattern (the whole document) cannot be removed: `value` is returned unchanged.
 */
export function removeMatching(
  value: JsonValue,
  pattern: readonly string[],
  shouldRemove: (path: string[]) => boolean = () => true,
): JsonValue {
  const result = remove(value, pattern, 0, [], shouldRemove);
  return result === undefined || result === REMOVED ? value : result;
}

/** undefined: nothing matched below, keep `value` as it is. REMOVED: drop `value` itself. */
const REMOVED = Symbol('removed');

function remove(
  value: JsonValue,
  pattern: readonly string[],
  depth: number,
  path: string[],
  shouldRemove: (path: string[]) => boolean,
): JsonValue | typeof REMOVED | undefined {
  if (depth === pattern.length) return shouldRemove(path.slice()) ? REMOVED : undefined;
  const segment = pattern[depth]!;
  if (Array.isArray(value)) {
    let out: JsonValue[] | undefined;
    for (let index = 0; index < value.length; index++) {
      const key = String(index);
      if (segment !== '*' && segment !== key) continue;
      path.push(key);
      const result = remove(value[index]!, pattern, depth + 1, path, shouldRemove);
      path.pop();
      if (result === undefined) continue;
      // Tombstones keep indexes stable until every element is visited.
      out ??= value.slice();
      out[index] = result === REMOVED ? (REMOVED as unknown as JsonValue) : result;
    }
    return out?.filter((item) => item !== (REMOVED as unknown as JsonValue));
  }
  if (isObject(value)) {
    let out: JsonObject | undefined;
    for (const key of segment === '*' ? Object.keys(value) : [segment]) {
      if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
      path.push(key);
      const result = remove(value[key]!, pattern, depth + 1, path, shouldRemove);
      path.pop();
      if (result === undefined) continue;
      out ??= { ...value };
      if (result === REMOVED) delete out[key];
      else out[key] = result;
    }
    return out;
  }
  return undefined;
}
