// Masking of secret-looking values before anything leaves the process in an alert. A value is secret
// when the name it is stored under looks like a secret's: an object key (`dockerLabels.API_TOKEN`,
// `logConfiguration.options.api-key`), or the `name`/`key` of a `{name, value}` / `{key, value}` pair
// (environment variables, tags, settings). Names are never masked; only the values under them.
import type { JsonValue } from '../core/types.js';
import type { Difference } from '../diff/types.js';
import { isObject } from '../normalize/common.js';
import { parsePointer, valueAt } from '../normalize/pointer.js';

/** Names matching this hold secrets: SECRET, PASSWORD, TOKEN, KEY, CREDENTIAL, in any case. */
export const SECRET_NAME = /secret|password|token|key|credential/i;

/** What a masked value is replaced with. */
export const MASK = '***';

/** The fields that name a pair's value; they identify, they are not the secret. */
const PAIR_NAMES = ['name', 'key'] as const;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** The name of a pair: an object with a `name` or `key` and a `value` or `valueFrom` (a container is not one). */
function pairName(value: JsonValue | undefined): string | undefined {
  if (!isObject(value) || !('value' in value || 'valueFrom' in value)) return undefined;
  for (const field of PAIR_NAMES) if (typeof value[field] === 'string') return value[field] as string;
  return undefined;
}

/**
 * A copy of `value` with secret-looking values masked: under a secret-looking key everything but
 * pair names becomes `***`; a pair whose name looks secret has its other fields masked. `secret`
 * true masks every value (the caller knows the name above). undefined and null are kept (an absent
 * value reveals nothing).
 */
export function maskValue(value: JsonValue | undefined, secret = false): JsonValue | undefined {
  if (value === undefined || value === null) return value;
  if (Array.isArray(value)) return value.map((item) => maskValue(item, secret) as JsonValue);
  if (!isObject(value)) return secret ? MASK : value;
  const name = pairName(value);
  const pairSecret = secret || (name !== undefined && isSecretName(name));
  const out: { [key: string]: JsonValue } = {};
  for (const [key, item] of Object.entries(value)) {
    const identifies = name !== undefined && (PAIR_NAMES as readonly string[]).includes(key);
    out[key] = identifies ? item : (maskValue(item, pairSecret || isSecretName(key)) as JsonValue);
  }
  return out;
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
    if (!isIndex && !(PAIR_NAMES as readonly string[]).includes(segment) && isSecretName(segment)) return true;
    // Stepping from a list item into one of its fields: the item may be a pair with a secret name.
    if (i > 0 && /^\d+$/.test(segments[i - 1]!) && !(PAIR_NAMES as readonly string[]).includes(segment)) {
      const parent = segments.slice(0, i);
      const names = [specs.desired, specs.live].map((spec) => valueAt(spec as JsonValue, parent));
      const known = names.filter(isObject);
      if (known.length === 0) {
        if (segment === 'value') return true;
        continue;
      }
      if (known.some((item) => { const n = pairName(item); return n !== undefined && isSecretName(n); })) return true;
    }
  }
  return false;
}

/** Differences with secret-looking values masked on both sides (see isSecretPath and maskValue). */
export function maskDifferences(differences: readonly Difference[], specs: MaskSpecs = {}): Difference[] {
  return differences.map((d) => {
    const secret = isSecretPath(d.path, specs);
    return { path: d.path, desired: maskValue(d.desired, secret), live: maskValue(d.live, secret) };
  });
}
