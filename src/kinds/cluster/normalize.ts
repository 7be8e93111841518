// The canonical form of a cluster, applied to the manifest spec and to DescribeClusters' answer
// (with TAGS, SETTINGS and CONFIGURATIONS included) alike.
import type { JsonObject } from '../../core/types.js';
import { pruneInPlace, pruneObject } from '../../normalize/common.js';
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

/**
 * The canonical cluster for comparison (a new object; `spec` is not changed):
 * - null, [] and {} mean absent;
 * - settings sorted by name, every value kept: a cluster created without settings takes the
 *   account's default (PutAccountSettingDefault containerInsights), so no value stands for "unset"
 *   (diffCluster compares settings only when the manifest writes them);
 * - executeCommandConfiguration logging DEFAULT and false encryption flags equal absent;
 * - capacityProviders sorted; defaultCapacityProviderStrategy items get weight 0 and base 0 when
 *   absent and are sorted by capacityProvider;
 * - tags sorted by key without ownership (ecs-operator.dev/) and AWS (aws:) tags;
 * - serviceConnectDefaults.namespace as written (diffCluster handles a name against an ARN).
 */
export function normalizeClusterSpec(spec: JsonObject): JsonObject {
  const c = pruneObject(spec);
  sortList(c, 'settings', 'name');
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
