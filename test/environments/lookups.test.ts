// Values read from outside the environment's file, through the lookups port (a fake here: the AWS
// adapters are tested against the AWS APIs themselves): process variables only when allowed, SSM
// parameters batched per account and Region (StringList a list, SecureString refused), CloudFormation
// outputs read once per stack, and the target's own values looked up before the target exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { processLookups } from '../../src/environments/lookups.js';
import { environment, fakeAws, lines, manifest, named, render, SERVICE, TASK_DEFINITION } from './helpers.js';

const base = { 'base/service.yaml': SERVICE, 'base/task-definition.yaml': TASK_DEFINITION };
const ENV_FILE = 'envs/prod/environment.yaml';
const prod = (spec: string) => ({ ...base, [ENV_FILE]: environment('prod', `include: [../../base]\n${spec}`) });

test('process variables: allowed names (and PREFIX*) are read and typed; others are errors, or their default with a warning', async () => {
  const files = prod('valuesFrom:\n  - {name: count, env: APP_COUNT, type: number}\n  - {name: subnets, env: APP_SUBNETS, type: list}\n  - {name: mode, env: MODE, default: slow}');
  const env = { APP_COUNT: '4', APP_SUBNETS: 'subnet-a, subnet-b', MODE: 'fast' };
  const allowed = await render(files, processLookups(['APP_*', 'MODE'], env));
  assert.deepEqual(lines(allowed), []);
  const spec = manifest(allowed, 'prod', 'Service/web').spec as any;
  assert.equal(spec.desiredCount, 4);
  assert.deepEqual(spec.networkConfiguration.awsvpcConfiguration.subnets, ['subnet-a', 'subnet-b']);
  assert.equal((manifest(allowed, 'prod', 'TaskDefinition/web').spec as any).containerDefinitions[0].environment[1].value, 'fast');

  const refused = await render(files, processLookups(['APP_SUBNETS'], env));
  assert.deepEqual(lines(refused), [`${ENV_FILE}:8:21: environment "prod": process variable APP_COUNT is not allowed: the operator reads only the variables it allows (--allow-env) (at /spec/valuesFrom/0/env)`]);
  assert.deepEqual(lines(refused, 'warnings'), [`${ENV_FILE}:10:20: warning: environment "prod": process variable MODE is not allowed: the operator reads only the variables it allows (--allow-env); its default is used (at /spec/valuesFrom/2/env)`]);

  const wrong = await render(files, processLookups(['APP_*'], { APP_COUNT: 'four' }));
  assert.deepEqual(lines(wrong), [
    `${ENV_FILE}:8:37: environment "prod": value "count": process variable APP_COUNT "four" is not a number (at /spec/valuesFrom/0/type)`,
    `${ENV_FILE}:9:23: environment "prod": process variable APP_SUBNETS is not set (give the entry a default to render without it) (at /spec/valuesFrom/1/env)`,
  ]);
});

test('SSM parameters: one GetParameters per account and Region; a StringList is a list; SecureString and missing ones are errors naming them', async () => {
  const { aws, calls } = fakeAws({
    parameters: {
      'eu-west-1': { '/net/subnets': { type: 'StringList', value: 'subnet-1,subnet-2' }, '/app/count': { type: 'String', value: '3' }, '/app/mode': { type: 'String', value: 'fast' } },
      'us-east-1': { '/app/mode': { type: 'String', value: 'east' } },
    },
  });
  const files = prod('target: {region: eu-west-1}\nvaluesFrom:\n  - {name: subnets, ssm: /net/subnets}\n  - {name: count, ssm: /app/count, type: number}\n  - {name: mode, ssm: /app/mode}');
  const load = await render(files, processLookups([], {}, aws));
  assert.deepEqual(lines(load), []);
  assert.deepEqual(calls, [{ op: 'GetParameters', names: ['/net/subnets', '/app/count', '/app/mode'], account: 'target', region: 'eu-west-1', roleArn: undefined }]);
  const spec = manifest(load, 'prod', 'Service/web').spec as any;
  assert.deepEqual([spec.desiredCount, spec.networkConfiguration.awsvpcConfiguration.subnets], [3, ['subnet-1', 'subnet-2']]);

  const other = fakeAws({ parameters: { 'eu-west-1': { '/db/password': { type: 'SecureString', value: 'hunter2' } }, 'us-east-1': { '/app/mode': { type: 'String', value: 'east' } } } });
  const bad = await render(prod('target: {region: eu-west-1}\nvaluesFrom:\n  - {name: subnets, ssm: /db/password}\n  - {name: count, ssm: /app/cuont}\n  - {name: mode, ssm: /app/mode, region: us-east-1}'), processLookups([], {}, other.aws));
  assert.deepEqual(lines(bad), [
    `${ENV_FILE}:9:23: environment "prod": SSM parameter "/db/password" is a SecureString: a secret is not a value (it would be written in clear into the task definition); refer to it in secrets[].valueFrom, which ECS resolves itself (at /spec/valuesFrom/0/ssm)`,
    `${ENV_FILE}:10:21: environment "prod": SSM parameter "/app/cuont" does not exist in eu-west-1 (at /spec/valuesFrom/1/ssm)`,
  ]);
  assert.equal(other.calls.length, 2, 'one batch per Region');
  assert.doesNotMatch(JSON.stringify(bad), /hunter2/, 'a secret never reaches a message');
});

test('CloudFormation outputs: one DescribeStacks per stack; a missing output names the ones there are', async () => {
  const { aws, calls } = fakeAws({ stacks: { '': { network: { Subnets: 'subnet-9', Count: '2' } } } });
  const load = await render(prod('valuesFrom:\n  - {name: subnets, cloudFormation: {stack: network, output: Subnets}, type: list}\n  - {name: count, cloudFormation: {stack: network, output: Count}, type: number}\n  - {name: mode, cloudFormation: {stack: network, output: Mode}}'), processLookups([], {}, aws));
  assert.deepEqual(lines(load), [`${ENV_FILE}:10:20: environment "prod": CloudFormation stack "network" has no output "Mode" (its outputs: Count, Subnets) (at /spec/valuesFrom/2/cloudFormation)`]);
  assert.deepEqual(calls.map((c) => c.op), ['DescribeStacks']);
  const missing = await render(prod('values: {count: 1, mode: m}\nvaluesFrom:\n  - {name: subnets, cloudFormation: {stack: netwrok, output: Subnets}}'), processLookups([], {}, aws));
  assert.deepEqual(lines(missing), [`${ENV_FILE}:9:23: environment "prod": CloudFormation stack "netwrok" does not exist (at /spec/valuesFrom/0/cloudFormation)`]);
});

test("the target's role from the operator's account (in its own Region); the lookups of the target are made through the role, in the target's Region", async () => {
  const { aws, calls } = fakeAws({
    stacks: { '': { roles: { Deploy: 'arn:aws:iam::210987654321:role/deploy' } } },
    parameters: { 'eu-west-1': { '/net/subnets': { type: 'StringList', value: 'subnet-7' } } },
  });
  const files = prod('target:\n  region: eu-west-1\n  roleArn: ${{ values.role }}\nvalues: {count: 1, mode: m}\nvaluesFrom:\n  - {name: role, cloudFormation: {stack: roles, output: Deploy}, account: operator}\n  - {name: subnets, ssm: /net/subnets}');
  const load = await render(files, processLookups([], {}, aws));
  assert.deepEqual(lines(load), []);
  assert.deepEqual(named(load, 'prod').target, { region: 'eu-west-1', roleArn: 'arn:aws:iam::210987654321:role/deploy' });
  assert.deepEqual(calls, [
    { op: 'DescribeStacks', names: ['roles'], account: 'operator', region: undefined, roleArn: undefined },
    { op: 'GetParameters', names: ['/net/subnets'], account: 'target', region: 'eu-west-1', roleArn: 'arn:aws:iam::210987654321:role/deploy' },
  ]);
  // The role looked up in the target's own account: the target cannot need itself.
  const cycle = await render(prod('target:\n  roleArn: "${{ values.role }}"\nvalues: {count: 1, mode: m, subnets: [s]}\nvaluesFrom:\n  - {name: role, cloudFormation: {stack: roles, output: Deploy}}'), processLookups([], {}, aws));
  assert.deepEqual(lines(cycle), [`${ENV_FILE}:8:14: environment "prod": value "role" is read in the target's account, so the target cannot use it: read it with account: operator (at /spec/target/roleArn)`]);
  const bad = await render(prod('target:\n  roleArn: "arn:aws:iam::${{ values.account }}:role/x"\nvalues: {count: 1, mode: m, subnets: [s], account: "12345"}'));
  assert.deepEqual(lines(bad), [`${ENV_FILE}:8:14: environment "prod": must be an IAM role ARN such as "arn:aws:iam::111122223333:role/deploy", got "arn:aws:iam::12345:role/x"; value "account" is set at ${ENV_FILE}:9:45 (at /spec/target/roleArn)`]);
});

test('a lookup that fails, and one where no AWS lookups are made, are errors naming the entry', async () => {
  const { aws } = fakeAws({ fail: 'AccessDeniedException: not authorized to perform ssm:GetParameters' });
  const files = prod('values: {count: 1, mode: m}\nvaluesFrom:\n  - {name: subnets, ssm: /net/subnets}');
  assert.deepEqual(lines(await render(files, processLookups([], {}, aws))), [`${ENV_FILE}:9:23: environment "prod": SSM parameter "/net/subnets" could not be read: AccessDeniedException: not authorized to perform ssm:GetParameters (at /spec/valuesFrom/0/ssm)`]);
  assert.deepEqual(lines(await render(files)), [`${ENV_FILE}:9:7: environment "prod": SSM parameter "/net/subnets" needs an AWS lookup, which this command does not make: set "subnets" in values to render without AWS (at /spec/valuesFrom/0)`]);
});
