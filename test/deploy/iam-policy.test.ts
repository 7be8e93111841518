// deploy/iam-policy.json under the policy evaluator, on the calls the operator makes (mapped to IAM
// authorizations as the enforcing proxy maps them): what it owns it may change and delete; what nobody
// owns it may adopt but not delete; another instance's resources it may not touch; it creates only
// what carries its own tag; roles go to ECS tasks only; and the table in iam-policy.md is complete.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { checkSupported, evaluate, policyActions, type PolicyDocument } from '../support/iam-policy.js';
import { authorizationsOf, type RecordedCall, type TagLookup } from '../support/iam-requests.js';

const policy = JSON.parse(readFileSync(new URL('../../deploy/iam-policy.json', import.meta.url), 'utf8')) as PolicyDocument;
const table = readFileSync(new URL('../../deploy/iam-policy.md', import.meta.url), 'utf8');

const ACCOUNT = '123456789012';
const OURS = { 'ecs-operator.dev/managed-by': 'default', 'ecs-operator.dev/resource': 'Service/web' };
const OTHERS = { 'ecs-operator.dev/managed-by': 'other' };
const NOBODYS = { team: 'payments' };
const TARGET = `arn:aws:application-autoscaling:us-east-1:${ACCOUNT}:scalable-target/0ec1`;

/** The live tags every ARN has in one case: the same map for ECS resources and scalable targets. */
function lookup(tags: Record<string, string> | undefined, targetExists = true): TagLookup {
  return {
    ecsTags: async () => tags,
    aasTags: async () => tags,
    scalableTarget: async () => (targetExists ? { arn: TARGET, tags: tags ?? {} } : undefined),
  };
}

const ecs = (operation: string, input: Record<string, unknown>): RecordedCall => ({ service: 'ecs', operation, input, region: 'us-east-1', account: ACCOUNT });
const aas = (operation: string, input: Record<string, unknown>): RecordedCall => ({
  service: 'application-autoscaling', operation, region: 'us-east-1', account: ACCOUNT,
  input: { ServiceNamespace: 'ecs', ResourceId: 'service/prod/web', ScalableDimension: 'ecs:service:DesiredCount', ...input },
});

/** 'allowed', or the first refused action. */
async function decide(call: RecordedCall, live: TagLookup): Promise<string> {
  for (const auth of await authorizationsOf(call, live)) {
    if (evaluate(policy, auth).decision !== 'allowed') return `denied ${auth.action}`;
  }
  return 'allowed';
}

const tagList = (tags: Record<string, string>) => Object.entries(tags).map(([key, value]) => ({ key, value }));

test('delete and deregister: only what this instance owns', async () => {
  for (const call of [ecs('DeleteService', { cluster: 'prod', service: 'web' }), ecs('DeleteCluster', { cluster: 'prod' }), aas('DeregisterScalableTarget', {})]) {
    assert.equal(await decide(call, lookup(OURS)), 'allowed', `${call.operation} of our own`);
    assert.equal(await decide(call, lookup(OTHERS)), `denied ${call.service}:${call.operation}`, `${call.operation} of another instance's`);
    assert.equal(await decide(call, lookup(NOBODYS)), `denied ${call.service}:${call.operation}`, `${call.operation} of an unowned resource`);
    assert.equal(await decide(call, lookup(undefined)), `denied ${call.service}:${call.operation}`, `${call.operation} with no tags at all`);
  }
});

test('updates: what this instance owns, or what nobody owns (adoption); never another instance\'s', async () => {
  const calls = [
    ecs('UpdateService', { cluster: 'prod', service: 'web' }), ecs('UpdateCluster', { cluster: 'prod' }),
    ecs('UpdateClusterSettings', { cluster: 'prod' }), ecs('PutClusterCapacityProviders', { cluster: 'prod' }),
    aas('PutScalingPolicy', { PolicyType: 'StepScaling' }), aas('DeleteScheduledAction', {}),
  ];
  for (const call of calls) {
    assert.equal(await decide(call, lookup(OURS)), 'allowed', call.operation);
    assert.equal(await decide(call, lookup(NOBODYS)), 'allowed', `${call.operation} while adopting`);
    assert.equal(await decide(call, lookup(OTHERS)), `denied ${call.service}:${call.operation}`, call.operation);
  }
});

test('tags: claiming an unowned resource needs this instance\'s tag; another instance\'s cannot be retagged; untag only its own', async () => {
  const arn = `arn:aws:ecs:us-east-1:${ACCOUNT}:service/prod/web`;
  const claim = ecs('TagResource', { resourceArn: arn, tags: tagList({ 'ecs-operator.dev/managed-by': 'default' }) });
  assert.equal(await decide(claim, lookup(NOBODYS)), 'allowed');
  assert.equal(await decide(claim, lookup(OTHERS)), 'denied ecs:TagResource');
  const hijack = ecs('TagResource', { resourceArn: arn, tags: tagList({ 'ecs-operator.dev/managed-by': 'other' }) });
  assert.equal(await decide(hijack, lookup(NOBODYS)), 'denied ecs:TagResource');
  assert.equal(await decide(ecs('TagResource', { resourceArn: arn, tags: tagList({ app: 'web' }) }), lookup(OURS)), 'allowed');
  const untag = ecs('UntagResource', { resourceArn: arn, tagKeys: ['app'] });
  assert.equal(await decide(untag, lookup(OURS)), 'allowed');
  assert.equal(await decide(untag, lookup(NOBODYS)), 'denied ecs:UntagResource');
  const aasClaim = aas('TagResource', { ResourceARN: TARGET, Tags: { 'ecs-operator.dev/managed-by': 'default' } });
  assert.equal(await decide(aasClaim, lookup(NOBODYS)), 'allowed');
  assert.equal(await decide(aasClaim, lookup(OTHERS)), 'denied application-autoscaling:TagResource');
});

test('creates carry this instance\'s tag, and the tags of a create are authorized with it', async () => {
  const ours = tagList({ 'ecs-operator.dev/managed-by': 'default', 'ecs-operator.dev/resource': 'Cluster/prod' });
  assert.equal(await decide(ecs('CreateCluster', { clusterName: 'prod', tags: ours }), lookup(undefined)), 'allowed');
  assert.equal(await decide(ecs('CreateService', { cluster: 'prod', serviceName: 'web', tags: ours }), lookup(undefined)), 'allowed');
  assert.equal(await decide(ecs('CreateCluster', { clusterName: 'prod', tags: tagList({ 'ecs-operator.dev/managed-by': 'trial' }) }), lookup(undefined)), 'denied ecs:CreateCluster');
  assert.equal(await decide(ecs('CreateCluster', { clusterName: 'prod' }), lookup(undefined)), 'denied ecs:CreateCluster', 'untagged');
  const auths = await authorizationsOf(ecs('CreateCluster', { clusterName: 'prod', tags: ours }), lookup(undefined));
  assert.deepEqual(auths.map((a) => a.action), ['ecs:CreateCluster', 'ecs:TagResource', 'iam:CreateServiceLinkedRole']);
  assert.deepEqual(evaluate(policy, auths[1]!).statements, ['TagOnCreate', 'ClaimUnowned']);
});

test('task definitions: registered with their roles passed to ECS tasks only; deregistered without a tag condition', async () => {
  const register = ecs('RegisterTaskDefinition', {
    family: 'web', taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/web`, executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/ecsTaskExecutionRole`,
    tags: tagList({ 'ecs-operator.dev/managed-by': 'default' }),
  });
  const auths = await authorizationsOf(register, lookup(undefined));
  assert.deepEqual(auths.filter((a) => a.action === 'iam:PassRole').map((a) => a.resource), [`arn:aws:iam::${ACCOUNT}:role/web`, `arn:aws:iam::${ACCOUNT}:role/ecsTaskExecutionRole`]);
  assert.equal(await decide(register, lookup(undefined)), 'allowed');
  const passTo = (service: string) => evaluate(policy, { action: 'iam:PassRole', resource: `arn:aws:iam::${ACCOUNT}:role/web`, context: { 'iam:PassedToService': service } }).decision;
  assert.equal(passTo('ecs-tasks.amazonaws.com'), 'allowed');
  assert.equal(passTo('ec2.amazonaws.com'), 'implicitDeny');
  assert.equal(passTo('lambda.amazonaws.com'), 'implicitDeny');
  assert.equal(await decide(ecs('DeregisterTaskDefinition', { taskDefinition: 'web:3' }), lookup(OTHERS)), 'allowed', 'no resource-level permissions: the operator checks the tags itself');
});

test('a new scalable target: registered with its tags, and the service it scales must be this instance\'s or nobody\'s', async () => {
  const register = aas('RegisterScalableTarget', { MinCapacity: 2, MaxCapacity: 20, Tags: { 'ecs-operator.dev/managed-by': 'default' } });
  assert.equal(await decide(register, lookup(OURS, false)), 'allowed');
  assert.deepEqual((await authorizationsOf(register, lookup(OURS, false))).map((a) => a.action), [
    'application-autoscaling:RegisterScalableTarget', 'iam:CreateServiceLinkedRole', 'application-autoscaling:TagResource',
    'ecs:DescribeServices', 'ecs:UpdateService',
  ]);
  assert.equal(await decide(register, lookup(OTHERS, false)), 'denied ecs:UpdateService', 'the target service belongs to another instance');
  const tracking = aas('PutScalingPolicy', { PolicyType: 'TargetTrackingScaling' });
  assert.deepEqual((await authorizationsOf(tracking, lookup(OURS))).map((a) => a.action).slice(1), ['cloudwatch:DescribeAlarms', 'cloudwatch:PutMetricAlarm']);
  assert.equal(await decide(tracking, lookup(OURS)), 'allowed');
});

test('the lease table and nothing else in DynamoDB; no action the operator does not call', async () => {
  const dynamo = (operation: string, table: string) => decide({ service: 'dynamodb', operation, input: { TableName: table }, region: 'eu-west-1', account: ACCOUNT }, lookup(undefined));
  for (const op of ['GetItem', 'UpdateItem', 'DescribeTable', 'CreateTable']) assert.equal(await dynamo(op, 'ecs-operator-lease'), 'allowed', op);
  // The lease is only ever updated in place (its fencing token survives a release): no put, no delete.
  for (const op of ['PutItem', 'DeleteItem']) assert.equal(await dynamo(op, 'ecs-operator-lease'), `denied dynamodb:${op}`, op);
  assert.equal(await dynamo('GetItem', 'orders'), 'denied dynamodb:GetItem');
  assert.equal(await dynamo('DeleteTable', 'ecs-operator-lease'), 'denied dynamodb:DeleteTable');
  for (const op of ['RunTask', 'StopTask', 'DeleteTaskDefinitions', 'ExecuteCommand', 'DeleteCapacityProvider']) {
    assert.equal(await decide(ecs(op, { cluster: 'prod' }), lookup(OURS)), `denied ecs:${op}`);
  }
});

test('the policy uses nothing the evaluator would misread, no wildcard action, and iam-policy.md has a row for every action', () => {
  checkSupported(policy);
  assert.throws(() => checkSupported({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { ArnLike: { 'aws:SourceArn': 'x' } } }] }), /ArnLike/);
  const actions = policyActions(policy);
  assert.deepEqual(actions.filter((a) => a.includes('*')), []);
  const rows = new Set([...table.matchAll(/^\| `([a-z-]+:[A-Za-z]+)` \|/gm)].map((m) => m[1]));
  assert.deepEqual(actions.filter((a) => !rows.has(a)), [], 'actions without a row');
  assert.deepEqual([...rows].filter((a) => !actions.includes(a!)), [], 'rows without an action');
});
