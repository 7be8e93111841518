// Clusters: every normalization rule against the shape DescribeClusters returns, the update calls each
// difference needs, and the real changes it must never hide.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../src/core/types.js';
import { clusterUpdateCalls, diffCluster } from '../../src/kinds/cluster/diff.js';
import { liveClusterSpec, normalizeClusterSpec } from '../../src/kinds/cluster/normalize.js';
import { setSpecSchemaForTesting } from '../../src/normalize/schema.js';
import { fixture, patched } from './aws-fixtures.js';

const described = (name: string) => (fixture(name).clusters as JsonObject[])[0]!;
const live = (name: string) => liveClusterSpec(described(name));
const bare = () => live('describe-clusters-no-settings');
const configured = () => live('describe-clusters-configured');
const NAMESPACE_ARN = 'arn:aws:servicediscovery:us-west-2:123456789012:namespace/ns-igwrsylmy3kwvcdx';

/** The platform cluster as a manifest would write it (the short way). */
const platformManifest: JsonObject = {
  clusterName: 'platform',
  settings: [{ name: 'containerInsights', value: 'enhanced' }],
  configuration: {
    executeCommandConfiguration: {
      kmsKeyId: 'arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      logging: 'OVERRIDE',
      logConfiguration: { cloudWatchLogGroupName: '/ecs/exec/platform', cloudWatchEncryptionEnabled: true },
    },
  },
  capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
  defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1, base: 2 }, { capacityProvider: 'FARGATE_SPOT', weight: 3 }],
  serviceConnectDefaults: { namespace: 'platform.local' },
  tags: [{ key: 'cost-center', value: '1234' }, { key: 'env', value: 'prod' }],
};

test('liveClusterSpec: the CreateCluster input shape, with and without the generated schema', () => {
  for (const useSchema of [true, false]) {
    if (!useSchema) setSpecSchemaForTesting('Cluster', undefined);
    for (const name of ['describe-clusters-no-settings', 'describe-clusters-configured']) {
      const spec = live(name);
      for (const key of ['clusterArn', 'status', 'registeredContainerInstancesCount', 'runningTasksCount', 'pendingTasksCount', 'activeServicesCount', 'statistics', 'attachments', 'attachmentsStatus']) {
        assert.equal(spec[key], undefined, `${name}: ${key} (schema: ${useSchema})`);
      }
      assert.equal(spec.clusterName, described(name).clusterName);
    }
    setSpecSchemaForTesting('Cluster');
  }
});

test('a cluster created with no settings equals a manifest with none', () => {
  const manifests: JsonObject[] = [{ clusterName: 'prod' }, {}, { clusterName: 'prod', settings: [{ name: 'containerInsights', value: 'disabled' }] }];
  for (const manifest of manifests) {
    const result = diffCluster(manifest, bare());
    assert.deepEqual(result.differences, [], JSON.stringify(manifest));
    assert.deepEqual(clusterUpdateCalls(result.differences, { clusterName: 'prod', ...manifest }), []);
  }
});

test('the DESIGN.md cluster turns Container Insights on with UpdateClusterSettings', () => {
  const manifest = { clusterName: 'prod', settings: [{ name: 'containerInsights', value: 'enabled' }] };
  const result = diffCluster(manifest, bare());
  // "disabled" is no longer read as "unset" (the account default may be enabled): the value differs.
  assert.deepEqual(result.differences, [{ path: '/settings/0/value', desired: 'enabled', live: 'disabled' }]);
  assert.deepEqual(clusterUpdateCalls(result.differences, manifest), [
    { operation: 'UpdateClusterSettings', input: { cluster: 'prod', settings: [{ name: 'containerInsights', value: 'enabled' }] } },
  ]);
});

test("settings the manifest leaves out are the account's default; written ones are compared and sent as written", () => {
  // A cluster created without settings in an account whose default turns Container Insights on.
  const inherited = patched(bare(), { settings: [{ name: 'containerInsights', value: 'enabled' }] });
  assert.deepEqual(diffCluster({ clusterName: 'prod' }, inherited).differences, []);
  const off = { clusterName: 'prod', settings: [{ name: 'containerInsights', value: 'disabled' }] };
  const result = diffCluster(off, inherited);
  assert.deepEqual(result.differences, [{ path: '/settings/0/value', desired: 'disabled', live: 'enabled' }]);
  assert.deepEqual(clusterUpdateCalls(result.differences, off), [
    { operation: 'UpdateClusterSettings', input: { cluster: 'prod', settings: [{ name: 'containerInsights', value: 'disabled' }] } },
  ]);
});

test('a configured cluster equals its manifest written the short way', () => {
  const result = diffCluster(platformManifest, configured());
  assert.deepEqual(result.differences, []);
  assert.deepEqual(result.desired, result.live);
});

test('normalization rules: each AWS-returned shape equals the manifest shape', () => {
  const base: JsonObject = { clusterName: 'c' };
  const cases: Array<{ rule: string; desired: JsonObject; live: JsonObject }> = [
    { rule: 'containerInsights disabled equals absent', desired: base, live: { ...base, settings: [{ name: 'containerInsights', value: 'disabled' }] } },
    { rule: 'exec logging DEFAULT equals absent', desired: base, live: { ...base, configuration: { executeCommandConfiguration: { logging: 'DEFAULT' } } } },
    { rule: 'false encryption flags equal absent', desired: { ...base, configuration: { executeCommandConfiguration: { logging: 'OVERRIDE', logConfiguration: { s3BucketName: 'b' } } } }, live: { ...base, configuration: { executeCommandConfiguration: { logging: 'OVERRIDE', logConfiguration: { s3BucketName: 'b', s3EncryptionEnabled: false, cloudWatchEncryptionEnabled: false } } } } },
    { rule: 'capacity providers are a set', desired: { ...base, capacityProviders: ['b', 'a'] }, live: { ...base, capacityProviders: ['a', 'b'] } },
    { rule: 'default strategy weight 0 and base 0, sorted', desired: { ...base, defaultCapacityProviderStrategy: [{ capacityProvider: 'b', weight: 1 }, { capacityProvider: 'a', base: 1 }] }, live: { ...base, defaultCapacityProviderStrategy: [{ capacityProvider: 'a', weight: 0, base: 1 }, { capacityProvider: 'b', weight: 1, base: 0 }] } },
    { rule: 'namespace name equals the ARN AWS returns', desired: { ...base, serviceConnectDefaults: { namespace: 'internal' } }, live: { ...base, serviceConnectDefaults: { namespace: NAMESPACE_ARN } } },
    { rule: 'tags sorted; ownership and aws: tags never compared', desired: { ...base, tags: [{ key: 'b', value: '2' }, { key: 'a', value: '1' }] }, live: { ...base, tags: [{ key: 'a', value: '1' }, { key: 'ecs-operator.dev/managed-by', value: 'default' }, { key: 'aws:cloudformation:stack-id', value: 'x' }, { key: 'b', value: '2' }] } },
    { rule: 'null and empty equal absent', desired: { ...base, tags: null, capacityProviders: [] }, live: { ...base, tags: [], capacityProviders: [], defaultCapacityProviderStrategy: [], settings: [] } },
  ];
  for (const c of cases) assert.deepEqual(diffCluster(c.desired, c.live).differences, [], c.rule);
});

test('real changes are still detected, and each maps to its call', () => {
  const now = configured();
  const cases: Array<{ change: string; live: JsonObject; paths: string[]; operations: string[] }> = [
    { change: 'Container Insights switched in the console', live: patched(now, { settings: [{ name: 'containerInsights', value: 'enabled' }] }), paths: ['/settings/0/value'], operations: ['UpdateClusterSettings'] },
    { change: 'exec logging changed', live: patched(now, { configuration: { executeCommandConfiguration: { logging: 'NONE' } } }), paths: ['/configuration/executeCommandConfiguration/logging'], operations: ['UpdateCluster'] },
    { change: 'a capacity provider removed', live: patched(now, { capacityProviders: ['FARGATE'], defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1, base: 2 }] }), paths: ['/capacityProviders', '/defaultCapacityProviderStrategy/1'], operations: ['PutClusterCapacityProviders'] },
    { change: 'a strategy weight changed', live: patched(now, { defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1, base: 2 }, { capacityProvider: 'FARGATE_SPOT', weight: 1, base: 0 }] }), paths: ['/defaultCapacityProviderStrategy/1/weight'], operations: ['PutClusterCapacityProviders'] },
    { change: 'service connect defaults cleared', live: patched(now, { serviceConnectDefaults: null }), paths: ['/serviceConnectDefaults'], operations: ['UpdateCluster'] },
    { change: 'a tag changed', live: patched(now, { tags: [{ key: 'env', value: 'dev' }, { key: 'cost-center', value: '1234' }] }), paths: ['/tags/1/value'], operations: [] },
  ];
  for (const c of cases) {
    const result = diffCluster(platformManifest, c.live);
    assert.deepEqual(result.differences.map((d) => d.path), c.paths, c.change);
    assert.deepEqual(clusterUpdateCalls(result.differences, platformManifest).map((call) => call.operation), c.operations, c.change);
  }
  const byArn = patched(platformManifest, { serviceConnectDefaults: { namespace: NAMESPACE_ARN.replace('igwrsylmy3kwvcdx', 'dtjmxqpfi46ht7dr') } });
  assert.deepEqual(diffCluster(byArn, now).differences.map((d) => d.path), ['/serviceConnectDefaults/namespace'], 'namespace ARN against ARN');
});

test('clusterUpdateCalls: inputs, removals and grouping', () => {
  const removed = { clusterName: 'platform' };
  const differences = diffCluster(removed, configured()).differences;
  // Settings the manifest leaves out are the account's default: nothing is sent for them.
  assert.deepEqual(clusterUpdateCalls(differences, removed), [
    { operation: 'UpdateCluster', input: { cluster: 'platform', configuration: { executeCommandConfiguration: { logging: 'DEFAULT' } }, serviceConnectDefaults: { namespace: '' } } },
    { operation: 'PutClusterCapacityProviders', input: { cluster: 'platform', capacityProviders: [], defaultCapacityProviderStrategy: [] } },
  ]);
  const onlyStrategy = [{ path: '/defaultCapacityProviderStrategy/0/weight', desired: 2, live: 1 }];
  assert.deepEqual(clusterUpdateCalls(onlyStrategy, platformManifest), [{
    operation: 'PutClusterCapacityProviders',
    input: { cluster: 'platform', capacityProviders: platformManifest.capacityProviders!, defaultCapacityProviderStrategy: platformManifest.defaultCapacityProviderStrategy! },
  }]);
  assert.throws(() => clusterUpdateCalls(onlyStrategy, {}), TypeError);
});

test('ignore-differences pointers, with *', () => {
  const drifted = patched(configured(), { defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 5, base: 2 }, { capacityProvider: 'FARGATE_SPOT', weight: 5, base: 0 }] });
  assert.equal(diffCluster(platformManifest, drifted).differences.length, 2);
  assert.deepEqual(diffCluster(platformManifest, drifted, ['/defaultCapacityProviderStrategy/*/weight']).differences, []);
});

test('normalizeClusterSpec does not change its input and is idempotent', () => {
  const input = configured();
  const before = structuredClone(input);
  const once = normalizeClusterSpec(input);
  assert.deepEqual(input, before);
  assert.deepEqual(normalizeClusterSpec(once), once);
});
