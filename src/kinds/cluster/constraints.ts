// What CreateCluster enforces but its model states only in prose, one row per constraint (see
// src/desired/constraints.ts), and the capacity provider strategy rules a Service's strategy shares.
import type { JsonValue } from '../../core/types.js';
import type { Constraint } from '../../desired/constraints.js';
import { objects } from '../../desired/rule-helpers.js';
import { NAME } from '../task-definition/constraints.js';

const STRATEGY = 'ECS CapacityProviderStrategyItem';

/** The rows of a capacity provider strategy written at `at` (a Service's or a cluster's default). */
export function strategyConstraints(at: string, prefix: string): Constraint[] {
  return [
    {
      id: `${prefix}-one-base`, at,
      check: { test: (v: JsonValue) => (objects(v).filter((item) => typeof item.base === 'number' && item.base > 0).length > 1 ? 'only one capacity provider of a strategy can have a base' : undefined) },
      source: `${STRATEGY}.base: "Only one capacity provider in a capacity provider strategy can have a base defined"`,
    },
    {
      id: `${prefix}-some-weight`, at,
      check: { test: (v: JsonValue) => { const items = objects(v); return items.length > 1 && items.every((item) => !(typeof item.weight === 'number' && item.weight > 0)) ? 'with several capacity providers, at least one needs a weight above 0 (weight defaults to 0)' : undefined; } },
      source: `${STRATEGY}.weight: "at least one of the capacity providers must have a weight value greater than zero"`,
    },
  ];
}

export const CLUSTER_CONSTRAINTS: readonly Constraint[] = [
  { id: 'cluster-name-format', at: '/spec/clusterName', check: NAME, source: 'ECS CreateCluster clusterName: "Up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens"' },
  { id: 'container-insights-value', at: '/spec/settings/*/value', check: { format: /^(enhanced|enabled|disabled)$/, says: '"enhanced", "enabled" or "disabled"' }, source: 'ECS ClusterSetting.value: "The supported values are enhanced, enabled, and disabled"' },
  ...strategyConstraints('/spec/defaultCapacityProviderStrategy', 'default-strategy'),
];
