// What `run` does with a revision that holds Environments: it refuses it, with one error at each
// Environment, until run reconciles environments.
import type { Revision } from '../core/types.js';
import { parseLimits, type LoadResult } from '../desired/load.js';
import type { KindRulebook } from '../desired/kind-rules.js';
import { discover } from './discover.js';

/**
 * For `run`, which does not reconcile environments: a revision holding Environments is refused with
 * one error at each Environment, instead of one error per field the Environment's values would
 * have filled in. Undefined for a revision without Environments.
 */
export function refuseEnvironments(revision: Revision, kinds: KindRulebook): LoadResult | undefined {
  const discovery = discover(revision, parseLimits(), undefined, [...kinds.keys()]);
  const named = discovery.environments.filter((e) => e.environment !== undefined);
  if (named.length === 0) return undefined;
  const errors = named.map(({ environment }) => environment!.tree.origin.at.locator.diagnostic('/kind',
    `environment ${JSON.stringify(environment!.name)}: run does not reconcile Environments yet; apply them with \`ecs-operator apply\`, or point run at a folder without Environments`));
  return { errors, warnings: [] };
}
