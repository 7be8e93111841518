// What the loader needs to know about Cluster manifests: the identity field, the fields only AWS sets,
// and the rule the schema cannot say (a default strategy only names the cluster's capacity providers).
import type { KindRules } from '../../desired/kind-rules.js';
import { objects, strings, text } from '../../desired/rule-helpers.js';
import { CLUSTER_CONSTRAINTS } from './constraints.js';
import { schemaDocument } from '../../normalize/schema.js';

export const clusterManifest: KindRules = {
  kind: 'Cluster',
  schema: () => schemaDocument('Cluster'),
  identityField: 'clusterName',
  // DescribeClusters' Cluster members that CreateCluster does not take.
  readOnlyFields: [
    'clusterArn', 'status', 'registeredContainerInstancesCount', 'runningTasksCount', 'pendingTasksCount',
    'activeServicesCount', 'statistics', 'attachments', 'attachmentsStatus',
  ],
  references: () => [],
  constraints: CLUSTER_CONSTRAINTS,
  managedResource: (manifest) => `clusterName ${JSON.stringify(manifest.spec.clusterName)}`,
  check(manifest) {
    // ECS refuses a default strategy naming a provider not associated with the cluster, FARGATE included.
    const providers = new Set(strings(manifest.spec.capacityProviders));
    return objects(manifest.spec.defaultCapacityProviderStrategy).flatMap((item, index) => {
      const provider = text(item.capacityProvider);
      if (provider === undefined || providers.has(provider)) return [];
      return [{
        path: `/spec/defaultCapacityProviderStrategy/${index}/capacityProvider`,
        message: `capacity provider ${JSON.stringify(provider)} is not in capacityProviders: a default strategy can only use the cluster's capacity providers`,
      }];
    });
  },
};
