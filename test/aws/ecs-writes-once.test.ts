// The ECS adapter's non-idempotent write and its answers, on a scripted client: a registration whose
// outcome is unknown is looked for (by its content-hash tag) before it is sent again; one refused for
// throttling is sent again without a read; one refused for its input is not sent again; a
// CreateService refused because the name is taken is retried by a later pass, never repeated here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ecsPorts } from '../../src/aws/ecs/ports.js';
import { RetryableError, StalledError } from '../../src/core/errors.js';

const ARN = (n: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/web:${n}`;
const identity = { key: 'ecs-operator.dev/content-hash', value: 'c0ffee' };
const td = (n: number) => ({ taskDefinitionArn: ARN(n), family: 'web', revision: n, status: 'ACTIVE', containerDefinitions: [] });

function sdkError(name: string, status?: number): Error {
  return Object.assign(new Error(`${name} happened`), { name, ...(status ? { $metadata: { httpStatusCode: status } } : {}) });
}

/** Answers each operation from its script, one entry per call (the last one repeats). */
function scripted(script: Record<string, Array<unknown | Error>>) {
  const sent: string[] = [];
  const client = {
    async send(command: { constructor: { name: string }; input: unknown }) {
      const operation = command.constructor.name.replace(/Command$/, '');
      sent.push(operation);
      const answers = script[operation] ?? [{}];
      const answer = answers.length > 1 ? answers.shift() : answers[0];
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
  return { ecs: ecsPorts(scriptedClient(client)), sent };
}

test('a registration whose answer was lost is found by its tag, not made again', async () => {
  const { ecs, sent } = scripted({
    RegisterTaskDefinition: [Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ListTaskDefinitions: [{ taskDefinitionArns: [ARN(1), ARN(2), ARN(3)] }],
    DescribeTaskDefinition: [
      { taskDefinition: td(3), tags: [{ key: identity.key, value: 'other' }] },
      { taskDefinition: td(2), tags: [identity] },
    ],
  });
  const found = await ecs.taskDefinitions.registerTaskDefinition({ family: 'web', containerDefinitions: [] }, identity);
  assert.equal(found.taskDefinition.revision, 2);
  assert.deepEqual(sent, ['RegisterTaskDefinition', 'ListTaskDefinitions', 'DescribeTaskDefinition', 'DescribeTaskDefinition']);
});

test('a 5xx with nothing found is sent again; a throttle is sent again without a read', async () => {
  const lost = scripted({
    RegisterTaskDefinition: [sdkError('ServerException', 500), { taskDefinition: td(1), tags: [identity] }],
    ListTaskDefinitions: [{ taskDefinitionArns: [] }],
  });
  assert.equal((await lost.ecs.taskDefinitions.registerTaskDefinition({ family: 'web' }, identity)).taskDefinition.revision, 1);
  assert.deepEqual(lost.sent, ['RegisterTaskDefinition', 'ListTaskDefinitions', 'RegisterTaskDefinition']);

  const throttled = scripted({ RegisterTaskDefinition: [sdkError('ThrottlingException', 400), { taskDefinition: td(1), tags: [] }] });
  await throttled.ecs.taskDefinitions.registerTaskDefinition({ family: 'web' }, identity);
  assert.deepEqual(throttled.sent, ['RegisterTaskDefinition', 'RegisterTaskDefinition']);
});

test('refused input is not sent again; an unknown outcome without an identity is left to the next pass', async () => {
  const refused = scripted({ RegisterTaskDefinition: [sdkError('ClientException', 400)] });
  await assert.rejects(refused.ecs.taskDefinitions.registerTaskDefinition({ family: 'web' }, identity), StalledError);
  assert.deepEqual(refused.sent, ['RegisterTaskDefinition']);

  const anonymous = scripted({ RegisterTaskDefinition: [sdkError('ServerException', 500)] });
  await assert.rejects(anonymous.ecs.taskDefinitions.registerTaskDefinition({ family: 'web' }), RetryableError);
  assert.deepEqual(anonymous.sent, ['RegisterTaskDefinition']);
});

test('CreateService refused because the name is taken: a RetryableError, so the next pass reads the service', async () => {
  const { ecs, sent } = scripted({
    CreateService: [Object.assign(sdkError('InvalidParameterException', 400), { message: 'Creation of service was not idempotent.' })],
  });
  const err = await ecs.services.createService({ cluster: 'prod', serviceName: 'web' }).catch((e: unknown) => e);
  assert.ok(err instanceof RetryableError, String(err));
  assert.match(err.message, /a service named web exists already/);
  assert.deepEqual(sent, ['CreateService']);
});

test('the search reads past longer family names that the descending listing puts first', async () => {
  const other = (n: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/web-api:${n}`;
  const { ecs, sent } = scripted({
    RegisterTaskDefinition: [sdkError('ServerException', 500)],
    ListTaskDefinitions: [
      { taskDefinitionArns: Array.from({ length: 100 }, (_, i) => other(200 - i)), nextToken: 'page-2' },
      { taskDefinitionArns: [ARN(2), ARN(1)] },
    ],
    DescribeTaskDefinition: [{ taskDefinition: td(2), tags: [identity] }],
  });
  assert.equal((await ecs.taskDefinitions.registerTaskDefinition({ family: 'web' }, identity)).taskDefinition.revision, 2);
  assert.deepEqual(sent, ['RegisterTaskDefinition', 'ListTaskDefinitions', 'ListTaskDefinitions', 'DescribeTaskDefinition']);
});

/** A scripted client as an ECSClient (the SDK's paginators take nothing else), answering with its own `send`. */
function scriptedClient(client: { send: unknown }): ECSClient {
  return Object.assign(Object.create(ECSClient.prototype) as ECSClient, client);
}
