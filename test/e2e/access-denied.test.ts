// A role without a permission, against moto's IAM enforcement (INITIAL_NO_AUTH_ACTION_COUNT through
// /moto-api/reset-auth, see moto/core/authorization.py): the refused write is Stalled at once with
// the operation, the resource and IAM's own words, sent once and never retried, while what the role
// may do is done; `apply` returns without waiting for its timeout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { useMoto } from '../support/moto.js';
import { runCli } from '../support/cli.js';
import { startFaultProxy } from '../support/fault-proxy.js';

const moto = useMoto();

const MANIFESTS = `apiVersion: ecs-operator.dev/v1alpha1
kind: Cluster
metadata: {name: prod}
spec: {}
---
apiVersion: ecs-operator.dev/v1alpha1
kind: TaskDefinition
metadata: {name: web}
spec:
  requiresCompatibilities: [FARGATE]
  networkMode: awsvpc
  cpu: "256"
  memory: "512"
  containerDefinitions:
    - {name: web, image: "public.ecr.aws/nginx/nginx:1.27"}
`;

type Credentials = { AWS_ACCESS_KEY_ID: string; AWS_SECRET_ACCESS_KEY: string };
let deployer: Promise<Credentials> | undefined;

/**
 * A user allowed everything the manifests need but ecs:CreateCluster, and dynamodb:DescribeTable but
 * not dynamodb:CreateTable; IAM is enforced from then on. Made once per moto server.
 */
function userWithoutCreateCluster(): Promise<Credentials> {
  deployer ??= makeUser();
  return deployer;
}

async function makeUser(): Promise<Credentials> {
  const iam = new IAMClient({});
  try {
    await iam.send(new CreateUserCommand({ UserName: 'deployer' }));
    await iam.send(new PutUserPolicyCommand({
      UserName: 'deployer', PolicyName: 'no-clusters',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['ecs:Describe*', 'ecs:List*', 'ecs:RegisterTaskDefinition', 'ecs:TagResource', 'dynamodb:DescribeTable'], Resource: '*' }],
      }),
    }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'deployer' }))).AccessKey!;
    const on = await fetch(`${moto.server.endpoint}/moto-api/reset-auth`, { method: 'POST', body: '0', headers: { 'content-type': 'application/octet-stream' } });
    assert.equal(on.status, 200);
    return { AWS_ACCESS_KEY_ID: key.AccessKeyId!, AWS_SECRET_ACCESS_KEY: key.SecretAccessKey! };
  } finally {
    iam.destroy();
  }
}

test('apply with a role that may not create clusters: Stalled AccessDenied at once, one CreateCluster, the rest applied', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'denied-'));
  await writeFile(join(dir, 'app.yaml'), MANIFESTS);
  const credentials = await userWithoutCreateCluster();
  // Straight to moto (not through the harness's tag proxy), keeping the signed Host header.
  const proxy = await startFaultProxy(`http://127.0.0.1:${moto.server.port}`, {}, 42, { keepHost: true });
  try {
    const started = Date.now();
    const result = await runCli(['apply', dir, '--timeout', '60s'], { env: { ...moto.server.awsEnv, ...credentials, AWS_ENDPOINT_URL: proxy.endpoint } });
    const output = result.stdout + result.stderr;
    assert.equal(result.code, 1, output);
    assert.ok(Date.now() - started < 20_000, `apply returned after ${Date.now() - started}ms`);
    assert.match(output, /Cluster\/prod: .*Stalled: CreateCluster \(clusterName=prod\): access denied \(HTTP 403 AccessDenied\): User: arn:aws:iam::123456789012:user\/deployer is not authorized to perform: ecs:CreateCluster/);
    assert.doesNotMatch(output, /SyntaxError|not valid JSON/);
    assert.equal(proxy.calls.filter((call) => call.operation === 'CreateCluster').length, 1, 'sent once, never retried');
    assert.equal(proxy.calls.filter((call) => call.operation === 'RegisterTaskDefinition').length, 1, 'what the role may do is done');
  } finally {
    await proxy.stop();
  }
});

test('run --lease-table with a role that may not create the table: one line saying how to create it, exit 2', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'denied-'));
  await writeFile(join(dir, 'app.yaml'), MANIFESTS);
  const credentials = await userWithoutCreateCluster();
  const result = await runCli(['run', '--source', dir, '--listen', '127.0.0.1:0', '--lease-table', 'operator-leases'], {
    env: { ...moto.server.awsEnv, ...credentials, AWS_ENDPOINT_URL: `http://127.0.0.1:${moto.server.port}` },
  });
  assert.equal(result.code, 2, result.stderr);
  const errors = result.stderr.split('\n').filter((line) => line.startsWith('error: '));
  assert.equal(errors.length, 1, result.stderr);
  assert.match(errors[0]!, /^error: leader election \(--lease-table\): the lease table operator-leases does not exist and this role may not create it \(CreateTable \(TableName=operator-leases\): access denied \(HTTP 403 AccessDenied\): User: arn:aws:iam::123456789012:user\/deployer is not authorized to perform: dynamodb:CreateTable\): create it with: aws dynamodb create-table --table-name operator-leases --billing-mode PAY_PER_REQUEST --attribute-definitions AttributeName=leaseName,AttributeType=S --key-schema AttributeName=leaseName,KeyType=HASH$/);
});
