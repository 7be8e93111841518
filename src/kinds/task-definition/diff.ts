// Whether the latest ACTIVE revision already is what the manifest asks for. Revisions are immutable:
// any difference here means "register a new revision", never an update.
import type { JsonObject } from '../../core/types.js';
import type { Difference } from '../../diff/types.js';
import { compareNormalized, type Comparison } from '../../diff/compare.js';
import type { ServerComputed } from '../../normalize/server-computed.js';
import { normalizeTaskDefinitionSpec } from './normalize.js';

/** Fields compared only when the manifest sets them. */
export const TASK_DEFINITION_SERVER_COMPUTED: readonly ServerComputed[] = [
  { path: '/family', why: 'defaults to metadata.name; the live revision was looked up by that family' },
  {
    path: '/networkMode',
    why: 'left unset only where normalization cannot name the default (Windows): a value AWS reports '
      + 'there must not register a new revision on every pass',
  },
];

/**
 * Normalizes the desired spec (references resolved) and the live one (liveTaskDefinitionSpec) and
 * compares them; `ignore` are JSON pointers into the normalized spec, `*` allowed.
 */
export function compareTaskDefinition(desiredSpec: JsonObject, liveSpec: JsonObject, ignore: readonly string[] = []): Comparison {
  const desired = normalizeTaskDefinitionSpec(desiredSpec);
  const live = normalizeTaskDefinitionSpec(liveSpec);
  return compareNormalized(desired, live, ignore, TASK_DEFINITION_SERVER_COMPUTED);
}

/** The differences of compareTaskDefinition: empty means the live revision can be reused. */
export function diffTaskDefinition(desiredSpec: JsonObject, liveSpec: JsonObject, ignore: readonly string[] = []): Difference[] {
  return compareTaskDefinition(desiredSpec, liveSpec, ignore).differences;
}
