// The rules each kind adds beyond the schema (src/kinds/<kind>/manifest.ts), through the loader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FARGATE_SIZES } from '../../src/kinds/task-definition/manifest.js';
import { doc, EC2_TD, FARGATE_TD, lines, load, TG_ARN } from './helpers.js';

const errorsOf = (...docs: string[]) => lines(load({ 'a.yaml': docs.join('---\n') }).errors);
const fargate = (cpu: string, memory: string) => doc('TaskDefinition', 't', FARGATE_TD.replace('cpu: "256"', `cpu: "${cpu}"`).replace('memory: "512"', `memory: "${memory}"`));

test('TaskDefinition: Fargate cpu/memory pairs, with units', () => {
  const valid: Array<[string, string]> = [
    ['256', '512'], ['256', '2 GB'], ['0.25 vCPU', '1024'], ['512', '4096'], ['1 vCPU', '8 GB'], ['2048', '16384'],
    ['4096', '30 GB'], ['8 vCPU', '60 GB'], ['8192', '20480'], ['16384', '120 GB'], ['16 vCPU', '40 GB'],
  ];
  for (const [cpu, memory] of valid) assert.deepEqual(errorsOf(fargate(cpu, memory)), [], `${cpu} / ${memory}`);
  const invalid: Array<[string, string, string]> = [
    ['256', '4 GB', 'memory 4096 MiB does not fit cpu 256 on Fargate: use 512, 1024 or 2048 MiB'],
    ['512', '512', 'memory 512 MiB does not fit cpu 512 on Fargate: use 1024 to 4096 MiB in steps of 1024'],
    ['8192', '18 GB', 'memory 18432 MiB does not fit cpu 8192 on Fargate: use 16384 to 61440 MiB in steps of 4096'],
    ['16384', '36 GB', 'memory 36864 MiB does not fit cpu 16384 on Fargate: use 32768 to 122880 MiB in steps of 8192'],
  ];
  for (const [cpu, memory, message] of invalid) assert.deepEqual(errorsOf(fargate(cpu, memory)), [`a.yaml:9:3: ${message} (at /spec/memory)`]);
  assert.deepEqual(errorsOf(fargate('300', '512')), ['a.yaml:8:3: cpu 300 is not a Fargate size: use 256, 512, 1024, 2048, 4096, 8192 or 16384 (at /spec/cpu)']);
  assert.equal(FARGATE_SIZES.get(4096)!.length, 23);
});

test('TaskDefinition: Fargate needs awsvpc and task cpu and memory', () => {
  assert.deepEqual(errorsOf(doc('TaskDefinition', 't', FARGATE_TD.replace('awsvpc', 'bridge'))), [
    'a.yaml:7:3: Fargate requires networkMode awsvpc, got "bridge" (at /spec/networkMode)',
  ]);
  assert.deepEqual(errorsOf(doc('TaskDefinition', 't', FARGATE_TD.replace('networkMode: awsvpc\n', ''))), [], 'absent network mode is awsvpc on Fargate');
  assert.deepEqual(errorsOf(doc('TaskDefinition', 't', 'requiresCompatibilities: [EC2, FARGATE]\ncontainerDefinitions: [{name: a, image: x}]')), [
    'a.yaml:5:1: Fargate requires task-level cpu (at /spec/cpu)',
    'a.yaml:5:1: Fargate requires task-level memory (at /spec/memory)',
  ]);
});

test('TaskDefinition: cpu and memory must parse; containers need memory without task memory; unique names', () => {
  assert.deepEqual(errorsOf(doc('TaskDefinition', 't', 'cpu: lots\nmemory: "1.3 GB"\ncontainerDefinitions: [{name: a, image: x}]')), [
    'a.yaml:6:3: cannot read "lots" as cpu: write CPU units ("256") or vCPU ("0.25 vCPU") (at /spec/cpu)',
    'a.yaml:7:3: cannot read "1.3 GB" as memory: write MiB ("512") or GB ("1 GB") (at /spec/memory)',
  ]);
  assert.deepEqual(errorsOf(doc('TaskDefinition', 't', 'containerDefinitions:\n  - {name: a, image: x, memoryReservation: 64}\n  - {name: b, image: x}\n  - {name: a, image: y, memory: 128}')), [
    'a.yaml:8:7: container "b" needs memory or memoryReservation when the task sets no memory (at /spec/containerDefinitions/1/memory)',
    'a.yaml:9:8: duplicate container name "a" (first at /spec/containerDefinitions/0) (at /spec/containerDefinitions/2/name)',
  ]);
});

test('Service: load balancer bindings must exist in the TaskDefinition manifest', () => {
  const service = (lbs: string) => doc('Service', 's', `taskDefinition: web\ndesiredCount: 1\nloadBalancers:\n${lbs}`);
  assert.deepEqual(errorsOf(doc('TaskDefinition', 'web', EC2_TD), service(`  - {targetGroupArn: ${TG_ARN}, containerName: web, containerPort: 80}`)), []);
  assert.deepEqual(errorsOf(doc('TaskDefinition', 'web', EC2_TD), service(`  - {targetGroupArn: ${TG_ARN}, containerName: wbe, containerPort: 80}\n  - {targetGroupArn: ${TG_ARN}, containerName: web, containerPort: 8080}`)), [
    'a.yaml:17:110: TaskDefinition "web" has no container "wbe" (did you mean "web"?) (at /spec/loadBalancers/0/containerName)',
    'a.yaml:18:130: container "web" of TaskDefinition "web" has no port mapping for containerPort 8080 (it maps 80) (at /spec/loadBalancers/1/containerPort)',
  ]);
  const external = doc('Service', 's', `taskDefinition: web:7\ndesiredCount: 1\nloadBalancers: [{targetGroupArn: ${TG_ARN}, containerName: any, containerPort: 1}]`);
  assert.deepEqual(errorsOf(external), [], 'not checkable against an external task definition');
});

test('Service: Fargate and awsvpc need an awsvpc task definition and an awsvpcConfiguration', () => {
  assert.deepEqual(errorsOf(doc('TaskDefinition', 'web', EC2_TD), doc('Service', 's', 'taskDefinition: web\nlaunchType: FARGATE\nnetworkConfiguration: {awsvpcConfiguration: {subnets: [subnet-1]}}')), [
    'a.yaml:15:3: launchType FARGATE needs networkMode awsvpc, but TaskDefinition "web" uses "bridge" (at /spec/launchType)',
  ]);
  assert.deepEqual(errorsOf(doc('TaskDefinition', 'web', FARGATE_TD), doc('Service', 's', 'taskDefinition: web\nnetworkConfiguration: {}')), [
    'a.yaml:21:3: TaskDefinition "web" uses networkMode awsvpc: networkConfiguration.awsvpcConfiguration (subnets, securityGroups) is required (at /spec/networkConfiguration/awsvpcConfiguration)',
  ]);
  assert.deepEqual(errorsOf(doc('Service', 's', 'taskDefinition: arn:aws:ecs:us-east-1:123456789012:task-definition/web:3\nlaunchType: FARGATE')), [
    'a.yaml:5:1: launchType FARGATE uses networkMode awsvpc: networkConfiguration.awsvpcConfiguration (subnets, securityGroups) is required (at /spec/networkConfiguration/awsvpcConfiguration)',
  ]);
});

test('ServiceAutoScaling: capacities, unique names, schedules, policy types', () => {
  const sas = doc('ServiceAutoScaling', 'web', [
    'service: web',
    'minCapacity: 5',
    'maxCapacity: 2',
    'policies:',
    '  - policyName: cpu',
    '    targetTrackingScalingPolicyConfiguration: {targetValue: 50}',
    '  - policyName: cpu',
    '    policyType: StepScaling',
    '    stepScalingPolicyConfiguration: {adjustmentType: ChangeInCapacity, stepAdjustments: [{scalingAdjustment: 1}]}',
    'scheduledActions:',
    '  - scheduledActionName: night',
    '    schedule: "cron(0 22 * * *)"',
    '    scalableTargetAction: {minCapacity: 1}',
    '  - scheduledActionName: night',
    '    schedule: rate(5 minutes)',
    '    scalableTargetAction: {minCapacity: 3, maxCapacity: 1}',
    '  - scheduledActionName: once',
    '    schedule: at(2025-01-01T00:00:00)',
    '    scalableTargetAction: {maxCapacity: 2}',
    '  - scheduledActionName: never',
    '    scalableTargetAction: {maxCapacity: 2}',
  ].join('\n'));
  assert.deepEqual(errorsOf(doc('Service', 'web', 'desiredCount: 1'), sas), [
    'a.yaml:14:3: minCapacity 5 is greater than maxCapacity 2 (at /spec/minCapacity)',
    'a.yaml:17:7: policyType StepScaling (the default) needs stepScalingPolicyConfiguration; to use targetTrackingScalingPolicyConfiguration, set policyType TargetTrackingScaling (at /spec/policies/0/stepScalingPolicyConfiguration)',
    'a.yaml:19:7: duplicate policyName "cpu" (first at /spec/policies/0) (at /spec/policies/1/policyName)',
    'a.yaml:24:7: schedule must be cron(minutes hours day-of-month month day-of-week year), rate(value unit) or at(yyyy-mm-ddThh:mm:ss); got "cron(0 22 * * *)" (at /spec/scheduledActions/0/schedule)',
    'a.yaml:26:7: duplicate scheduledActionName "night" (first at /spec/scheduledActions/0) (at /spec/scheduledActions/1/scheduledActionName)',
    'a.yaml:28:30: minCapacity 3 is greater than maxCapacity 1 (at /spec/scheduledActions/1/scalableTargetAction/minCapacity)',
    'a.yaml:32:7: missing required field "schedule" (at /spec/scheduledActions/3/schedule)',
  ]);
});

test('Cluster: the default strategy only names the cluster\'s capacity providers', () => {
  assert.deepEqual(errorsOf(doc('Cluster', 'c', 'capacityProviders: [FARGATE]\ndefaultCapacityProviderStrategy:\n  - {capacityProvider: FARGATE_SPOT, weight: 1}')), [
    'a.yaml:8:8: capacity provider "FARGATE_SPOT" is not in capacityProviders: a default strategy can only use the cluster\'s capacity providers (at /spec/defaultCapacityProviderStrategy/0/capacityProvider)',
  ]);
});

test('a value of the wrong type is one error: the kind rules do not repeat it', () => {
  assert.deepEqual(errorsOf(doc('TaskDefinition', 't', FARGATE_TD.replace('memory: "512"', 'memory: 512'))), [
    'a.yaml:9:3: must be a string, got number (quote it: "512") (at /spec/memory)',
  ]);
});
