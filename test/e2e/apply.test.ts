// The CLI end to end against moto: validate, apply, diff, idempotency, the cost of a change, reuse of an
// equal task definition registered out of band, and "nothing written" for a broken revision.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DescribeTaskDefinitionCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { useMoto } from '../support/moto.js';
import { runCli } from '../support/cli.js';
import { ecsClient, ecsInventory } from '../support/aws.js';
import { exampleManifests } from '../support/examples.js';

const moto = useMoto({ MOTO_ECS_SERVICE_RUNNING: '2' });
const env = () => moto.server.awsEnv;

async function applyJson(dir: string) {
  const r = await runCli(['apply', dir, '-o', 'json', '--timeout', '60s'], { env: env() });
  return { ...r, json: JSON.parse(r.stdout) };
}

test('the examples validate; apply converges; a second apply writes nothing and diff exits 0', async () => {
  await moto.server.reset();
  const { dir } = await exampleManifests();
  const valid = await runCli(['validate', dir]);
  assert.equal(valid.code, 0, valid.stdout);

  const first = await applyJson(dir);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.json.ok, true);
  for (const r of first.json.resources) assert.deepEqual([r.key, r.sync, r.health], [r.key, 'Synced', 'Healthy']);
  assert.equal(first.json.awsCalls.byOperation['ecs:CreateService'], 2);

  const second = await applyJson(dir);
  assert.equal(second.code, 0);
  assert.equal(second.json.awsCalls.writes, 0, JSON.stringify(second.json.awsCalls));

  const diff = await runCli(['diff', dir], { env: env() });
  assert.equal(diff.code, 0, diff.stdout);
  assert.match(diff.stdout, /in sync: 6 resource\(s\)/);
});

// The TagResource keeps the service's applied-hash tag current: it records the revision the service
// was moved to, so that after a restart the move is known as Git's and a later move by hand as
// drift. UpdateService takes no tags; the revision's own tags are folded into RegisterTaskDefinition.
test('changing one container image costs one RegisterTaskDefinition, one UpdateService and one TagResource', async () => {
  await moto.server.reset();
  const { dir } = await exampleManifests();
  assert.equal((await applyJson(dir)).code, 0);
  const file = join(dir, 'web/task-definition.yaml');
  await writeFile(file, (await readFile(file, 'utf8')).replace('nginx:1.27', 'nginx:1.28'));

  const diff = await runCli(['diff', dir], { env: env() });
  assert.equal(diff.code, 1);
  assert.match(diff.stdout, /^-\s+image: public\.ecr\.aws\/nginx\/nginx:1\.27$/m);
  assert.match(diff.stdout, /^\+\s+image: public\.ecr\.aws\/nginx\/nginx:1\.28$/m);

  const applied = await applyJson(dir);
  assert.equal(applied.code, 0);
  const writes = Object.entries(applied.json.awsCalls.byOperation as Record<string, number>).filter(([op]) => !/:(Describe|List)/.test(op));
  assert.deepEqual(Object.fromEntries(writes), { 'ecs:RegisterTaskDefinition': 1, 'ecs:UpdateService': 1, 'ecs:TagResource': 1 });
  const web = applied.json.resources.find((r: { key: string }) => r.key === 'Service/web');
  assert.deepEqual(web.actions, ['updated']);
  assert.equal(web.causes.length, 1);
  assert.match(web.causes[0], /^Git revision [0-9a-f]+: TaskDefinition\/web is now task-definition\/web:2$/);
});

test('a task definition registered out of band with every AWS default written out is reused', async () => {
  await moto.server.reset();
  const { dir } = await exampleManifests();
  const ecs = ecsClient();
  // What `aws ecs describe-task-definition` shows for the web manifest, defaults and all.
  await ecs.send(new RegisterTaskDefinitionCommand({
    family: 'web', networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'], cpu: '256', memory: '512',
    executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
    runtimePlatform: { cpuArchitecture: 'X86_64', operatingSystemFamily: 'LINUX' },
    volumes: [], placementConstraints: [],
    containerDefinitions: [{
      name: 'web', image: 'public.ecr.aws/nginx/nginx:1.27', cpu: 0, essential: true,
      portMappings: [{ containerPort: 80, hostPort: 80, protocol: 'tcp', name: 'http', appProtocol: 'http' }],
      environment: [], mountPoints: [], volumesFrom: [], systemControls: [],
      healthCheck: { command: ['CMD-SHELL', 'curl -fsS http://localhost/ || exit 1'], interval: 30, timeout: 5, retries: 3, startPeriod: 10 },
      logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/prod/web', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'web', 'awslogs-create-group': 'true' }, secretOptions: [] },
    }],
  }));
  const applied = await applyJson(dir);
  assert.equal(applied.code, 0, applied.stderr);
  assert.equal(applied.json.awsCalls.byOperation['ecs:RegisterTaskDefinition'], 1, 'only worker is registered');
  const latest = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web' }));
  assert.equal(latest.taskDefinition?.revision, 1, 'no new revision of web');
  const web = applied.json.resources.find((r: { key: string }) => r.key === 'Service/web');
  assert.match(web.liveArn, /service\/prod\/web$/);
  ecs.destroy();
});

test('a malformed revision is rejected with file:line and nothing is written to AWS', async () => {
  await moto.server.reset();
  const { dir } = await exampleManifests();
  const file = join(dir, 'web/service.yaml');
  await writeFile(file, (await readFile(file, 'utf8')).replace('desiredCount: 2', 'desiredCount: two').replace('launchType:', 'lanchType:'));
  const valid = await runCli(['validate', dir]);
  assert.equal(valid.code, 1);
  assert.match(valid.stdout, /web\/service\.yaml:\d+:\d+: .*desiredCount/);
  assert.match(valid.stdout, /web\/service\.yaml:\d+:\d+: .*lanchType.*did you mean "launchType"/);

  const applied = await runCli(['apply', dir], { env: env() });
  assert.equal(applied.code, 1);
  assert.match(applied.stderr, /nothing applied: 2 manifest error\(s\)/);
  const ecs = ecsClient();
  assert.deepEqual(await ecsInventory(ecs), { clusters: [], services: [], taskDefinitions: [] });
  ecs.destroy();
});

test('a change to a create-only field is Stalled "requires replacement", never made', async () => {
  await moto.server.reset();
  const { dir } = await exampleManifests();
  assert.equal((await applyJson(dir)).code, 0);
  const file = join(dir, 'worker/service.yaml');
  const text = await readFile(file, 'utf8');
  await writeFile(file, text.includes('launchType: FARGATE') ? text.replace('launchType: FARGATE', 'launchType: EC2') : `${text}\n  launchType: EC2\n`);
  const applied = await applyJson(dir);
  assert.equal(applied.code, 1);
  const worker = applied.json.resources.find((r: { key: string }) => r.key === 'Service/worker');
  assert.equal(worker.conditions[0].reason, 'RequiresReplacement');
  assert.match(worker.conditions[0].message, /\/launchType/);
  assert.equal(applied.json.awsCalls.writes, 0);
});

test('usage errors exit 2', async () => {
  assert.equal((await runCli(['validate'])).code, 2);
  assert.equal((await runCli(['validate', '/no/such/path'])).code, 2);
  assert.equal((await runCli(['apply', '.', '--timeout', '10'])).code, 2);
  assert.equal((await runCli(['frobnicate'])).code, 2);
});

test('metadata.dependsOn orders resources beyond their references; a cycle is rejected by validate', async () => {
  await moto.server.reset();
  const { dir } = await exampleManifests();
  const file = join(dir, 'worker/service.yaml');
  const text = await readFile(file, 'utf8');
  await writeFile(file, text.replace('  name: worker\n', '  name: worker\n  dependsOn: [{kind: Service, name: web}]\n'));
  const applied = await runCli(['apply', dir], { env: env() });
  assert.equal(applied.code, 0, applied.stderr);
  const lines = applied.stderr.split('\n');
  const done = (key: string) => lines.findIndex((l) => l.startsWith(`✓ ${key}:`));
  assert.ok(done('Service/web') >= 0 && done('Service/web') < done('Service/worker'), applied.stderr);
  assert.match(applied.stderr, /Service\/worker: waiting for .*Service\/web/);

  const web = join(dir, 'web/service.yaml');
  await writeFile(web, (await readFile(web, 'utf8')).replace('  name: web', '  name: web\n  dependsOn: [{kind: Service, name: worker}]'));
  const cycle = await runCli(['validate', dir]);
  assert.equal(cycle.code, 1);
  assert.match(cycle.stdout, /dependency cycle: Service\/(web|worker) -> Service\/(worker|web) -> Service\/(web|worker)/);
});
