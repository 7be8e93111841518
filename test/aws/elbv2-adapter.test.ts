// The ELBv2 adapter on the answers DescribeTargetGroups really gives: one unknown ARN fails the whole
// call with TargetGroupNotFound, one malformed ARN with ValidationError. Moto accepts any ARN text,
// so AWS's refusal of a malformed one is played by a small fake client.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { StalledError } from '../../src/core/errors.js';
import { SdkElbv2 } from '../../src/aws/elbv2.js';

const tg = (name: string) => `arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/${name}/0123456789abcdef`;
const awsError = (name: string, message: string) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } });

/** DescribeTargetGroups as AWS answers it for the groups in `existing`; every call's ARNs are recorded. */
function fakeClient(existing: string[]) {
  const calls: string[][] = [];
  const client = {
    async send(command: { input: { TargetGroupArns: string[] } }) {
      const arns = command.input.TargetGroupArns;
      calls.push(arns);
      const malformed = arns.find((arn) => !arn.startsWith('arn:aws:elasticloadbalancing:'));
      if (malformed) throw awsError('ValidationError', `'${malformed}' is not a valid target group ARN`);
      if (arns.some((arn) => !existing.includes(arn))) throw awsError('TargetGroupNotFoundException', 'One or more target groups not found');
      return { TargetGroups: arns.map((arn) => ({ TargetGroupArn: arn })) };
    },
  };
  return { client: client as unknown as ElasticLoadBalancingV2Client, calls };
}

test('a malformed target group ARN stalls only its own asks: the rest of its batch is answered', async () => {
  const good = [tg('web'), tg('api')];
  const { client, calls } = fakeClient(good);
  const elbv2 = new SdkElbv2(client);
  const t0 = Date.now();
  const bad = 'web-target-group';
  const asks = [...good, tg('gone'), bad].map((arn) => elbv2.targetGroupExists(arn, t0).then((v) => v, (err: unknown) => err));
  const [web, api, gone, malformed] = await Promise.all(asks);
  assert.deepEqual([web, api, gone], [true, true, false]);
  assert.ok(malformed instanceof StalledError, String(malformed));
  assert.equal(malformed.reason, 'InvalidParameter');
  assert.match(malformed.message, /DescribeTargetGroups: ValidationError: 'web-target-group' is not a valid target group ARN/);
  assert.equal(calls.length, 1 + 4, 'the failed batch, then each ARN alone');
  // The answers are cached like any other read, the refusal included.
  await assert.rejects(elbv2.targetGroupExists(bad, t0), StalledError);
  assert.equal(await elbv2.targetGroupExists(tg('web'), t0), true);
  assert.equal(calls.length, 5);
});
