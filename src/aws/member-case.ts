// Application Auto Scaling's API names its members in PascalCase (PolicyName, RoleARN); manifests and
// the rest of the operator use ECS's lowerCamelCase (policyName, roleARN). Adapters convert at the
// boundary, generically and recursively, so no member list is kept by hand.

/**
 * Members whose value is a map of user data (tag keys): their keys are kept as written, while the
 * member's own name is converted like any other.
 */
const USER_KEYED_MAPS = new Set(['Tags', 'tags']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function renameKeys(value: unknown, rename: (key: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => renameKeys(item, rename));
  // Dates, byte arrays and other class instances pass through untouched.
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    if (member === undefined) continue;
    out[rename(key)] = USER_KEYED_MAPS.has(key) && isPlainObject(member) ? { ...member } : renameKeys(member, rename);
  }
  return out;
}

/**
 * A copy of `value` with every object key's first letter upper-cased (`roleARN` -> `RoleARN`), at any
 * depth, except the keys inside a `tags` map. Undefined members are dropped; arrays, scalars, Dates
 * and class instances are kept.
 */
export function toPascalMembers<T = Record<string, unknown>>(value: unknown): T {
  return renameKeys(value, (key) => key.charAt(0).toUpperCase() + key.slice(1)) as T;
}

/** The inverse of toPascalMembers: first letters lower-cased (`ScalableTargetARN` -> `scalableTargetARN`). */
export function toCamelMembers<T = Record<string, unknown>>(value: unknown): T {
  return renameKeys(value, (key) => key.charAt(0).toLowerCase() + key.slice(1)) as T;
}
