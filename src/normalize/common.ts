// Generic, pure helpers every normalizer uses: SDK objects to plain JSON, "empty equals absent",
// stable sorting of order-insensitive lists and canonical key order.
import type { JsonObject, JsonValue } from '../core/types.js';

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object at `value`, or undefined when it is not an object. */
export function asObject(value: JsonValue | undefined): JsonObject | undefined {
  return isObject(value) ? value : undefined;
}

/** The array at `value`, or undefined when it is not an array. */
export function asList(value: JsonValue | undefined): JsonValue[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

/**
 * Plain JSON from what the AWS SDK returns: Date becomes an ISO string, Uint8Array base64, undefined
 * members and functions are dropped (undefined array elements become null, as JSON.stringify does),
 * non-finite numbers become null. Returns undefined only for an undefined (or function) input.
 */
export function toJson(value: unknown): JsonValue | undefined {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map((item) => toJson(item) ?? null);
  const out: JsonObject = {};
  // for...in over own keys: Object.entries would allocate a pair per member of every SDK object.
  const object = value as Record<string, unknown>;
  for (const key in object) {
    if (!Object.hasOwn(object, key)) continue;
    const json = toJson(object[key]);
    if (json !== undefined) out[key] = json;
  }
  return out;
}

/** An SDK description (any object) as a JSON object: toJson, members that are not JSON dropped. */
export function toJsonObject(value: object): JsonObject {
  const json = toJson(value);
  return isObject(json) ? json : {};
}

/**
 * A deep copy without null, undefined, empty arrays and empty objects, at any depth (an object whose
 * members are all empty becomes empty itself and goes too). AWS returns `[]` and `{}` for what was
 * never set, and manifests write `null` for "absent": all of them mean the same thing.
 * Returns undefined when nothing is left.
 */
export function pruneEmpty(value: JsonValue | undefined): JsonValue | undefined {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    const out: JsonValue[] = [];
    for (const item of value) {
      const pruned = pruneEmpty(item);
      if (pruned !== undefined) out.push(pruned);
    }
    return out.length > 0 ? out : undefined;
  }
  if (typeof value === 'object') {
    const out: JsonObject = {};
    let empty = true;
    for (const key in value) {
      const pruned = pruneEmpty(value[key]);
      if (pruned !== undefined) {
        out[key] = pruned;
        empty = false;
      }
    }
    return empty ? undefined : out;
  }
  return value;
}

/** pruneEmpty for a spec: always an object (empty when nothing is left), a new one. */
export function pruneObject(value: JsonObject): JsonObject {
  return asObject(pruneEmpty(value)) ?? {};
}

/**
 * pruneEmpty in place, for an object the caller owns (no copy): removes null, undefined, [] and {}
 * members and array elements at any depth. Returns `value`.
 */
export function pruneInPlace(value: JsonObject): JsonObject {
  for (const key of Object.keys(value)) if (isEmptyAfterPrune(value[key])) delete value[key];
  return value;
}

function isEmptyAfterPrune(value: JsonValue | undefined): boolean {
  if (value === null || value === undefined) return true;
  if (Array.isArray(value)) {
    let kept = 0;
    for (const item of value) if (!isEmptyAfterPrune(item)) value[kept++] = item;
    value.length = kept;
    return kept === 0;
  }
  if (typeof value === 'object') return Object.keys(pruneInPlace(value)).length === 0;
  return false;
}

type SortKey = string | number | boolean | undefined | null;

function compareKeys(a: SortKey | SortKey[], b: SortKey | SortKey[]): number {
  const left = Array.isArray(a) ? a : [a];
  const right = Array.isArray(b) ? b : [b];
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const x = left[i];
    const y = right[i];
    if (x === y) continue;
    // Absent sorts first; numbers numerically; everything else by its text, code point order.
    if (x === undefined || x === null) return -1;
    if (y === undefined || y === null) return 1;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    const sx = String(x);
    const sy = String(y);
    if (sx !== sy) return sx < sy ? -1 : 1;
  }
  return 0;
}

/**
 * A sorted copy of `list` (stable: equal keys keep their order). `keyOf` gives a key or a tuple of
 * keys compared left to right; ties on the whole key are broken by the element's JSON text, so two
 * lists with the same elements in any order sort identically.
 */
export function sortBy<T>(list: readonly T[], keyOf: (item: T) => SortKey | SortKey[]): T[] {
  const keyed = list.map((item) => ({ item, key: keyOf(item), text: '' }));
  return keyed
    .sort((a, b) => {
      const byKey = compareKeys(a.key, b.key);
      if (byKey !== 0) return byKey;
      a.text ||= JSON.stringify(a.item) ?? '';
      b.text ||= JSON.stringify(b.item) ?? '';
      return a.text === b.text ? 0 : a.text < b.text ? -1 : 1;
    })
    .map((entry) => entry.item);
}

/** A deep copy whose objects have their keys in sorted order, for stable printing and hashing. */
export function canonicalKeys(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(canonicalKeys);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const key of Object.keys(value).sort()) out[key] = canonicalKeys(value[key]!);
  return out;
}

/** A deep copy of a JSON value (several times faster than structuredClone on small values). */
export function cloneJson<T extends JsonValue>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneJson) as T;
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const key of Object.keys(value)) out[key] = cloneJson(value[key]!);
  return out as T;
}

/** Deep equality of two JSON values (object key order does not matter). */
export function jsonEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && jsonEqual(a[k], b[k]));
  }
  return false;
}
