// A task definition's outputs (the ARN services may use) come from the comparison the pass's plan
// already made of the same observation: the revision is not normalized a second time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TaskDefinitionPort } from '../../src/aws/ecs/task-definitions.js';
import type { JsonObject } from '../../src/core/types.js';
import { planTaskDefinition, taskDefinitionHandler } from '../../src/kinds/task-definition/handler.js';
import { liveTaskDefinitionSpec } from '../../src/kinds/task-definition/normalize.js';
import type { TaskDefinitionObservation } from '../../src/kinds/task-definition/observe.js';
import { fakeResource } from '../support/fake-kind.js';
import { fixture } from '../normalize/aws-fixtures.js';

/** The recorded revision, with a getter counting how often its content is read. */
function observed(): { observation: TaskDefinitionObservation; reads: () => number } {
  const live = fixture('describe-task-definition-fargate-web').taskDefinition as JsonObject;
  let reads = 0;
  const family = live.family;
  Object.defineProperty(live, 'family', { enumerable: true, get: () => (reads++, family) });
  return { observation: { exists: true, arn: String(live.taskDefinitionArn), live }, reads: () => reads };
}

test('outputs reuse the plan of the same observation; another manifest is compared again', () => {
  const handler = taskDefinitionHandler({} as TaskDefinitionPort);
  const { observation, reads } = observed();
  const spec = liveTaskDefinitionSpec(structuredClone(observation.live as JsonObject));
  const equal = fakeResource('TaskDefinition', 'web', spec);
  assert.deepEqual(planTaskDefinition(equal, observation).differences, []);
  const afterPlan = reads();
  assert.deepEqual(handler.outputs(equal, observation), { arn: observation.arn, family: 'web' });
  assert.equal(reads(), afterPlan, 'not normalized again');

  const changed = fakeResource('TaskDefinition', 'web', { ...spec, cpu: '1024' });
  assert.deepEqual(handler.outputs(changed, observation), {}, 'a different manifest: compared, and not equal');
  assert.ok(reads() > afterPlan);
});
