// A service's health from the load balancer's view of its registered targets, on recorded
// DescribeTargetHealth and DescribeServices shapes (moto registers no ECS task in a target group and
// reports every registered target healthy, so unhealthy targets are tested here), and the Stalled
// message of a binding to a missing target group.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TargetHealthDescription } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { JsonObject } from '../../src/core/types.js';
import { targetHealthOf } from '../../src/aws/elbv2.js';
import { assessTargets, bindingBlock, type BindingFacts } from '../../src/kinds/service/load-balancers.js';
import { assessServiceAndTargets } from '../../src/kinds/service/handler.js';
import type { ServiceFacts } from '../../src/kinds/service/observe.js';
import { fakeResource } from '../support/fake-kind.js';
import { fixture, patched } from '../normalize/aws-fixtures.js';

const TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef';
const service = (patch: JsonObject = {}) => patched((fixture('describe-services-fargate-web').services as JsonObject[])[0]!, patch);
const health = (name: string) =>
  (fixture(name).TargetHealthDescriptions as unknown as TargetHealthDescription[]).map(targetHealthOf);
const facts = (name: string): BindingFacts => ({ missingTargetGroups: [], targetHealth: { [TG]: health(name) } });
/** The PRIMARY deployment of the recorded service was last updated then. */
const UPDATED = Date.parse('2025-06-12T09:17:45.073Z');

test('DescribeTargetHealth items as the adapter reads them', () => {
  assert.deepEqual(health('describe-target-health-web-unhealthy'), [
    { id: '10.0.1.17', port: 80, state: 'unhealthy', reason: 'Target.ResponseCodeMismatch', description: 'Health checks failed with these codes: [502]' },
    { id: '10.0.2.44', port: 80, state: 'healthy' },
    { id: '10.0.2.9', port: 80, state: 'draining', reason: 'Target.DeregistrationInProgress', description: 'Target deregistration is in progress' },
  ]);
});

test('unhealthy targets: Progressing within the grace period, Degraded past it', () => {
  const live = service({ healthCheckGracePeriodSeconds: 60 });
  const unhealthy = facts('describe-target-health-web-unhealthy');
  assert.deepEqual(assessTargets(live, unhealthy, UPDATED + 30_000), {
    health: 'Progressing',
    message: '1 of 3 target(s) unhealthy in target group web (Health checks failed with these codes: [502]), within the 60s health check grace period',
  });
  assert.deepEqual(assessTargets(live, unhealthy, UPDATED + 61_000), {
    health: 'Degraded',
    message: '1 of 3 target(s) unhealthy in target group web (Health checks failed with these codes: [502]), past the 60s health check grace period',
  });
  assert.equal(assessTargets(service(), unhealthy, UPDATED + 1_000)?.health, 'Degraded', 'no grace period set: 0 s');
});

test('targets in initial health checks are Progressing; healthy, draining or none say nothing', () => {
  assert.deepEqual(assessTargets(service(), facts('describe-target-health-web-initial'), UPDATED), {
    health: 'Progressing', message: '1 target(s) in initial health checks in target group web',
  });
  const fine: BindingFacts = { missingTargetGroups: [], targetHealth: { [TG]: health('describe-target-health-web-unhealthy').filter((t) => t.state !== 'unhealthy') } };
  assert.equal(assessTargets(service(), fine, UPDATED), undefined);
  assert.equal(assessTargets(service(), { missingTargetGroups: [], targetHealth: { [TG]: [] } }, UPDATED), undefined);
  assert.equal(assessTargets(service(), undefined, UPDATED), undefined);
});

test('the rollout decides first; the targets once it is done', () => {
  const base: ServiceFacts = { cluster: 'prod', taskDefinitionArn: undefined, autoscaled: false, minCapacity: undefined };
  const unhealthy: ServiceFacts = { ...base, bindings: facts('describe-target-health-web-unhealthy') };
  const done = assessServiceAndTargets({ exists: true, live: service(), facts: unhealthy }, UPDATED + 3_600_000);
  assert.equal(done.health, 'Degraded');
  const rolling = service({ deployments: [{ id: 'ecs-svc/2', status: 'PRIMARY', rolloutState: 'IN_PROGRESS', runningCount: 1, desiredCount: 2, taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:4' }] });
  assert.equal(assessServiceAndTargets({ exists: true, live: rolling, facts: unhealthy }, UPDATED + 3_600_000).health, 'Progressing');
  assert.equal(assessServiceAndTargets({ exists: true, live: service(), facts: base }, UPDATED).health, 'Healthy', 'without ELB facts');
});

test('a binding to a missing target group blocks the service with where it is written', () => {
  const missing = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/gone/0000000000000000';
  const resource = fakeResource('Service', 'web', { loadBalancers: [{ targetGroupArn: TG, containerName: 'web', containerPort: 80 }, { targetGroupArn: missing, containerName: 'web', containerPort: 80 }] });
  assert.deepEqual(bindingBlock(resource, { missingTargetGroups: [missing], targetHealth: {} }), {
    reason: 'NotFound',
    message: `target group not found: spec.loadBalancers[1].targetGroupArn ${missing}; create the target group or correct the ARN (the service is not created or updated until then)`,
  });
  assert.equal(bindingBlock(resource, { missingTargetGroups: [], targetHealth: {} }), undefined);
  assert.equal(bindingBlock(resource, undefined), undefined);
});
