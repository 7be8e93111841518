// Small pure helpers on parsed manifest values: null removal ("null means absent"),
// and the canonical JSON and digest that make DesiredResource.hash stable across key order.
import { createHash } from 'node:crypto';
import { isObject } from '../normalize/common.js';

/**
 * Deletes every object member whose value is null, at any depth, in place. Array items stay (an array of
 * nulls is a mistake the schema reports, and keeping indexes keeps positions right). Depth is already
 * bounded by the parser's limit, so recursion is safe here.
 */
export function removeNulls(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) removeNulls(item);
  } else if (isObject(value)) {
    for (const key of Object.keys(value)) {
      if (value[key] === null) delete value[key];
      else removeNulls(value[key]);
    }
  }
}

/** JSON with object keys sorted at every level: equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The first `length` hex digits of the SHA-256 of a text. */
export function sha256Hex(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}
