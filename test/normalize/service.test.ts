// Services: every normalization rule against the shape DescribeServices returns, server-computed fields,
// replacements, autoscaling, the UpdateService input, and the real changes it must never hide.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../src/core/types.js';
import { diffService, serviceReplacementMembers, serviceUpdateInput } from '../../src/kinds/service/diff.js';
import { liveServiceSpec, normalizeServiceSpec } from '../../src/kinds/service/normalize.js';
import { setSpecSchemaForTesting } from '../../src/normalize/schema.js';
import { fixture, patched } from './aws-fixtures.js';

const described = () => (fixture('describe-services-fargate-web').services as JsonObject[])[0]!;
const liveWeb = () => liveServiceSpec(described());
const manual = { autoscaled: false };
const TARGET_GROUP = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef';

/** The Service manifest of DESIGN.md, serviceName filled and taskDefinition resolved by the caller. */
const webManifest: JsonObject = {
  serviceName: 'web',
  cluster: 'prod',
  taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:3',
  desiredCount: 2,
  launchType: 'FARGATE',
  networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d', 'subnet-0e5f6a7b'], securityGroups: ['sg-0a1b2c3d'] } },
  loadBalancers: [{ targetGroupArn: TARGET_GROUP, containerName: 'web', containerPort: 80 }],
  deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
};

test('liveServiceSpec: the CreateService input shape, with and without the generated schema', () => {
  for (const useSchema of [true, false]) {
    if (!useSchema) setSpecSchemaForTesting('Service', undefined);
    const spec = liveWeb();
    assert.equal(spec.cluster, 'prod', 'cluster name from clusterArn');
    assert.equal(spec.role, 'arn:aws:iam::123456789012:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS');
    for (const key of ['serviceArn', 'clusterArn', 'roleArn', 'status', 'runningCount', 'pendingCount', 'deployments', 'events', 'createdAt', 'createdBy', 'platformFamily', 'currentServiceDeployment', 'currentServiceRevisions', 'resourceManagementType']) {
      assert.equal(spec[key], undefined, `${key} (schema: ${useSchema})`);
    }
    assert.equal(spec.taskDefinition, 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:3');
    setSpecSchemaForTesting('Service');
  }
});

test('liveServiceSpec: deployment-only inputs come from the PRIMARY deployment', () => {
  const sc = { enabled: true, namespace: 'arn:aws:servicediscovery:us-east-1:123456789012:namespace/ns-abc', services: [{ portName: 'web', clientAliases: [{ port: 80, dnsName: 'web.internal' }] }] };
  const item = patched(described(), {
    deployments: [
      { id: 'ecs-svc/1', status: 'ACTIVE', serviceConnectConfiguration: { enabled: false } },
      { id: 'ecs-svc/2', status: 'PRIMARY', serviceConnectConfiguration: sc, volumeConfigurations: [{ name: 'data', managedEBSVolume: { roleArn: 'arn:aws:iam::123456789012:role/ebs', sizeInGiB: 20 } }], serviceConnectResources: [{ discoveryName: 'web', discoveryArn: 'arn:x' }] },
    ],
  });
  const spec = liveServiceSpec(item);
  assert.deepEqual(spec.serviceConnectConfiguration, sc);
  assert.deepEqual(spec.volumeConfigurations, [{ name: 'data', managedEBSVolume: { roleArn: 'arn:aws:iam::123456789012:role/ebs', sizeInGiB: 20 } }]);
  assert.equal(spec.serviceConnectResources, undefined);
});

test('the DESIGN.md manifest equals the service AWS describes for it', () => {
  const result = diffService(webManifest, liveWeb(), [], manual);
  assert.deepEqual(result.differences, []);
  assert.deepEqual(result.requiresReplacement, []);
  assert.deepEqual(result.desired, result.live);
});

/** A minimal Fargate service: the base every rule case patches. */
const base: JsonObject = { serviceName: 's', cluster: 'prod', taskDefinition: 'arn:aws:ecs:us-east-1:1:task-definition/s:1', desiredCount: 1, launchType: 'FARGATE' };
const svc = (patch: JsonObject = {}) => patched(base, patch);

test('normalization rules: each AWS-returned shape equals the manifest shape', () => {
  const vpc = (v: JsonObject) => ({ networkConfiguration: { awsvpcConfiguration: v } });
  const cases: Array<{ rule: string; desired: JsonObject; live: JsonObject }> = [
    { rule: 'REPLICA deployment 200/100, circuit breaker and alarms off', desired: svc(), live: svc({ deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 100, deploymentCircuitBreaker: { enable: false, rollback: false }, alarms: { alarmNames: [], enable: false, rollback: false } } }) },
    { rule: 'DAEMON deployment 100/0, desiredCount computed by ECS', desired: svc({ schedulingStrategy: 'DAEMON', launchType: 'EC2', desiredCount: null }), live: svc({ schedulingStrategy: 'DAEMON', launchType: 'EC2', desiredCount: 3, deploymentConfiguration: { maximumPercent: 100, minimumHealthyPercent: 0 } }) },
    { rule: 'scalar defaults AWS returns', desired: svc(), live: svc({ schedulingStrategy: 'REPLICA', deploymentController: { type: 'ECS' }, propagateTags: 'NONE', enableECSManagedTags: false, enableExecuteCommand: false, healthCheckGracePeriodSeconds: 0 }) },
    { rule: 'assignPublicIp DISABLED; subnets and security groups are sets', desired: svc(vpc({ subnets: ['b', 'a'], securityGroups: ['sg-2', 'sg-1'] })), live: svc(vpc({ subnets: ['a', 'b'], securityGroups: ['sg-1', 'sg-2'], assignPublicIp: 'DISABLED' })) },
    { rule: 'platformVersion LATEST on the Fargate launch type', desired: svc(), live: svc({ platformVersion: 'LATEST' }) },
    { rule: 'platformVersion LATEST with an all-Fargate provider strategy', desired: svc({ launchType: null, capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }] }), live: svc({ launchType: null, platformVersion: 'LATEST', capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1, base: 0 }] }) },
    { rule: 'capacity provider weight/base 0 and sorted', desired: svc({ launchType: null, capacityProviderStrategy: [{ capacityProvider: 'cp-b', weight: 1 }, { capacityProvider: 'cp-a', base: 1 }] }), live: svc({ launchType: null, capacityProviderStrategy: [{ capacityProvider: 'cp-a', weight: 0, base: 1 }, { capacityProvider: 'cp-b', weight: 1, base: 0 }] }) },
    { rule: 'cluster ARN equals cluster name', desired: svc({ cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod' }), live: svc({ cluster: 'prod' }) },
    { rule: 'no cluster means the default cluster', desired: svc({ cluster: null }), live: svc({ cluster: 'default' }) },
    { rule: 'role name equals its ARN', desired: svc({ role: 'ecsServiceRole' }), live: svc({ role: 'arn:aws:iam::123456789012:role/ecsServiceRole' }) },
    { rule: 'role path/name equals its ARN', desired: svc({ role: '/ecs/ecsServiceRole' }), live: svc({ role: 'arn:aws:iam::123456789012:role/ecs/ecsServiceRole' }) },
    { rule: 'load balancers are a set', desired: svc({ loadBalancers: [{ targetGroupArn: 'tg-b', containerName: 'web', containerPort: 80 }, { targetGroupArn: 'tg-a', containerName: 'web', containerPort: 80 }] }), live: svc({ loadBalancers: [{ targetGroupArn: 'tg-a', containerName: 'web', containerPort: 80 }, { targetGroupArn: 'tg-b', containerName: 'web', containerPort: 80 }] }) },
    { rule: 'service registries and placement constraints are sets', desired: svc({ serviceRegistries: [{ registryArn: 'r-2' }, { registryArn: 'r-1' }], placementConstraints: [{ type: 'memberOf', expression: 'b' }, { type: 'distinctInstance' }] }), live: svc({ serviceRegistries: [{ registryArn: 'r-1' }, { registryArn: 'r-2' }], placementConstraints: [{ type: 'distinctInstance' }, { type: 'memberOf', expression: 'b' }] }) },
    { rule: 'tags sorted; ownership and aws: tags never compared', desired: svc({ tags: [{ key: 'team', value: 'web' }, { key: 'env', value: 'prod' }] }), live: svc({ tags: [{ key: 'ecs-operator.dev/managed-by', value: 'default' }, { key: 'env', value: 'prod' }, { key: 'aws:cloudformation:stack-name', value: 'x' }, { key: 'team', value: 'web' }] }) },
    { rule: 'null and empty equal absent; clientToken is not state', desired: svc({ loadBalancers: null, placementStrategy: [], tags: [], clientToken: 'abc' }), live: svc({ loadBalancers: [], serviceRegistries: [], placementConstraints: [], placementStrategy: [] }) },
    { rule: 'service connect {enabled: false} equals absent', desired: svc(), live: svc({ serviceConnectConfiguration: { enabled: false } }) },
    { rule: 'service connect discoveryName defaults to portName; namespace name vs ARN', desired: svc({ serviceConnectConfiguration: { enabled: true, namespace: 'internal', services: [{ portName: 'web', clientAliases: [{ port: 80 }] }] } }), live: svc({ serviceConnectConfiguration: { enabled: true, namespace: 'arn:aws:servicediscovery:us-east-1:123456789012:namespace/ns-abcdefgh', services: [{ portName: 'web', discoveryName: 'web', clientAliases: [{ port: 80, dnsName: 'web.internal' }] }] } }) },
    { rule: 'serviceName defaults to metadata.name (absent in the manifest)', desired: svc({ serviceName: null }), live: svc() },
  ];
  for (const c of cases) assert.deepEqual(diffService(c.desired, c.live, [], manual).differences, [], c.rule);
});

test('placementStrategy keeps its order: it is applied in order', () => {
  const spread = { type: 'spread', field: 'attribute:ecs.availability-zone' };
  const binpack = { type: 'binpack', field: 'memory' };
  const result = diffService(svc({ placementStrategy: [spread, binpack] }), svc({ placementStrategy: [binpack, spread] }), [], manual);
  assert.equal(result.differences.length, 4);
});

test('server-computed fields are compared only when the manifest sets them', () => {
  const cases: Array<{ field: string; live: JsonObject; setInManifest: JsonObject }> = [
    { field: 'launchType from the cluster default strategy', live: svc({ launchType: null, capacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1, base: 0 }], platformVersion: 'LATEST' }), setInManifest: { launchType: 'FARGATE' } },
    { field: 'EC2 when the cluster has no strategy', live: svc({ launchType: 'EC2' }), setInManifest: { launchType: 'FARGATE' } },
    { field: 'service-linked role', live: svc({ role: 'arn:aws:iam::123456789012:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS' }), setInManifest: { role: 'ecsServiceRole' } },
    { field: 'availabilityZoneRebalancing', live: svc({ availabilityZoneRebalancing: 'ENABLED' }), setInManifest: { availabilityZoneRebalancing: 'DISABLED' } },
    { field: 'deployment strategy and bake time', live: svc({ deploymentConfiguration: { strategy: 'ROLLING', bakeTimeInMinutes: 0 } }), setInManifest: { deploymentConfiguration: { strategy: 'ROLLING', bakeTimeInMinutes: 10 } } },
    { field: 'service connect alias dnsName', live: svc({ serviceConnectConfiguration: { enabled: true, namespace: 'ns', services: [{ portName: 'web', clientAliases: [{ port: 80, dnsName: 'web.ns' }] }] } }), setInManifest: { serviceConnectConfiguration: { enabled: true, namespace: 'ns', services: [{ portName: 'web', clientAliases: [{ port: 80, dnsName: 'api' }] }] } } },
    { field: 'managed EBS volume type', live: svc({ volumeConfigurations: [{ name: 'd', managedEBSVolume: { roleArn: 'r', sizeInGiB: 20, volumeType: 'gp3', filesystemType: 'xfs' } }] }), setInManifest: { volumeConfigurations: [{ name: 'd', managedEBSVolume: { roleArn: 'r', sizeInGiB: 20, volumeType: 'io2' } }] } },
  ];
  for (const c of cases) {
    const desired = svc(c.field.startsWith('launchType') || c.field.startsWith('EC2') ? { launchType: null } : {});
    const withoutIt = c.field.startsWith('service connect') ? svc({ serviceConnectConfiguration: { enabled: true, namespace: 'ns', services: [{ portName: 'web', clientAliases: [{ port: 80 }] }] } })
      : c.field.startsWith('managed EBS') ? svc({ volumeConfigurations: [{ name: 'd', managedEBSVolume: { roleArn: 'r', sizeInGiB: 20 } }] }) : desired;
    assert.deepEqual(diffService(withoutIt, c.live, [], manual).differences, [], `${c.field}: left to AWS`);
    assert.ok(diffService(patched(withoutIt, c.setInManifest), c.live, [], manual).differences.length > 0, `${c.field}: set in Git, compared`);
  }
});

test('create-only fields are replacements, never updates', () => {
  const cases: Array<{ change: string; desired: JsonObject; live: JsonObject; replacement: string[] }> = [
    { change: 'launch type', desired: svc(), live: svc({ launchType: 'EC2' }), replacement: ['/launchType'] },
    { change: 'launch type to a provider strategy is an update', desired: svc({ launchType: null, capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }] }), live: svc(), replacement: [] },
    { change: 'provider strategy back to a launch type', desired: svc(), live: svc({ launchType: null, capacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }] }), replacement: ['/launchType'] },
    { change: 'scheduling strategy', desired: svc({ schedulingStrategy: 'DAEMON', desiredCount: null }), live: svc(), replacement: ['/schedulingStrategy'] },
    { change: 'role', desired: svc({ role: 'ecsServiceRole' }), live: svc({ role: 'arn:aws:iam::123456789012:role/otherRole' }), replacement: ['/role'] },
    { change: 'cluster (another service)', desired: svc({ cluster: 'staging' }), live: svc(), replacement: ['/cluster'] },
    { change: 'desiredCount is an update', desired: svc({ desiredCount: 3 }), live: svc(), replacement: [] },
    { change: 'tags are TagResource', desired: svc({ tags: [{ key: 'a', value: '1' }] }), live: svc(), replacement: [] },
  ];
  for (const c of cases) {
    const result = diffService(c.desired, c.live, [], manual);
    assert.ok(result.differences.length > 0, c.change);
    assert.deepEqual(result.requiresReplacement.map((d) => d.path), c.replacement, c.change);
  }
  assert.deepEqual([...serviceReplacementMembers()].sort(), ['cluster', 'launchType', 'role', 'schedulingStrategy', 'serviceName']);
});

test('autoscaled: desiredCount is neither compared nor sent', () => {
  const scaledOut = patched(liveWeb(), { desiredCount: 7 });
  assert.deepEqual(diffService(webManifest, scaledOut, [], { autoscaled: true }).differences, []);
  assert.deepEqual(diffService(webManifest, scaledOut, [], manual).differences, [{ path: '/desiredCount', desired: 2, live: 7 }]);
  assert.equal(serviceUpdateInput(webManifest, { autoscaled: true, live: scaledOut }).desiredCount, undefined);
  assert.equal(serviceUpdateInput(webManifest, { ...manual, live: scaledOut }).desiredCount, 2);
});

test('real changes are still detected', () => {
  const now = liveWeb();
  const cases: Array<{ change: string; live: JsonObject; paths: string[] }> = [
    { change: 'desiredCount changed in the console', live: patched(now, { desiredCount: 5 }), paths: ['/desiredCount'] },
    { change: 'load balancer added in Git', live: patched(now, { loadBalancers: [] }), paths: ['/loadBalancers'] },
    { change: 'task definition rolled back by hand', live: patched(now, { taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2' }), paths: ['/taskDefinition'] },
    { change: 'circuit breaker turned off', live: patched(now, { deploymentConfiguration: { deploymentCircuitBreaker: { enable: false, rollback: false } } }), paths: ['/deploymentConfiguration/deploymentCircuitBreaker/enable', '/deploymentConfiguration/deploymentCircuitBreaker/rollback'] },
    { change: 'public IP turned on', live: patched(now, { networkConfiguration: { awsvpcConfiguration: { assignPublicIp: 'ENABLED' } } }), paths: ['/networkConfiguration/awsvpcConfiguration/assignPublicIp'] },
    { change: 'ECS Exec turned on', live: patched(now, { enableExecuteCommand: true }), paths: ['/enableExecuteCommand'] },
    { change: 'subnet swapped', live: patched(now, { networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d', 'subnet-0fffffff'] } } }), paths: ['/networkConfiguration/awsvpcConfiguration/subnets'] },
    { change: 'a tag added by hand', live: patched(now, { tags: [{ key: 'owner', value: 'bob' }] }), paths: ['/tags'] },
  ];
  for (const c of cases) assert.deepEqual(diffService(webManifest, c.live, [], manual).differences.map((d) => d.path), c.paths, c.change);
  const secondTarget = { targetGroupArn: `${TARGET_GROUP}2`, containerName: 'web', containerPort: 8080 };
  const added = diffService(patched(webManifest, { loadBalancers: [...(webManifest.loadBalancers as JsonObject[]), secondTarget] }), now, [], manual);
  assert.deepEqual(added.differences, [{ path: '/loadBalancers/1', desired: secondTarget, live: undefined }]);
});

test('ignore-differences pointers, with *', () => {
  const live = patched(liveWeb(), { loadBalancers: [{ targetGroupArn: TARGET_GROUP, containerName: 'web', containerPort: 8080 }], desiredCount: 4 });
  const ignored = diffService(webManifest, live, ['/loadBalancers/*/containerPort', '/desiredCount'], manual);
  assert.deepEqual(ignored.differences, []);
  assert.equal((ignored.live.loadBalancers as JsonObject[])[0]!.containerPort, undefined, 'ignored fields are gone from the rendered pair too');
});

test('serviceUpdateInput: UpdateService members only, defaults written in', () => {
  // A live service that differs in every member the manifest sets or AWS defaults.
  const elsewhere = patched(liveWeb(), {
    desiredCount: 5,
    taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2',
    deploymentConfiguration: { maximumPercent: 150 },
    networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0fffffff'], securityGroups: ['sg-0fffffff'], assignPublicIp: 'ENABLED' } },
    loadBalancers: [{ targetGroupArn: `${TARGET_GROUP}2`, containerName: 'web', containerPort: 80 }],
    platformVersion: '1.4.0',
    enableECSManagedTags: true,
    enableExecuteCommand: true,
    propagateTags: 'SERVICE',
    serviceRegistries: [{ registryArn: 'arn:aws:servicediscovery:us-east-1:123456789012:service/srv-1' }],
    placementConstraints: [{ type: 'distinctInstance' }],
    placementStrategy: [{ type: 'random' }],
    volumeConfigurations: [{ name: 'data', managedEBSVolume: { roleArn: 'arn:aws:iam::123456789012:role/ebs', sizeInGiB: 20 } }],
    vpcLatticeConfigurations: [{ roleArn: 'arn:aws:iam::123456789012:role/lattice', targetGroupArn: 'arn:tg', portName: 'web' }],
  });
  const input: JsonObject = serviceUpdateInput(webManifest, { ...manual, live: elsewhere });
  assert.deepEqual(input, {
    service: 'web',
    cluster: 'prod',
    desiredCount: 2,
    taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:3',
    deploymentConfiguration: {
      deploymentCircuitBreaker: { enable: true, rollback: true }, maximumPercent: 200, minimumHealthyPercent: 100, alarms: { alarmNames: [], enable: false, rollback: false },
    },
    networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d', 'subnet-0e5f6a7b'], securityGroups: ['sg-0a1b2c3d'], assignPublicIp: 'DISABLED' } },
    loadBalancers: [{ targetGroupArn: TARGET_GROUP, containerName: 'web', containerPort: 80 }],
    platformVersion: 'LATEST',
    enableECSManagedTags: false,
    enableExecuteCommand: false,
    propagateTags: 'NONE',
    serviceRegistries: [],
    placementConstraints: [],
    placementStrategy: [],
    volumeConfigurations: [],
    vpcLatticeConfigurations: [],
  });
  for (const key of ['launchType', 'role', 'schedulingStrategy', 'tags', 'serviceName', 'availabilityZoneRebalancing', 'healthCheckGracePeriodSeconds', 'serviceConnectConfiguration', 'deploymentController']) {
    assert.equal((input as JsonObject)[key], undefined, key);
  }
  assert.throws(() => serviceUpdateInput({ ...webManifest, serviceName: null }, { ...manual, live: elsewhere }), TypeError);
});

test('serviceUpdateInput with the live service: only what undoes a live value is added', () => {
  const drifted = patched(liveWeb(), {
    enableExecuteCommand: true,
    serviceRegistries: [{ registryArn: 'arn:aws:servicediscovery:us-east-1:123456789012:service/srv-1' }],
    healthCheckGracePeriodSeconds: 60,
    serviceConnectConfiguration: { enabled: true, namespace: 'ns' },
    availabilityZoneRebalancing: 'DISABLED',
  });
  const input = serviceUpdateInput(webManifest, { ...manual, live: drifted });
  assert.equal(input.enableExecuteCommand, false);
  assert.deepEqual(input.serviceRegistries, []);
  assert.equal(input.healthCheckGracePeriodSeconds, 0);
  assert.deepEqual(input.serviceConnectConfiguration, { enabled: false });
  assert.equal(input.availabilityZoneRebalancing, undefined, 'server-computed: left to AWS');
  // Members written in the manifest are sent only when they differ too: AWS refuses some of them
  // even unchanged (network parameters on a CODE_DEPLOY service).
  const quiet = serviceUpdateInput(webManifest, { ...manual, live: liveWeb() });
  assert.deepEqual(Object.keys(quiet).sort(), ['cluster', 'service']);
  const codeDeploy = patched(liveWeb(), { deploymentController: { type: 'CODE_DEPLOY' }, desiredCount: 4 });
  assert.deepEqual(serviceUpdateInput({ ...webManifest, deploymentController: { type: 'CODE_DEPLOY' } }, { ...manual, live: codeDeploy }), {
    service: 'web', cluster: 'prod', desiredCount: 2,
  });
  const rolling = serviceUpdateInput(webManifest, { ...manual, live: patched(liveWeb(), { deploymentConfiguration: { strategy: 'ROLLING', bakeTimeInMinutes: 0 } }) });
  assert.deepEqual(Object.keys(rolling).sort(), ['cluster', 'service'], 'server-computed members AWS adds are no difference');
});

test('normalizeServiceSpec does not change its input and is idempotent', () => {
  const input = liveWeb();
  const before = structuredClone(input);
  const once = normalizeServiceSpec(input, manual);
  assert.deepEqual(input, before);
  assert.deepEqual(normalizeServiceSpec(once, manual), once);
});

test('normalizing and diffing 1,000 services takes well under 100 ms', () => {
  const items = Array.from({ length: 1000 }, (_, i) => patched(described(), { serviceName: `web-${i}`, desiredCount: i % 5 }));
  const manifests = items.map((_, i) => ({ ...webManifest, serviceName: `web-${i}`, desiredCount: i % 7 }));
  const run = () => items.reduce((n, item, i) => n + diffService(manifests[i]!, liveServiceSpec(item), [], manual).differences.length, 0);
  const timings: number[] = [];
  let differences = 0;
  // CPU time, best of a few runs: the first warms the JIT, and on a shared test machine other
  // processes stretch wall time without costing this code anything.
  for (let attempt = 0; attempt < 5; attempt++) {
    const started = process.cpuUsage();
    differences = run();
    const used = process.cpuUsage(started);
    timings.push((used.user + used.system) / 1000);
  }
  assert.ok(differences > 0);
  const best = Math.min(...timings);
  assert.ok(best < 100, `took ${best.toFixed(1)} ms`);
});
