// The last steps every kind's diff shares once both sides are normalized: forget server-computed
// fields Git does not set, forget ignored fields, then compare.
import type { JsonObject } from '../core/types.js';
import { diffJson, withoutPaths } from './diff.js';
import type { Difference } from './types.js';
import { parsePointer } from '../normalize/pointer.js';
import { dropServerComputed, type ServerComputed } from '../normalize/server-computed.js';

/** Both normalized sides, as compared (for rendering), and what differs between them. */
export interface Comparison {
  desired: JsonObject;
  live: JsonObject;
  /** Live -> desired differences, JSON pointers into the normalized spec. Empty when in sync. */
  differences: Difference[];
}

/**
 * Compares two normalized specs: server-computed fields the desired side does not set are removed
 * from the live side, then the `ignore` pointers (`*` allowed) from both, then diffJson.
 */
export function compareNormalized(
  desired: JsonObject,
  live: JsonObject,
  ignore: readonly string[],
  serverComputed: readonly ServerComputed[],
): Comparison {
  const visibleDesired = withoutPaths(desired, ignore) as JsonObject;
  const visibleLive = withoutPaths(dropServerComputed(desired, live, serverComputed), ignore) as JsonObject;
  return { desired: visibleDesired, live: visibleLive, differences: diffJson(visibleDesired, visibleLive) };
}

/** The top-level member a difference is in: `/deploymentConfiguration/maximumPercent` -> `deploymentConfiguration`. */
export function topMember(path: string): string {
  return parsePointer(path)[0] ?? '';
}
