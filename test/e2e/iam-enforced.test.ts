// The operator holding only deploy/iam-policy.json, against moto enforcing IAM (actions) behind the
// enforcing policy proxy (resources, tags and conditions, test/support/policy-proxy.ts): the examples
// and the operator's own deployment apply, an update and a prune succeed, the policy's actions are
// exactly what that run used (both ways), and what the operator does not own it cannot delete.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateClusterCommand, CreateServiceCommand, DeleteServiceCommand, DescribeClustersCommand, DescribeServicesCommand, ECSClient,
  ListClustersCommand, RegisterTaskDefinitionCommand, RunTaskCommand, UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { copyManifests } from '../../src/tools/fixtures.js';
import { runCli } from '../support/cli.js';
import { exampleManifests } from '../support/examples.js';
import { evaluate, policyActions, type PolicyDocument } from '../support/iam-policy.js';
import { OPERATOR_POLICY, REGION, startEnforcedAws, type EnforcedAws } from '../support/iam-moto.js';
import type { ProxiedCall } from '../support/policy-proxy.js';

const DEPLOY = fileURLToPath(new URL('../../deploy/manifests', import.meta.url));
let aws: EnforcedAws;
let dir: string;
/** The calls of the full run (apply, update, prune), before the tests that try what is denied. */
let run: ProxiedCall[] = [];

before(async () => {
  aws = await startEnforcedAws({ MOTO_ECS_SERVICE_RUNNING: '2' });
  Object.assign(process.env, aws.adminEnv);
  const examples = await exampleManifests();
  dir = examples.dir;
  await copyManifests(DEPLOY, examples.fixtures, join(dir, 'ecs-operator'));
  // The prod cluster exists already, untagged, with other capacity providers: the operator adopts it.
  const ecs = admin();
  await ecs.send(new CreateClusterCommand({ clusterName: 'prod', settings: [{ name: 'containerInsights', value: 'enabled' }], capacityProviders: ['FARGATE'] }));
  ecs.destroy();
});

after(async () => {
  await aws?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Replaces text in a manifest of the copy; the text must be there, so an edit of the examples cannot silently void a step. */
async function edit(file: string, from: string | RegExp, to: string): Promise<void> {
  const path = join(dir, file);
  const text = await readFile(path, 'utf8');
  assert.ok(typeof from === 'string' ? text.includes(from) : from.test(text), `${file} has ${from}`);
  await writeFile(path, text.replace(from, to));
}

async function apply(args: string[], env = aws.operatorEnv) {
  const result = await runCli(['apply', dir, '--timeout', '60s', ...args], { env });
  return { ...result, all: `${result.stdout}\n${result.stderr}` };
}

const admin = () => new ECSClient({ endpoint: aws.moto.endpoint, region: REGION, credentials: aws.admin });
const asOperator = () => new ECSClient({ endpoint: aws.proxy.endpoint, region: REGION, credentials: aws.operator, maxAttempts: 1 });
const refused = (calls: ProxiedCall[]) => calls.filter((c) => c.denied || c.status === 403).map((c) => `${c.service}:${c.operation} ${c.status}`);

test('the examples and the operator\'s own deployment apply with only the policy\'s permissions, adopting an existing cluster', async () => {
  await mkdir(join(dir, 'scratch'));
  await writeFile(join(dir, 'scratch', 'cluster.yaml'), 'apiVersion: ecs-operator.dev/v1alpha1\nkind: Cluster\nmetadata: {name: scratch}\nspec: {}\n');
  await edit('web/autoscaling.yaml', '  maxCapacity: 20\n', '  maxCapacity: 20\n  tags: {team: web, tier: front}\n');
  const result = await apply([]);
  assert.equal(result.code, 0, result.all);
  assert.deepEqual(refused(aws.proxy.calls), []);
  assert.match(result.all, /applied: 10 resource\(s\)/);
  const adoption = aws.proxy.calls.filter((c) => c.service === 'ecs' && /^(PutClusterCapacityProviders|TagResource)$/.test(c.operation));
  assert.deepEqual(adoption.map((c) => [c.operation, c.status]), [['PutClusterCapacityProviders', 200], ['TagResource', 200]]);
  assert.deepEqual(adoption.map((c) => evaluate(OPERATOR_POLICY, c.authorizations[0]!).statements), [['AdoptUnowned'], ['ClaimUnowned']]);
});

test('an update (image, cluster configuration, capacity providers and tags, a policy and a scheduled action removed) applies', async () => {
  await edit('web/task-definition.yaml', 'nginx:1.27', 'nginx:1.28');
  await edit('platform/cluster.yaml', 'capacityProviders: [FARGATE, FARGATE_SPOT]', 'capacityProviders: [FARGATE]');
  await edit('platform/cluster.yaml', '/ecs/prod/exec', '/ecs/prod/exec-audit');
  await edit('platform/cluster.yaml', /  tags:\n    - key: environment\n      value: prod\n/, '');
  await edit('web/autoscaling.yaml', /    # A step policy[\s\S]*?scalingAdjustment: 4\n/, '');
  await edit('web/autoscaling.yaml', /    - scheduledActionName: weekday-mornings[\s\S]*$/, '');
  await edit('web/autoscaling.yaml', 'tags: {team: web, tier: front}', 'tags: {team: platform}');
  const result = await apply([]);
  assert.equal(result.code, 0, result.all);
  assert.deepEqual(refused(aws.proxy.calls), []);
});

test('UpdateClusterSettings, which moto does not emulate, passes both IAM checks before moto answers "not implemented"', async () => {
  const before = aws.proxy.calls.length;
  await edit('platform/cluster.yaml', 'value: enabled', 'value: disabled');
  const result = await apply(['--timeout', '3s']);
  await edit('platform/cluster.yaml', 'value: disabled', 'value: enabled');
  assert.equal(result.code, 1, 'the emulator cannot make the change');
  // moto authorizes a call before it dispatches it (moto/core/responses.py call_action): a 500 here
  // means its IAM check passed; a refused one would be 403, or denied by the proxy.
  const calls = aws.proxy.calls.slice(before).filter((c) => c.operation === 'UpdateClusterSettings');
  assert.ok(calls.length > 0 && calls.every((c) => c.status === 500 && !c.denied), `UpdateClusterSettings answered ${calls.map((c) => c.status)}`);
});

test('apply --prune of removed manifests deletes what the operator owns', async () => {
  for (const gone of ['worker', 'scratch', 'web/autoscaling.yaml']) await rm(join(dir, gone), { recursive: true });
  const result = await apply(['--prune']);
  assert.equal(result.code, 0, result.all);
  assert.deepEqual(refused(aws.proxy.calls), []);
  const ecs = admin();
  try {
    const worker = (await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['worker'] }))).services ?? [];
    assert.ok(worker.every((s) => s.status !== 'ACTIVE'), 'the worker service is gone');
    const scratch = (await ecs.send(new DescribeClustersCommand({ clusters: ['scratch'] }))).clusters ?? [];
    assert.ok(scratch.every((c) => c.status === 'INACTIVE'), 'the scratch cluster is gone');
  } finally {
    ecs.destroy();
  }
  run = [...aws.proxy.calls];
});

test('the policy\'s actions are exactly the operations the run made, and those AWS authorizes on its behalf', () => {
  const used = new Set(run.map((c) => `${c.service}:${c.operation}`));
  const implied = new Set(run.flatMap((c) => c.authorizations.filter((a) => a.implied).map((a) => a.action)));
  const policy = policyActions(OPERATOR_POLICY);
  // The lease's actions are used only with --lease-table, and the environments' lookups and roles only
  // with Environments, which this run does not have.
  const unusedApi = (api: string) => ![...used].some((a) => a.startsWith(`${api}:`));
  const expected = policy.filter((a) => !['dynamodb', 'ssm', 'cloudformation', 'sts'].some((api) => unusedApi(api) && a.startsWith(`${api}:`)));
  assert.deepEqual([...used].filter((a) => !policy.includes(a)).sort(), [], 'operations the policy does not grant');
  assert.deepEqual([...implied].filter((a) => !policy.includes(a)).sort(), [], 'authorizations on the operator\'s behalf the policy does not grant');
  assert.deepEqual(expected.filter((a) => !used.has(a) && !implied.has(a)), [], 'actions of the policy the run never needed');
  assert.ok(used.has('elasticloadbalancing:DescribeTargetHealth') && used.has('ecs:DeleteCluster'), 'load balancer checks and prune were part of the run');
  const onBehalf = [...implied].filter((a) => !used.has(a)).sort();
  process.stderr.write(`# ${run.length} calls, ${used.size} operations; authorized on the operator's behalf only: ${onBehalf.join(', ')}\n`);
});

test('moto enforces the policy\'s actions: an action it does not grant is refused with 403', async () => {
  const direct = new ECSClient({ endpoint: aws.moto.endpoint, region: REGION, credentials: aws.operator, maxAttempts: 1 });
  try {
    assert.ok((await direct.send(new ListClustersCommand({}))).clusterArns!.length > 0);
    const err = await direct.send(new RunTaskCommand({ cluster: 'prod', taskDefinition: 'web' })).then(() => undefined, (e: { $metadata?: { httpStatusCode?: number } }) => e);
    assert.equal(err?.$metadata?.httpStatusCode, 403);
  } finally {
    direct.destroy();
  }
});

test('a service the operator does not own cannot be deleted with its credentials, nor another instance\'s updated', async () => {
  const ecs = admin();
  const operator = asOperator();
  try {
    await ecs.send(new RegisterTaskDefinitionCommand({ family: 'payments', containerDefinitions: [{ name: 'app', image: 'nginx', memory: 128 }] }));
    await ecs.send(new CreateServiceCommand({ cluster: 'prod', serviceName: 'payments', taskDefinition: 'payments', desiredCount: 0 }));
    await ecs.send(new CreateServiceCommand({
      cluster: 'prod', serviceName: 'billing', taskDefinition: 'payments', desiredCount: 0, tags: [{ key: 'ecs-operator.dev/managed-by', value: 'other' }],
    }));
    for (const service of ['payments', 'billing']) {
      const err = await operator.send(new DeleteServiceCommand({ cluster: 'prod', service, force: true })).then(() => undefined, (e: Error) => e);
      assert.equal(err?.name, 'AccessDeniedException', `DeleteService ${service}`);
    }
    const err = await operator.send(new UpdateServiceCommand({ cluster: 'prod', service: 'billing', desiredCount: 1 })).then(() => undefined, (e: Error) => e);
    assert.equal(err?.name, 'AccessDeniedException');
    const live = (await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['payments', 'billing'] }))).services!;
    assert.deepEqual(live.map((s) => [s.serviceName, s.status, s.desiredCount]), [['payments', 'ACTIVE', 0], ['billing', 'ACTIVE', 0]]);
    const denied = aws.proxy.calls.filter((c) => c.denied).map((c) => `${c.denied!.action} ${c.denied!.resource.split(':').pop()}`);
    assert.deepEqual(denied, ['ecs:DeleteService service/prod/payments', 'ecs:DeleteService service/prod/billing', 'ecs:UpdateService service/prod/billing']);
  } finally {
    ecs.destroy();
    operator.destroy();
  }
});

test('an operator started as another instance than the policy names is refused at its first write, and apply fails', async () => {
  const before = aws.proxy.calls.length;
  const trial = join(dir, '..', `${dir.split('/').pop()}-trial`);
  await mkdir(trial, { recursive: true });
  await writeFile(join(trial, 'cluster.yaml'), 'apiVersion: ecs-operator.dev/v1alpha1\nkind: Cluster\nmetadata: {name: trial}\nspec: {}\n');
  try {
    const result = await runCli(['apply', trial, '--instance', 'trial', '--timeout', '30s'], { env: aws.operatorEnv });
    assert.equal(result.code, 1, `${result.stdout}\n${result.stderr}`);
    assert.match(`${result.stdout}\n${result.stderr}`, /AccessDenied/);
    assert.deepEqual(aws.proxy.calls.slice(before).filter((c) => c.denied).map((c) => c.denied!.action), ['ecs:CreateCluster']);
  } finally {
    await rm(trial, { recursive: true, force: true });
  }
});

test('a delete moto itself refuses (a user whose policy lacks ecs:DeleteService): 403, the service stays, apply --prune fails', async () => {
  const withoutDelete: PolicyDocument = {
    ...OPERATOR_POLICY,
    Statement: OPERATOR_POLICY.Statement.map((s) => ({ ...s, Action: [s.Action].flat().filter((a) => a !== 'ecs:DeleteService') })),
  };
  const user = await aws.createUser('no-delete', withoutDelete);
  const before = aws.proxy.calls.length;
  await rm(join(dir, 'web', 'service.yaml'));
  const env = { ...aws.operatorEnv, AWS_ACCESS_KEY_ID: user.accessKeyId, AWS_SECRET_ACCESS_KEY: user.secretAccessKey };
  const started = Date.now();
  const result = await runCli(['apply', dir, '--prune', '--timeout', '10s'], { env });
  const calls = aws.proxy.calls.slice(before);
  assert.notEqual(result.code, 0, `${result.stdout}\n${result.stderr}`);
  const deletes = calls.filter((c) => c.operation === 'DeleteService');
  assert.ok(deletes.length > 0 && deletes.every((c) => c.status === 403), `DeleteService answered ${deletes.map((c) => c.status)}`);
  const ecs = admin();
  try {
    const web = (await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }))).services!;
    assert.equal(web[0]?.status, 'ACTIVE');
  } finally {
    ecs.destroy();
  }
  process.stderr.write(`# moto's 403 on DeleteService: ${deletes.length} attempt(s), apply exited ${result.code} after ${Date.now() - started} ms\n`);
});
