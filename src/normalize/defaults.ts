// In-place editing helpers for the per-kind normalizers. They run on the private deep copy that
// pruneEmpty makes, never on a caller's object, so mutating is safe and keeps each normalizer short.
import type { JsonObject, JsonValue } from '../core/types.js';
import { asList, asObject, cloneJson, isObject, jsonEqual, sortBy } from './common.js';

/**
 * Sets every member of `defaults` that `target` lacks (AWS fills these in and returns them, so both
 * sides carry them). Object and array defaults are copied, so the constants are never shared.
 */
export function fillDefaults(target: JsonObject, defaults: JsonObject): JsonObject {
  for (const key in defaults) {
    if (target[key] !== undefined) continue;
    const value = defaults[key]!;
    target[key] = typeof value === 'object' ? cloneJson(value) : value;
  }
  return target;
}

/**
 * Deletes every member of `target` equal to its entry in `defaults` (AWS omits these when unset, so a
 * spec that writes the default out equals one that leaves it out).
 */
export function dropDefaults(target: JsonObject, defaults: JsonObject): JsonObject {
  for (const key in defaults) {
    if (target[key] !== undefined && jsonEqual(target[key], defaults[key])) delete target[key];
  }
  return target;
}

/** Calls `edit` on every object element of the list at `target[key]` (other elements are left). */
export function eachObject(target: JsonObject | undefined, key: string, edit: (item: JsonObject) => void): void {
  for (const item of asList(target?.[key]) ?? []) if (isObject(item)) edit(item);
}

/** Calls `edit` on the object at `target[key]` when there is one. */
export function withObject(target: JsonObject | undefined, key: string, edit: (item: JsonObject) => void): void {
  const item = asObject(target?.[key]);
  if (item) edit(item);
}

type Key = string | number | boolean | undefined | null;

/**
 * Sorts the list at `target[key]` in place of the member. `by` names the members giving the sort key
 * (objects), or is omitted for a list of scalars sorted by value.
 */
export function sortList(target: JsonObject | undefined, key: string, ...by: string[]): void {
  const list = asList(target?.[key]);
  if (!target || !list) return;
  target[key] = sortBy(list, (item) => (by.length === 0 ? scalarKey(item) : by.map((m) => memberKey(item, m))));
}

function scalarKey(item: JsonValue): Key {
  return isObject(item) || Array.isArray(item) ? undefined : item;
}

function memberKey(item: JsonValue, member: string): Key {
  return isObject(item) ? scalarKey(item[member] ?? null) : undefined;
}

/** Deletes `target[key]` when it is `false`: for booleans AWS treats as off when absent. */
export function dropFalse(target: JsonObject, ...keys: string[]): void {
  for (const key of keys) if (target[key] === false) delete target[key];
}
