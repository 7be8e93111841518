// The examples in manifests/ load with no error; an exported task definition drops in with warnings only;
// a thousand manifests load well within a second.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { validatePaths } from '../support/manifests.js';
import { autoscaledServices } from '../../src/kinds/service/autoscaled.js';
import { warmSchemas } from '../../src/desired/schemas.js';
import { doc, FARGATE_TD, lines, load, TG_ARN } from './helpers.js';
import { KIND_REGISTRY } from '../../src/kinds/registry.js';

const examples = fileURLToPath(new URL('../../manifests', import.meta.url));

test('manifests/: every kind, zero errors, in dependency order', async () => {
  const result = await validatePaths([examples]);
  assert.deepEqual(result.errors, []);
  const state = result.state!;
  assert.deepEqual(state.order, ['Cluster/prod', 'TaskDefinition/web', 'TaskDefinition/worker', 'Service/web', 'Service/worker', 'ServiceAutoScaling/web']);
  assert.deepEqual(state.resources.get('Service/web')!.dependsOn, ['Cluster/prod', 'TaskDefinition/web']);
  assert.deepEqual([...autoscaledServices(state)], [['Service/web', 'ServiceAutoScaling/web']]);
  assert.equal(state.resources.get('Service/web')!.policy.drift, undefined, 'the operator-wide default applies');
});

test('the exported task definition: a warning per field only AWS sets, then a clean RegisterTaskDefinition input', async () => {
  const result = await validatePaths([examples]);
  // The CLI names files as the user typed the path: here the absolute folder, then the file within.
  assert.deepEqual(lines(result.warnings).map((l) => l.replace(`${examples}/`, '')), [
    'worker/task-definition.json:11:9: warning: taskDefinitionArn is set by AWS, not by a manifest: ignored (at /spec/taskDefinitionArn)',
    'worker/task-definition.json:67:9: warning: revision is set by AWS, not by a manifest: ignored (at /spec/revision)',
    'worker/task-definition.json:69:9: warning: status is set by AWS, not by a manifest: ignored (at /spec/status)',
    'worker/task-definition.json:70:9: warning: requiresAttributes is set by AWS, not by a manifest: ignored (at /spec/requiresAttributes)',
    'worker/task-definition.json:100:9: warning: compatibilities is set by AWS, not by a manifest: ignored (at /spec/compatibilities)',
    'worker/task-definition.json:113:9: warning: registeredAt is set by AWS, not by a manifest: ignored (at /spec/registeredAt)',
    'worker/task-definition.json:114:9: warning: registeredBy is set by AWS, not by a manifest: ignored (at /spec/registeredBy)',
  ]);
  assert.deepEqual(result.state!.warnings, result.warnings);
  const spec = result.state!.resources.get('TaskDefinition/worker')!.manifest.spec;
  assert.deepEqual(Object.keys(spec), [
    'containerDefinitions', 'family', 'taskRoleArn', 'executionRoleArn', 'networkMode', 'volumes', 'placementConstraints',
    'runtimePlatform', 'requiresCompatibilities', 'cpu', 'memory', 'enableFaultInjection',
  ]);
});

test('describe-services output pasted as a Service spec', () => {
  const exported = doc('Service', 'web', [
    'serviceArn: arn:aws:ecs:us-east-1:123456789012:service/prod/web',
    'serviceName: web',
    'clusterArn: arn:aws:ecs:us-east-1:123456789012:cluster/prod',
    'cluster: prod',
    'status: ACTIVE',
    'desiredCount: 2',
    'runningCount: 2',
    'pendingCount: 0',
    'launchType: FARGATE',
    'platformVersion: LATEST',
    'platformFamily: Linux',
    'taskDefinition: arn:aws:ecs:us-east-1:123456789012:task-definition/web:3',
    'deploymentConfiguration: {deploymentCircuitBreaker: {enable: false, rollback: false}, maximumPercent: 200, minimumHealthyPercent: 100}',
    'deployments: [{id: ecs-svc/1, status: PRIMARY}]',
    'roleArn: arn:aws:iam::123456789012:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS',
    'events: []',
    'createdAt: "2025-03-14T09:26:53.412000+00:00"',
    'placementConstraints: []',
    'placementStrategy: []',
    'networkConfiguration: {awsvpcConfiguration: {subnets: [subnet-1], securityGroups: [sg-1], assignPublicIp: DISABLED}}',
    'schedulingStrategy: REPLICA',
    'deploymentController: {type: ECS}',
    'createdBy: arn:aws:iam::123456789012:role/deploy',
    'enableECSManagedTags: false',
    'propagateTags: NONE',
    'enableExecuteCommand: false',
    'availabilityZoneRebalancing: ENABLED',
  ].join('\n'));
  const result = load({ 'web.yaml': exported });
  assert.deepEqual(result.errors, []);
  assert.deepEqual(result.warnings.map((w) => w.path.slice('/spec/'.length)), [
    'serviceArn', 'clusterArn', 'status', 'runningCount', 'pendingCount', 'platformFamily', 'deployments', 'roleArn', 'events', 'createdAt', 'createdBy',
  ]);
});

test('1,000 manifests of four kinds load together, without an error (their load time is in npm run bench)', () => {
  warmSchemas(KIND_REGISTRY.rules);
  const files: Record<string, string> = {};
  for (let i = 0; i < 250; i++) {
    files[`apps/app${i}.yaml`] = [
      doc('TaskDefinition', `app${i}`, FARGATE_TD),
      doc('Service', `app${i}`, `cluster: shared\ntaskDefinition: app${i}\nlaunchType: FARGATE\ndesiredCount: 2\nnetworkConfiguration:\n  awsvpcConfiguration: {subnets: [subnet-1], securityGroups: [sg-1]}\nloadBalancers: [{targetGroupArn: ${TG_ARN}, containerName: web, containerPort: 80}]`),
      doc('ServiceAutoScaling', `app${i}`, `service: app${i}\nminCapacity: 1\nmaxCapacity: 4\npolicies: [{policyName: cpu, policyType: TargetTrackingScaling, targetTrackingScalingPolicyConfiguration: {targetValue: 70, predefinedMetricSpecification: {predefinedMetricType: ECSServiceAverageCPUUtilization}}}]`),
      doc('Cluster', `c${i}`, 'settings: [{name: containerInsights, value: enabled}]'),
    ].join('---\n');
  }
  const result = load(files);
  assert.deepEqual(result.errors, []);
  assert.equal(result.state!.resources.size, 1000);
});
