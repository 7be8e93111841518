// The canonical form of a cluster, applied to the manifest spec and to DescribeClusters' answer
// (with TAGS, SETTINGS and CONFIGURATIONS included) alike.
import type { JsonObject } from '../../core/types.js';
import { asList, isObject, pruneInPlace, pruneObject } from '../../normalize/common.js';
import { dropDefaults, dropFalse, eachObject, fillDefaults, sortList, withObject } from '../../normalize/defaults.js';
import { projectSpec } from '../../normalize/schema.js';
import { normalizeTags } from '../../normalize/tags.js';

/** CreateCluster's input members: the projection used when the generated schema is missing. */
const INPUT_MEMBERS = [
  'clusterName', 'tags', 'settings', 'configuration', 'capacityProviders', 'defaultCapacityProviderStrategy',
  'serviceConnectDefaults',
];

/**
 * A DescribeClusters `clusters[]` item as a CreateCluster input: clusterArn, status, counts,
 * statistics, attachments and attachmentsStatus are dropped.
 */
export function liveClusterSpec(live: JsonObject): JsonObject {
  return projectSpec('Cluster', live, INPUT_MEMBERS);
}

/** Each cluster setting's value when it is not set; a setting at its default equals absent. */
export const CLUSTER_SETTING_DEFAULTS: Readonly<Record<string, string>> = { containerInsights: 'disabled' };

/**
 * The canonical cluster for comparison (a new object; `spec` is not changed):
 * - null, [] and {} mean absent;
 * - settings at their default (containerInsights "disabled", which AWS returns for a cluster created
 *   without settings) are removed, the rest sorted by name;
 * - executeCommandConfiguration logging DEFAULT and false encryption flags equal absent;
 * - capacityProviders sorted; defaultCapacityProviderStrategy items get weight 0 and base 0 when
 *   absent and are sorted by capacityProvider;
 * - tags sorted by key without ownership (ecs-operator.dev/) and AWS (aws:) tags;
 * - serviceConnectDefaults.namespace as written (diffCluster handles a name against an ARN).
 */
export function normalizeClusterSpec(spec: JsonObject): JsonObject {
  const c = pruneObject(spec);
  if (Array.isArray(c.settings)) {
    c.settings = c.settings.filter((s) => !(isObject(s) && CLUSTER_SETTING_DEFAULTS[String(s.name)] === s.value));
    sortList(c, 'settings', 'name');
  }
  withObject(c, 'configuration', (configuration) => {
    withObject(configuration, 'executeCommandConfiguration', (exec) => {
      dropDefaults(exec, { logging: 'DEFAULT' });
      withObject(exec, 'logConfiguration', (log) => dropFalse(log, 'cloudWatchEncryptionEnabled', 's3EncryptionEnabled'));
    });
  });
  sortList(c, 'capacityProviders');
  eachObject(c, 'defaultCapacityProviderStrategy', (item) => fillDefaults(item, { weight: 0, base: 0 }));
  sortList(c, 'defaultCapacityProviderStrategy', 'capacityProvider');
  const tags = normalizeTags(c.tags);
  if (tags) c.tags = tags;
  else delete c.tags;
  return pruneInPlace(c);
}

/** The settings list to send so that every known setting ends up as `settings` says (defaults filled). */
export function settingsWithDefaults(settings: JsonObject['settings'] | undefined): JsonObject[] {
  const given = (asList(settings) ?? []).filter(isObject);
  const named = new Set(given.map((s) => String(s.name)));
  const missing = Object.entries(CLUSTER_SETTING_DEFAULTS)
    .filter(([name]) => !named.has(name))
    .map(([name, value]) => ({ name, value }));
  return [...given, ...missing];
}
