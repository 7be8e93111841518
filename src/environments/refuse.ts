// Whether a revision holds Environments (validate then renders them), and what `run` does with one
// that does: it refuses it, with one error at each Environment, until run reconciles environments.
import type { Revision } from '../core/types.js';
import { parseLimits, type LoadResult } from '../desired/load.js';
import type { KindRulebook } from '../desired/kind-rules.js';
import { discover } from './discover.js';

/** The Environments a revision holds (by their parsed document), none for a plain folder. */
function environmentsIn(revision: Revision, kinds: KindRulebook) {
  return discover(revision, parseLimits(), undefined, [...kinds.keys()]).environments.filter((e) => e.environment !== undefined);
}

/** Whether a revision holds at least one Environment. */
export function holdsEnvironments(revision: Revision, kinds: KindRulebook): boolean {
  return environmentsIn(revision, kinds).length > 0;
}

/**
 * For `run`, which does not reconcile environments: a revision holding Environments is refused with
 * one error at each Environment, instead of one error per field the Environment's values would
 * have filled in. Undefined for a revision without Environments.
 */
export function refuseEnvironments(revision: Revision, kinds: KindRulebook): LoadResult | undefined {
  const named = environmentsIn(revision, kinds);
  if (named.length === 0) return undefined;
  const errors = named.map(({ environment }) => environment!.tree.origin.at.locator.diagnostic('/kind',
    `environment ${JSON.stringify(environment!.name)}: run does not reconcile Environments yet; apply them with \`ecs-operator apply\`, or point run at a folder without Environments`));
  return { errors, warnings: [] };
}
