// The SDK adapter of the environments' lookups against moto: GetParameters in batches of ten (its
// limit) and never decrypted, the parameters that do not exist left out, a stack's outputs by key and
// no stack as undefined, and each scope's own account: the target's through its role, or the
// operator's own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { SdkLookups } from '../../src/aws/lookups.js';
import { PRODUCTION } from '../../src/tools/account-fixtures.js';
import { targetConfig } from '../../src/aws/targets.js';
import { useMoto } from '../support/moto.js';

useMoto();
const target = { region: PRODUCTION.region, roleArn: PRODUCTION.roleArn, externalId: PRODUCTION.externalId };

test('SSM: batches of ten, missing names left out, a SecureString never decrypted; each account its own', async () => {
  const mine = new SSMClient({ region: 'us-east-1' });
  const theirs = new SSMClient(targetConfig(target));
  try {
    for (let i = 0; i < 12; i++) await theirs.send(new PutParameterCommand({ Name: `/p/${i}`, Value: `v${i}`, Type: 'String' }));
    await theirs.send(new PutParameterCommand({ Name: '/p/list', Value: 'a,b', Type: 'StringList' }));
    await theirs.send(new PutParameterCommand({ Name: '/p/secret', Value: 'hunter2', Type: 'SecureString' }));
    await mine.send(new PutParameterCommand({ Name: '/p/0', Value: 'operator', Type: 'String' }));
  } finally {
    mine.destroy();
    theirs.destroy();
  }
  const calls: string[] = [];
  const lookups = new SdkLookups({ record: (api, op) => calls.push(`${api}:${op}`) });
  try {
    const names = [...Array.from({ length: 12 }, (_, i) => `/p/${i}`), '/p/list', '/p/secret', '/p/missing'];
    const found = await lookups.ssmParameters(names, { account: 'target', region: PRODUCTION.region, target });
    assert.deepEqual(calls, ['ssm:GetParameters', 'ssm:GetParameters'], '15 names: two calls');
    assert.equal(found.size, 14);
    assert.equal(found.has('/p/missing'), false);
    assert.deepEqual(found.get('/p/11'), { type: 'String', value: 'v11' });
    assert.deepEqual(found.get('/p/list'), { type: 'StringList', value: 'a,b' });
    assert.equal(found.get('/p/secret')?.type, 'SecureString');
    assert.notEqual(found.get('/p/secret')?.value, 'hunter2', 'not decrypted');
    const own = await lookups.ssmParameters(['/p/0', '/p/1'], { account: 'operator', region: 'us-east-1', target });
    assert.deepEqual([...own], [['/p/0', { type: 'String', value: 'operator' }]], "the operator's own account, not the target's");
  } finally {
    lookups.destroy();
  }
});

test('CloudFormation: a stack\'s outputs by key; a stack that does not exist is undefined', async () => {
  const cfn = new CloudFormationClient({ region: 'us-east-1' });
  try {
    await cfn.send(new CreateStackCommand({
      StackName: 'net',
      TemplateBody: JSON.stringify({ Resources: { H: { Type: 'AWS::CloudFormation::WaitConditionHandle' } }, Outputs: { Subnets: { Value: 'subnet-1,subnet-2' }, Vpc: { Value: 'vpc-1' } } }),
    }));
  } finally {
    cfn.destroy();
  }
  const lookups = new SdkLookups();
  try {
    const outputs = await lookups.stackOutputs('net', { account: 'operator', region: 'us-east-1' });
    assert.deepEqual(Object.fromEntries(outputs ?? []), { Subnets: 'subnet-1,subnet-2', Vpc: 'vpc-1' });
    assert.equal(await lookups.stackOutputs('nope', { account: 'operator', region: 'us-east-1' }), undefined);
    assert.equal(await lookups.stackOutputs('net', { account: 'target', target }), undefined, "the target's account has no such stack");
  } finally {
    lookups.destroy();
  }
});
