// Service health from DescribeServices as AWS returns it during and after rollouts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../src/core/types.js';
import { assessService } from '../../src/kinds/service/health.js';

const TD = (rev: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/web:${rev}`;

/** A deployment as DescribeServices lists it. */
function deployment(status: 'PRIMARY' | 'ACTIVE', rev: number, rolloutState: string, counts: { desired: number; running: number }, reason?: string): JsonObject {
  return {
    id: `ecs-svc/${1000 + rev}`, status, taskDefinition: TD(rev), desiredCount: counts.desired, pendingCount: counts.desired - counts.running,
    runningCount: counts.running, failedTasks: rolloutState === 'FAILED' ? 3 : 0, createdAt: '2026-11-20T10:00:00.000Z', updatedAt: '2026-11-20T10:05:00.000Z',
    launchType: 'FARGATE', platformVersion: '1.4.0', rolloutState,
    rolloutStateReason: reason ?? `ECS deployment ecs-svc/${1000 + rev} ${rolloutState === 'COMPLETED' ? 'completed' : 'in progress'}.`,
  };
}

function service(deployments: JsonObject[], counts = { desired: 2, running: 2 }, status = 'ACTIVE'): JsonObject {
  return {
    serviceName: 'web', status, desiredCount: counts.desired, runningCount: counts.running, pendingCount: 0,
    taskDefinition: (deployments.find((d) => d.status === 'PRIMARY')?.taskDefinition as string) ?? TD(1),
    deploymentController: { type: 'ECS' }, deployments,
  };
}

test('rollout health, table-driven on the shapes AWS returns', () => {
  const cases: Array<[string, JsonObject, string, RegExp?]> = [
    ['completed, every task running', service([deployment('PRIMARY', 2, 'COMPLETED', { desired: 2, running: 2 })]), 'Healthy'],
    ['new deployment starting next to the old one', service([
      deployment('PRIMARY', 3, 'IN_PROGRESS', { desired: 2, running: 1 }), deployment('ACTIVE', 2, 'COMPLETED', { desired: 2, running: 2 }),
    ], { desired: 2, running: 3 }), 'Progressing', /rollout of web:3 in progress: 1\/2 tasks running/],
    ['primary completed while old tasks still drain', service([
      deployment('PRIMARY', 3, 'COMPLETED', { desired: 2, running: 2 }), deployment('ACTIVE', 2, 'COMPLETED', { desired: 0, running: 1 }),
    ]), 'Progressing', /1 task\(s\) of a previous deployment still running/],
    ['the circuit breaker rolls back', service([
      deployment('PRIMARY', 2, 'IN_PROGRESS', { desired: 2, running: 2 }, 'ECS deployment ecs-svc/1002 in progress.'),
      deployment('ACTIVE', 3, 'FAILED', { desired: 0, running: 0 }, 'ECS deployment circuit breaker: tasks failed to start.'),
    ]), 'Degraded', /rollout of web:3 failed: ECS deployment circuit breaker: tasks failed to start\.; rolled back to web:2/],
    ['a rollout failed without rollback', service([
      deployment('PRIMARY', 3, 'FAILED', { desired: 2, running: 0 }, 'ECS deployment circuit breaker: tasks failed to start.'),
    ], { desired: 2, running: 0 }), 'Degraded', /rollout of web:3 failed/],
    ['completed, but fewer tasks than desired run', service([deployment('PRIMARY', 2, 'COMPLETED', { desired: 2, running: 2 })], { desired: 2, running: 1 }), 'Degraded', /running 1 of 2 desired tasks/],
    ['an EXTERNAL controller without deployments, tasks starting', { ...service([], { desired: 2, running: 1 }), deploymentController: { type: 'EXTERNAL' } }, 'Progressing', /running 1 of 2/],
    ['a deleted service draining', service([], { desired: 0, running: 0 }, 'DRAINING'), 'Progressing', /draining/],
  ];
  for (const [name, live, health, message] of cases) {
    const got = assessService(live);
    assert.equal(got.health, health, name);
    if (message) assert.match(got.message ?? '', message, name);
    assert.equal(got.rolloutFailed ?? false, health === 'Degraded' && /failed/.test(got.message ?? ''), `${name}: rolloutFailed`);
  }
});
