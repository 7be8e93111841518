// The manifest rules of ServiceAutoScaling and of service bindings beyond the schema, through the loader:
// each error at file:line:col with its JSON path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { doc, EC2_TD, lines, load, TG_ARN } from '../desired/helpers.js';

const errorsOf = (...docs: string[]) => lines(load({ 'a.yaml': docs.join('---\n') }).errors);
const warningsOf = (...docs: string[]) => lines(load({ 'a.yaml': docs.join('---\n') }).warnings);
const SERVICE = doc('Service', 'web', 'desiredCount: 1');
const scaling = (body: string) => doc('ServiceAutoScaling', 'web', `service: web\nminCapacity: 1\nmaxCapacity: 4\n${body}`);
const CPU = 'predefinedMetricSpecification: {predefinedMetricType: ECSServiceAverageCPUUtilization}';

test('ServiceAutoScaling: the scaled service must be a Service manifest, and not a DAEMON', () => {
  assert.deepEqual(errorsOf(doc('ServiceAutoScaling', 'x', 'service: wbe\nminCapacity: 1\nmaxCapacity: 2'), SERVICE), [
    'a.yaml:6:3: reference to nothing: no Service manifest named "wbe" (did you mean "web"?) (at /spec/service)',
  ]);
  assert.deepEqual(errorsOf(doc('Service', 'web', 'schedulingStrategy: DAEMON'), scaling('')), [
    'a.yaml:13:12: Service "web" uses schedulingStrategy DAEMON: ECS sets its task count, there is none to scale (at /spec/service)',
  ]);
});

test('ServiceAutoScaling: target tracking needs exactly one metric, one ECS services offer', () => {
  const tt = (config: string) => scaling(`policies:\n  - policyName: p\n    policyType: TargetTrackingScaling\n    targetTrackingScalingPolicyConfiguration: {targetValue: 50${config}}`);
  assert.deepEqual(errorsOf(SERVICE, tt(`, ${CPU}`)), []);
  assert.deepEqual(errorsOf(SERVICE, tt('')), [
    'a.yaml:19:7: target tracking needs a metric: predefinedMetricSpecification or customizedMetricSpecification (at /spec/policies/0/targetTrackingScalingPolicyConfiguration/predefinedMetricSpecification)',
  ]);
  assert.deepEqual(errorsOf(SERVICE, tt(`, ${CPU}, customizedMetricSpecification: {metricName: m, namespace: n, statistic: Average}`)), [
    'a.yaml:19:155: target tracking takes one metric: predefinedMetricSpecification or customizedMetricSpecification, not both (at /spec/policies/0/targetTrackingScalingPolicyConfiguration/customizedMetricSpecification)',
  ]);
  assert.deepEqual(errorsOf(SERVICE, tt(', predefinedMetricSpecification: {predefinedMetricType: DynamoDBReadCapacityUtilization}')), [
    'a.yaml:19:99: DynamoDBReadCapacityUtilization is not a metric of ECS services: use ECSServiceAverageCPUUtilization, ECSServiceAverageMemoryUtilization, ALBRequestCountPerTarget, ECSServiceAverageCPUUtilizationHighResolution, ECSServiceAverageMemoryUtilizationHighResolution (at /spec/policies/0/targetTrackingScalingPolicyConfiguration/predefinedMetricSpecification/predefinedMetricType)',
  ]);
  assert.deepEqual(errorsOf(SERVICE, tt(', predefinedMetricSpecification: {predefinedMetricType: ALBRequestCountPerTarget}')), [
    'a.yaml:19:67: ALBRequestCountPerTarget needs resourceLabel: app/<load-balancer-name>/<id>/targetgroup/<target-group-name>/<id> (at /spec/policies/0/targetTrackingScalingPolicyConfiguration/predefinedMetricSpecification/resourceLabel)',
  ]);
});

test('ServiceAutoScaling: step scaling needs an adjustment type and steps', () => {
  const step = (config: string) => scaling(`policies:\n  - policyName: p\n    stepScalingPolicyConfiguration: {${config}}`);
  assert.deepEqual(errorsOf(SERVICE, step('adjustmentType: ChangeInCapacity, stepAdjustments: [{metricIntervalLowerBound: 0, scalingAdjustment: 1}]')), []);
  assert.deepEqual(errorsOf(SERVICE, step('cooldown: 60, minAdjustmentMagnitude: 2')), [
    'a.yaml:18:7: missing required field "adjustmentType" (at /spec/policies/0/stepScalingPolicyConfiguration/adjustmentType)',
    'a.yaml:18:7: missing required field "stepAdjustments" (at /spec/policies/0/stepScalingPolicyConfiguration/stepAdjustments)',
    'a.yaml:18:54: minAdjustmentMagnitude applies only to adjustmentType PercentChangeInCapacity (at /spec/policies/0/stepScalingPolicyConfiguration/minAdjustmentMagnitude)',
  ]);
});

test('ServiceAutoScaling: time zones, start and end times, rates', () => {
  const action = (fields: string) => scaling(`scheduledActions:\n  - scheduledActionName: a\n    scalableTargetAction: {minCapacity: 1}\n    ${fields}`);
  assert.deepEqual(errorsOf(SERVICE, action('schedule: "cron(0 8 * * ? *)"\n    timezone: Europe/Paris\n    startTime: "2025-01-06T00:00:00Z"\n    endTime: "2025-12-31T00:00:00"')), []);
  assert.deepEqual(errorsOf(SERVICE, action('schedule: "cron(0 8 * * ? *)"\n    timezone: Europe/Pariss\n    startTime: "2025-06-01T00:00:00Z"\n    endTime: "2025-01-01"')), [
    'a.yaml:20:7: unknown time zone "Europe/Pariss": use an IANA name such as Europe/Paris, America/New_York or Etc/GMT+9 (at /spec/scheduledActions/0/timezone)',
    'a.yaml:22:7: endTime must be after startTime (at /spec/scheduledActions/0/endTime)',
  ]);
  assert.deepEqual(errorsOf(SERVICE, action('schedule: rate(0 minutes)\n    startTime: next monday')), [
    'a.yaml:19:7: a rate must be 1 or more; got "rate(0 minutes)" (at /spec/scheduledActions/0/schedule)',
    'a.yaml:20:7: startTime must be an ISO 8601 date and time (2025-06-01T08:00:00Z); got "next monday" (at /spec/scheduledActions/0/startTime)',
  ]);
  const idle = scaling('scheduledActions:\n  - scheduledActionName: a\n    schedule: rate(1 hour)');
  assert.deepEqual(errorsOf(SERVICE, idle), []);
  assert.match(warningsOf(SERVICE, idle).join('\n'), /a\.yaml:17:7: warning: this scheduled action changes nothing/);
});

test('Service: service registries name a container and a mapped port; target group bindings need both', () => {
  const service = (body: string) => doc('Service', 's', `taskDefinition: web\ndesiredCount: 1\n${body}`);
  assert.deepEqual(errorsOf(doc('TaskDefinition', 'web', EC2_TD), service('serviceRegistries: [{registryArn: arn:r, containerName: web, containerPort: 80}]')), []);
  assert.deepEqual(errorsOf(doc('TaskDefinition', 'web', EC2_TD), service('serviceRegistries: [{registryArn: arn:r, containerName: web, containerPort: 8080}]')), [
    'a.yaml:16:64: container "web" of TaskDefinition "web" has no port mapping for containerPort 8080 (it maps 80) (at /spec/serviceRegistries/0/containerPort)',
  ]);
  assert.deepEqual(errorsOf(doc('TaskDefinition', 'web', EC2_TD), service(`loadBalancers: [{targetGroupArn: ${TG_ARN}}]`)), [
    'a.yaml:16:19: a target group binding needs containerName: the container and port the load balancer sends traffic to (at /spec/loadBalancers/0/containerName)',
    'a.yaml:16:19: a target group binding needs containerPort: the container and port the load balancer sends traffic to (at /spec/loadBalancers/0/containerPort)',
  ]);
});
