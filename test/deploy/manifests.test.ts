// deploy/manifests, the operator's own deployment: valid on its own and next to the examples, and
// consistent with how the operator runs (its flags as variables, the Git token as an ECS secret, the
// health check the image can run, a stop timeout that covers the shutdown, prune never on itself).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validatePaths } from '../support/manifests.js';
import type { ResourceKey } from '../../src/core/types.js';
import { runOptions } from '../../src/cli/run-options.js';
import { parseDuration } from '../../src/core/duration.js';
import { freePort } from '../../src/tools/moto-server.js';
import { eventually, startCli } from '../support/cli.js';
import { EXAMPLES } from '../support/examples.js';

const DEPLOY = fileURLToPath(new URL('../../deploy/manifests', import.meta.url));
type Obj = Record<string, any>;

/** Variables the task sets that name a flag another part of the operator adds (leader election). */
async function operatorDeployment() {
  const result = await validatePaths([DEPLOY]);
  assert.deepEqual(result.errors, []);
  const state = result.state!;
  const spec = (key: ResourceKey) => state.resources.get(key)!.manifest.spec as Obj;
  const container = spec('TaskDefinition/ecs-operator').containerDefinitions[0] as Obj;
  const env = Object.fromEntries((container.environment as Obj[]).map((e) => [e.name, e.value]));
  return { result, state, spec, container, env };
}

test('deploy/manifests: valid, without warnings, and loads next to the examples', async () => {
  const { result, state } = await operatorDeployment();
  assert.deepEqual(result.warnings, []);
  assert.deepEqual(state.order, ['Cluster/ecs-operator', 'TaskDefinition/ecs-operator', 'Service/ecs-operator']);
  const both = await validatePaths([EXAMPLES, DEPLOY]);
  assert.deepEqual(both.errors, []);
  assert.equal(both.state!.resources.size, state.resources.size + (await validatePaths([EXAMPLES])).state!.resources.size);
});

test('every ECS_OPERATOR_* variable of the task is a flag of run, or the variable form of a secret file flag', async () => {
  const { env, container } = await operatorDeployment();
  const parsers = { duration: parseDuration, positiveInt: Number, rateScale: Number };
  const flags = runOptions(parsers).map((o) => o.long!.replace(/^--(no-)?/, ''));
  const name = (flag: string) => `ECS_OPERATOR_${flag.replace(/-/g, '_').toUpperCase()}`;
  const known = new Set(flags.map(name));
  const secretForms = new Set(flags.filter((f) => f.endsWith('-file')).map((f) => name(f.slice(0, -'-file'.length))));
  const variables = [...Object.keys(env), ...(container.secrets as Obj[]).map((s) => s.name as string)];
  for (const variable of variables) {
    assert.ok(known.has(variable) || secretForms.has(variable), `${variable} is no flag of run`);
  }
});

test('the Git token reaches the task only as a secret from Secrets Manager, never as a value', async () => {
  const { container, env } = await operatorDeployment();
  assert.deepEqual(container.secrets, [
    { name: 'ECS_OPERATOR_GIT_TOKEN', valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:ecs-operator/git-token-AbCdEf' },
  ]);
  assert.equal(env.ECS_OPERATOR_GIT_TOKEN, undefined);
  assert.equal(env.ECS_OPERATOR_GIT_TOKEN_FILE, undefined);
  assert.match(env.ECS_OPERATOR_SOURCE, /^https:\/\//, 'the token is for an https Git source');
  assert.equal(env.ECS_OPERATOR_LEASE_TABLE, 'ecs-operator-lease');
});

test('stopTimeout covers the shutdown: the grace period, 5 s to abort what is left and 5 s for queued alerts', async () => {
  const { container, env } = await operatorDeployment();
  const graceS = parseDuration(env.ECS_OPERATOR_SHUTDOWN_GRACE) / 1000;
  assert.ok(container.stopTimeout >= graceS + 10, `stopTimeout ${container.stopTimeout}s < ${graceS}s + 10s`);
  assert.ok(container.stopTimeout <= 120, 'Fargate allows at most 120 s');
});

test('the service: one task, the default rolling deployment, circuit breaker with rollback, never pruned', async () => {
  const { state, spec } = await operatorDeployment();
  const service = spec('Service/ecs-operator');
  assert.equal(service.desiredCount, 1);
  assert.deepEqual(service.deploymentConfiguration, {
    minimumHealthyPercent: 100, maximumPercent: 200, deploymentCircuitBreaker: { enable: true, rollback: true },
  });
  for (const key of ['Cluster/ecs-operator', 'Service/ecs-operator'] as const) assert.equal(state.resources.get(key)!.policy.prune, false, key);
  const td = spec('TaskDefinition/ecs-operator');
  assert.deepEqual([td.networkMode, td.requiresCompatibilities], ['awsvpc', ['FARGATE']]);
  assert.equal(spec('TaskDefinition/ecs-operator').containerDefinitions[0].logConfiguration.logDriver, 'awslogs');
});

test('the health check runs the image\'s own node against /healthz on the container port, and fails when nothing answers', async () => {
  const { container } = await operatorDeployment();
  const [form, program, flag, script] = container.healthCheck.command as string[];
  assert.deepEqual([form, program, flag], ['CMD', 'node', '-e']);
  assert.equal(container.portMappings[0].containerPort, 8080);
  const { env: variables } = await operatorDeployment();
  assert.equal(variables.ECS_OPERATOR_LISTEN, undefined, 'the image\'s default listen address, 0.0.0.0:8080, is the one checked');
  assert.match(readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8'), /ECS_OPERATOR_LISTEN=0\.0\.0\.0:8080/);
  assert.match(script!, /http:\/\/127\.0\.0\.1:8080\/healthz/);
  // The same script against a running operator on a free port, then with nothing listening there.
  const port = await freePort();
  const probe = () => spawnSync(process.execPath, ['-e', script!.replace(':8080/', `:${port}/`)], { timeout: 10_000 }).status;
  const dir = mkdtempSync(join(tmpdir(), 'deploy-health-'));
  // An empty folder makes no AWS call; the endpoint is one that would refuse it anyway.
  const env = { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x' };
  const operator = startCli(['run', '--source', dir, '--listen', `127.0.0.1:${port}`, '--log-level', 'warn'], { env });
  try {
    await eventually(() => (probe() === 0 ? true : undefined), 20_000, 'the health check to pass');
  } finally {
    await operator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(probe(), 1, 'nothing listening: the check fails');
});
