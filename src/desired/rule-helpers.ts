// Helpers for the kinds' manifest rules: typed reads of schema-valid specs and the checks several kinds
// share (names unique within a list). Kind-agnostic: no kind's field names appear here.
import type { JsonObject, JsonValue } from '../core/types.js';
import type { Finding } from './kind-rules.js';
import { isObject } from '../normalize/common.js';
import { formatPointer } from '../normalize/pointer.js';

/** The value as a string, or undefined. */
export function text(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The value as a number, or undefined. */
export function num(value: JsonValue | undefined): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

/** The plain-object items of a list (none when the value is not a list). */
export function objects(value: JsonValue | undefined): JsonObject[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

/** The value as an object, or an empty one. */
export function object(value: JsonValue | undefined): JsonObject {
  return isObject(value) ? value : {};
}

/**
 * One finding per list item whose `field` repeats an earlier item's value, at the repeat, naming the first.
 * `listPath` is the list's JSON pointer (`/spec/containerDefinitions`); `label` names the field in messages.
 */
export function duplicateValues(list: JsonValue | undefined, listPath: string, field: string, label = field): Finding[] {
  const first = new Map<string, number>();
  const findings: Finding[] = [];
  (Array.isArray(list) ? list : []).forEach((item, index) => {
    const value = isObject(item) ? text(item[field]) : undefined;
    if (value === undefined) return;
    const earlier = first.get(value);
    if (earlier === undefined) {
      first.set(value, index);
      return;
    }
    findings.push({
      path: `${listPath}${formatPointer([index, field])}`,
      message: `duplicate ${label} ${JSON.stringify(value)} (first at ${listPath}/${earlier})`,
    });
  });
  return findings;
}
