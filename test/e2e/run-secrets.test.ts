// Secrets by value in environment variables, as ECS injects them from Secrets Manager or SSM:
// ECS_OPERATOR_GIT_TOKEN authenticates the Git fetch, ECS_OPERATOR_WEBHOOK_SECRET checks push
// webhooks, ECS_OPERATOR_ALERT_WEBHOOK_SECRET signs alerts; none of them shows in the log, the status
// API, the metrics or git's environment. Two sources for one secret, an empty value, or a token for a
// folder source are usage errors that do not print the value either.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { useMoto } from '../support/moto.js';
import { eventually, runCli, startCli } from '../support/cli.js';
import { freePort } from '../../src/tools/moto-server.js';
import { createRepo } from '../sources/git-fixture.js';
import { startGitHttpServer } from '../sources/git-http-server.js';

const moto = useMoto();

const TOKEN = 'ghp_env0token0value0d6f1c2';
const WEBHOOK_SECRET = 'push-secret-9f3e1a';
const ALERT_SECRET = 'alert-key-77c0b4e2';
const VALUES = [TOKEN, WEBHOOK_SECRET, ALERT_SECRET, Buffer.from(`x-access-token:${TOKEN}`).toString('base64')];

// A service in a subnet that does not exist: SyncFailed, so an alert goes out and is signed.
const MANIFESTS = {
  'app.yaml': `apiVersion: ecs-operator.dev/v1alpha1
kind: Cluster
metadata: {name: secrets}
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
---
apiVersion: ecs-operator.dev/v1alpha1
kind: Service
metadata: {name: web}
spec:
  cluster: secrets
  taskDefinition: web
  desiredCount: 1
  launchType: FARGATE
  networkConfiguration:
    awsvpcConfiguration: {subnets: [subnet-00000000000000000]}
`,
};

/** A `git` first on PATH that notes whether any secret variable reached it, then runs the real one. */
function leakCheckingGit(root: string): { path: string; log: string } {
  const bin = join(root, 'bin');
  mkdirSync(bin, { recursive: true });
  const log = join(root, 'git-env.log');
  const real = process.env.PATH!.split(':').map((dir) => join(dir, 'git')).find((file) => existsSync(file))!;
  writeFileSync(join(bin, 'git'), `#!/bin/sh\nenv | grep -c '^ECS_OPERATOR_[A-Z_]*\\(TOKEN\\|SECRET\\)=' >> '${log}'\nexec '${real}' "$@"\n`);
  chmodSync(join(bin, 'git'), 0o755);
  return { path: `${bin}:${process.env.PATH}`, log };
}

test('run with the Git token, the webhook secret and the alert key from environment variables; none of them shows', async () => {
  await moto.server.reset();
  const repo = createRepo();
  const sha = repo.commit(MANIFESTS, 'manifests');
  const server = await startGitHttpServer(repo.root, (auth) => auth === `Basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`);
  const alerts: Array<{ body: string; signature: string | undefined }> = [];
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      alerts.push({ body, signature: req.headers['x-ecs-operator-signature'] as string | undefined });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const git = leakCheckingGit(repo.root);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const op = startCli([
    'run', '--source', `${server.base}/origin.git`, '--listen', `127.0.0.1:${port}`, '--git-cache-dir', join(repo.root, 'cache'),
    '--alert-webhook', `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/alerts`,
  ], {
    env: {
      ...moto.server.awsEnv, PATH: git.path,
      ECS_OPERATOR_GIT_TOKEN: `${TOKEN}\n`, ECS_OPERATOR_WEBHOOK_SECRET: WEBHOOK_SECRET, ECS_OPERATOR_ALERT_WEBHOOK_SECRET: ALERT_SECRET,
    },
  });
  try {
    const status = await eventually(async () => {
      const s = await (await fetch(`${base}/api/v1/status`)).json();
      return s.source?.lastApplied?.id === sha ? s : undefined;
    }, 30_000, 'the commit fetched with the token');
    assert.equal(status.source.phase, 'Ready');

    // The push webhook checks signatures with the secret from the environment.
    const body = JSON.stringify({ ref: 'refs/heads/main' });
    const sign = (secret: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    const push = (signature: string) => fetch(`${base}/hooks/git`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-hub-signature-256': signature } });
    assert.equal((await push(sign(WEBHOOK_SECRET))).status, 202);
    assert.equal((await push(sign('another secret'))).status, 401);

    // Alerts are signed with the key from the environment.
    const alert = await eventually(() => alerts.find((a) => a.body.includes('SyncFailed')), 30_000, 'a SyncFailed alert');
    assert.equal(alert.signature, `sha256=${createHmac('sha256', ALERT_SECRET).update(alert.body).digest('hex')}`);

    const seen = [
      JSON.stringify(await (await fetch(`${base}/api/v1/status`)).json()),
      await (await fetch(`${base}/metrics`)).text(),
      JSON.stringify(await (await fetch(`${base}/api/v1/events`)).json()),
      ...alerts.map((a) => a.body),
    ];
    for (const text of [...seen, op.out.stdout, op.out.stderr]) for (const value of VALUES) assert.ok(!text.includes(value), 'a secret value shows');
    const gitRuns = readFileSync(git.log, 'utf8').trim().split('\n');
    assert.ok(gitRuns.length > 0);
    assert.deepEqual([...new Set(gitRuns)], ['0'], 'git saw no secret variable');
  } finally {
    const code = await op.stop('SIGTERM');
    await server.close();
    await new Promise((resolve) => receiver.close(resolve));
    repo.cleanup();
    assert.equal(code, 0, op.out.stderr.slice(-2000));
  }
  for (const value of VALUES) assert.ok(!op.out.stderr.includes(value));
});

test('a secret from two places, an empty one, or a token for a folder: usage errors that do not show the value', async () => {
  const repo = createRepo();
  try {
    const tokenFile = join(repo.root, 'token');
    writeFileSync(tokenFile, 'file-token-value\n');
    const url = 'https://git.example.com/org/repo.git';
    const cases: Array<{ args: string[]; env: Record<string, string>; error: RegExp }> = [
      { args: ['--source', url, '--git-token-file', tokenFile], env: { ECS_OPERATOR_GIT_TOKEN: TOKEN }, error: /^error: --git-token-file and ECS_OPERATOR_GIT_TOKEN both give the secret: set only one of them$/m },
      { args: ['--source', url], env: { ECS_OPERATOR_GIT_TOKEN_FILE: tokenFile, ECS_OPERATOR_GIT_TOKEN: TOKEN }, error: /^error: --git-token-file and ECS_OPERATOR_GIT_TOKEN both give the secret/m },
      { args: ['--source', url], env: { ECS_OPERATOR_GIT_TOKEN: ' \n' }, error: /^error: ECS_OPERATOR_GIT_TOKEN is set but empty$/m },
      { args: ['--source', repo.root], env: { ECS_OPERATOR_GIT_TOKEN: TOKEN }, error: /^error: ECS_OPERATOR_GIT_TOKEN applies to a Git source only/m },
      { args: ['--source', 'ssh://git@example.com/repo.git'], env: { ECS_OPERATOR_GIT_TOKEN: TOKEN }, error: /^error: ECS_OPERATOR_GIT_TOKEN needs an https:\/\/ source URL/m },
      { args: ['--source', repo.root], env: { ECS_OPERATOR_WEBHOOK_SECRET: '' }, error: /^error: ECS_OPERATOR_WEBHOOK_SECRET is set but empty$/m },
      { args: ['--source', repo.root], env: { ECS_OPERATOR_ALERT_WEBHOOK_SECRET: ALERT_SECRET }, error: /^error: ECS_OPERATOR_ALERT_WEBHOOK_SECRET needs --alert-webhook$/m },
    ];
    for (const c of cases) {
      const result = await runCli(['run', '--listen', '127.0.0.1:0', ...c.args], { env: c.env });
      assert.equal(result.code, 2, `${JSON.stringify(c.env)}: ${result.stderr}`);
      assert.match(result.stderr, c.error);
      for (const value of [TOKEN, ALERT_SECRET, 'file-token-value']) assert.ok(!result.stderr.includes(value), result.stderr);
    }
  } finally {
    repo.cleanup();
  }
});
