// What the ECS adapter caches after a cluster write, on the answers AWS gives: UpdateClusterSettings
// answers the settings but no configuration, capacity providers or service connect defaults, and
// cluster writes answer an empty tag list. The read-back an apply makes must see the cluster whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ecsPorts } from '../../src/aws/ecs/ports.js';

const ARN = 'arn:aws:ecs:us-east-1:123456789012:cluster/prod';
const counts = { clusterArn: ARN, clusterName: 'prod', status: 'ACTIVE', registeredContainerInstancesCount: 0, runningTasksCount: 2, pendingTasksCount: 0, activeServicesCount: 1, statistics: [] };
const described = {
  ...counts,
  tags: [{ key: 'ecs-operator.dev/managed-by', value: 'default' }, { key: 'environment', value: 'prod' }],
  settings: [{ name: 'containerInsights', value: 'enabled' }],
  configuration: { executeCommandConfiguration: { logging: 'OVERRIDE', logConfiguration: { cloudWatchLogGroupName: '/ecs/prod/exec' } } },
  capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
  defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1, base: 1 }],
  serviceConnectDefaults: { namespace: 'arn:aws:servicediscovery:us-east-1:123456789012:namespace/ns-abc' },
};

/** DescribeClusters answers `described`; each write answers what the test gives it. */
function fakeEcs(answers: Record<string, unknown>) {
  const sent: string[] = [];
  const client = {
    async send(command: { constructor: { name: string } }) {
      const operation = command.constructor.name.replace(/Command$/, '');
      sent.push(operation);
      if (operation === 'DescribeClusters') return { clusters: [described] };
      return { cluster: answers[operation] };
    },
  };
  return { ecs: ecsPorts(scriptedClient(client)), sent };
}

test('a cluster write keeps the members its answer leaves out, and takes those it set as answered', async () => {
  const { ecs, sent } = fakeEcs({
    UpdateClusterSettings: { ...counts, tags: [], settings: [{ name: 'containerInsights', value: 'disabled' }] },
    PutClusterCapacityProviders: { ...counts, tags: [], settings: [{ name: 'containerInsights', value: 'disabled' }], capacityProviders: [], defaultCapacityProviderStrategy: [] },
    UpdateCluster: { ...counts, tags: [], settings: [{ name: 'containerInsights', value: 'disabled' }], configuration: described.configuration },
  });
  await ecs.clusters.getCluster('prod', 0);

  await ecs.clusters.updateClusterSettings({ cluster: 'prod', settings: [{ name: 'containerInsights', value: 'disabled' }] });
  let cached = await ecs.clusters.getCluster('prod', 0);
  assert.deepEqual(cached?.settings, [{ name: 'containerInsights', value: 'disabled' }]);
  assert.deepEqual(
    [cached?.configuration, cached?.capacityProviders, cached?.defaultCapacityProviderStrategy, cached?.serviceConnectDefaults, cached?.tags],
    [described.configuration, described.capacityProviders, described.defaultCapacityProviderStrategy, described.serviceConnectDefaults, described.tags],
  );

  await ecs.clusters.putClusterCapacityProviders({ cluster: 'prod', capacityProviders: [], defaultCapacityProviderStrategy: [] });
  cached = await ecs.clusters.getCluster('prod', 0);
  assert.deepEqual([cached?.capacityProviders, cached?.defaultCapacityProviderStrategy], [[], []], 'emptied, as answered');
  assert.deepEqual(cached?.configuration, described.configuration);

  // Clearing the service connect defaults: the answer has none, and none it is.
  await ecs.clusters.updateCluster({ cluster: 'prod', serviceConnectDefaults: { namespace: '' } });
  cached = await ecs.clusters.getCluster('prod', 0);
  assert.equal(cached?.serviceConnectDefaults, undefined);
  assert.deepEqual(cached?.configuration, described.configuration);
  assert.deepEqual(sent, ['DescribeClusters', 'UpdateClusterSettings', 'PutClusterCapacityProviders', 'UpdateCluster'], 'read-backs from the cache');
});

/** A scripted client as an ECSClient (the SDK's paginators take nothing else), answering with its own `send`. */
function scriptedClient(client: { send: unknown }): ECSClient {
  return Object.assign(Object.create(ECSClient.prototype) as ECSClient, client);
}
