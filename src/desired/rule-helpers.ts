// Helpers for the kinds' manifest rules: typed reads that tolerate values of any type (rules also run
// on documents with schema errors, and must never throw on them). Kind-agnostic: no kind's field
// names appear here.
import type { JsonObject, JsonValue } from '../core/types.js';
import { isObject } from '../normalize/common.js';

/** The value as a string, or undefined. */
export function text(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The value as a number, or undefined. */
export function num(value: JsonValue | undefined): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

/** The string items of a list (none when the value is not a list). */
export function strings(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** The plain-object items of a list (none when the value is not a list). */
export function objects(value: JsonValue | undefined): JsonObject[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

/** The value as an object, or an empty one. */
export function object(value: JsonValue | undefined): JsonObject {
  return isObject(value) ? value : {};
}

