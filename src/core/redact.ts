// The one masking of secrets before anything leaves the process: status, events, alerts, logs,
// metrics labels and every CLI output. A value is secret when the name it is stored under looks like
// a secret's (an object key such as `dockerLabels.API_TOKEN`, or the `name`/`key` of a `{name,
// value}` pair: environment variables, tags, options), or when the value itself looks like one
// (secret-patterns.ts: credentials in URLs, Authorization values, `--password=` arguments, private
// keys, AWS secret keys, random tokens). Names are never masked, nor are ARNs (`secrets[].valueFrom`
// names where a secret is kept, it is not the secret).
import { isDeepStrictEqual } from 'node:util';
import type { JsonValue } from './types.js';
import type { Difference } from '../diff/types.js';
import { isObject } from '../normalize/common.js';
import { parsePointer, valueAt } from '../normalize/pointer.js';
import {
  MASK, hasAccessKeyId, isArn, isSecretAccessKey, isSecretName, maskText, redactUrl, takesSecretArgument,
} from './secret-patterns.js';

export { MASK, isSecretName, maskText, redactUrl };

/** What the desired side of a masked value shows when the secret changed: the diff says *that* it did. */
export const MASK_CHANGED = '*** (changed)';

/** Credentials and secret-looking values out of free text (a git error message quoting a URL...). */
export function redactText(text: string): string {
  return maskText(text);
}

/** The fields that name a pair's value; they identify, they are not the secret. */
const PAIR_NAMES = ['name', 'key'] as const;
const isPairName = (field: string) => (PAIR_NAMES as readonly string[]).includes(field);

/** The name of a pair: an object with a `name` or `key` and a `value` or `valueFrom` (a container is not one). */
function pairName(value: JsonValue | undefined): string | undefined {
  if (!isObject(value) || !('value' in value || 'valueFrom' in value)) return undefined;
  for (const field of PAIR_NAMES) if (typeof value[field] === 'string') return value[field] as string;
  return undefined;
}

/** An AWS-ish name (`AWS_SAK`, `aws.secret`) holding a value shaped like a secret access key. */
function awsSecretUnder(name: string, value: JsonValue | undefined): boolean {
  return /aws/i.test(name) && typeof value === 'string' && isSecretAccessKey(value);
}

/** Whether the items of a list or the values of an object mention an AWS access key id. */
function nearAccessKeyId(values: Iterable<JsonValue>): boolean {
  for (const v of values) {
    const text = typeof v === 'string' ? v : isObject(v) && typeof v.value === 'string' ? v.value : undefined;
    if (text !== undefined && hasAccessKeyId(text)) return true;
  }
  return false;
}

function maskScalar(value: JsonValue, secret: boolean, awsContext: boolean): JsonValue {
  if (typeof value !== 'string') return secret ? MASK : value;
  if (isArn(value)) return value;
  if (secret || (awsContext && isSecretAccessKey(value))) return MASK;
  return maskText(value);
}

/**
 * A copy of a manifest or AWS value with secrets masked, by name and by value: under a secret-looking
 * key everything but pair names becomes `***`; a pair whose name looks secret has its value masked;
 * the argument after `--password` in a command list is masked; every other string goes through the
 * value patterns. `secret` true masks every value (the caller knows the name above). undefined and
 * null are kept (an absent value reveals nothing).
 */
export function maskSpec(value: JsonValue | undefined, secret = false, awsContext = false): JsonValue | undefined {
  if (value === undefined || value === null) return value;
  if (Array.isArray(value)) {
    const aws = awsContext || nearAccessKeyId(value);
    return value.map((item, i) => {
      const afterFlag = i > 0 && typeof value[i - 1] === 'string' && takesSecretArgument(value[i - 1] as string) && typeof item === 'string';
      return maskSpec(item, secret || afterFlag, aws) as JsonValue;
    });
  }
  if (!isObject(value)) return maskScalar(value, secret, awsContext);
  const name = pairName(value);
  const aws = awsContext || nearAccessKeyId(Object.values(value));
  const pairSecret = secret || (name !== undefined && (isSecretName(name) || awsSecretUnder(name, value.value)));
  const out: { [key: string]: JsonValue } = {};
  for (const [key, item] of Object.entries(value)) {
    if (name !== undefined && isPairName(key)) out[key] = item;
    else out[key] = maskSpec(item, pairSecret || isSecretName(key) || awsSecretUnder(key, item), aws) as JsonValue;
  }
  return out;
}

/**
 * Both sides of a comparison masked (maskSpec), and where a secret differs but both sides mask to
 * the same text, the desired side shows MASK_CHANGED: a reader sees that it changed, never what to.
 */
export function maskBoth(
  desired: JsonValue | undefined, live: JsonValue | undefined, secret = false, awsContext = false,
): { desired: JsonValue | undefined; live: JsonValue | undefined } {
  const maskedDesired = maskSpec(desired, secret, awsContext);
  const maskedLive = maskSpec(live, secret, awsContext);
  return { desired: markChanged(desired, live, maskedDesired, maskedLive), live: maskedLive };
}

function markChanged(d: JsonValue | undefined, l: JsonValue | undefined, md: JsonValue | undefined, ml: JsonValue | undefined): JsonValue | undefined {
  if (isDeepStrictEqual(d, l) || !isDeepStrictEqual(md, ml)) return md;
  if (Array.isArray(d) && Array.isArray(l) && Array.isArray(md) && Array.isArray(ml) && d.length === l.length) {
    return md.map((item, i) => markChanged(d[i], l[i], item, ml[i]) as JsonValue);
  }
  if (isObject(d) && isObject(l) && isObject(md) && isObject(ml)) {
    return Object.fromEntries(Object.entries(md).map(([k, item]) => [k, markChanged(d[k], l[k], item, ml[k]) as JsonValue]));
  }
  return typeof md === 'string' && md.includes(MASK) && md !== MASK ? `${md} ${MASK_CHANGED.slice(MASK.length + 1)}` : MASK_CHANGED;
}

/** The normalized specs a difference's path points into, to find a pair's name (Plan.desiredSpec/liveSpec). */
export interface MaskSpecs {
  desired?: unknown;
  live?: unknown;
}

/**
 * Whether the value a JSON pointer names is stored under a secret-looking name. A step into a pair
 * (`/environment/3/value`) looks the pair's name up in `specs`; when neither spec has it, the value
 * is treated as secret: a name that cannot be checked is not trusted.
 */
export function isSecretPath(path: string, specs: MaskSpecs = {}): boolean {
  const segments = parsePointer(path);
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const isIndex = /^\d+$/.test(segment);
    if (!isIndex && !isPairName(segment) && isSecretName(segment)) return true;
    // Stepping from a list item into one of its fields: the item may be a pair with a secret name.
    if (i > 0 && /^\d+$/.test(segments[i - 1]!) && !isPairName(segment)) {
      const parent = segments.slice(0, i);
      const items = [specs.desired, specs.live].map((spec) => valueAt(spec as JsonValue, parent)).filter(isObject);
      if (items.length === 0) {
        if (segment === 'value') return true;
        continue;
      }
      if (items.some((item) => { const n = pairName(item); return n !== undefined && isSecretName(n); })) return true;
    }
  }
  return false;
}

/**
 * Whether a list or object on the way to `path` in either spec mentions an AWS access key id: then a
 * secret-key-shaped value there is the key's secret (`{name: AK, value: AKIA...}` next to `{name: SK}`).
 */
function nearAccessKeyIdAt(path: string, specs: MaskSpecs): boolean {
  const segments = parsePointer(path);
  for (let i = 0; i < segments.length; i++) {
    for (const spec of [specs.desired, specs.live]) {
      const container = valueAt(spec as JsonValue, segments.slice(0, i));
      if (Array.isArray(container) ? nearAccessKeyId(container) : isObject(container) && nearAccessKeyId(Object.values(container))) return true;
    }
  }
  return false;
}

/** Differences with secrets masked on both sides (isSecretPath, maskBoth); a changed secret says so. */
export function maskDifferences(differences: readonly Difference[], specs: MaskSpecs = {}): Difference[] {
  return differences.map((d) => ({ path: d.path, ...maskBoth(d.desired, d.live, isSecretPath(d.path, specs), nearAccessKeyIdAt(d.path, specs)) }));
}

/** A normalized desired and live spec, masked together for a printed diff (see maskBoth). */
export function maskSpecs(desired: unknown, live: unknown): { desired: JsonValue | undefined; live: JsonValue | undefined } {
  return maskBoth(desired as JsonValue | undefined, live as JsonValue | undefined);
}

/**
 * Every string of a JSON-like value through the value patterns (maskText), for output whose field
 * names are the operator's own (a status, a log line, a CLI result): names are not checked, as a
 * field called `key` there is a resource key, not a secret. Fields listed in `keep` (identities
 * such as `name` or `key`) are left as they are.
 */
export function maskStrings<T>(value: T, keep: ReadonlySet<string> = IDENTITY_FIELDS): T {
  if (typeof value === 'string') return maskText(value) as T;
  if (Array.isArray(value)) return value.map((item) => maskStrings(item, keep)) as T;
  if (value === null || typeof value !== 'object' || value instanceof Error) return value;
  const out: Record<string, unknown> = {};
  for (const [k, item] of Object.entries(value as Record<string, unknown>)) out[k] = keep.has(k) ? item : maskStrings(item, keep);
  return out as T;
}

/** Fields of the operator's own output that identify a resource or a revision: shown as they are. */
export const IDENTITY_FIELDS: ReadonlySet<string> = new Set(['kind', 'name', 'key', 'keys', 'arn', 'liveArn', 'reconcileId', 'file', 'path']);
