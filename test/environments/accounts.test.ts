// Environments through the built CLI against moto, in two accounts and two Regions: the example
// (examples/accounts) renders with its SSM and CloudFormation lookups, applies staging into the
// operator's account in us-east-1 and production through its role into another account in eu-west-1,
// and a second apply writes nothing in either; a changed SSM parameter changes what uses it and
// nothing else; a mistake in any environment is an error at file:line
// naming it, and nothing is applied anywhere; pruning is per environment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { DescribeServicesCommand, ECSClient, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { useMoto } from '../support/moto.js';
import { runCli } from '../support/cli.js';
import { ecsInventory } from '../support/aws.js';
import { configOf, PRODUCTION, putNetwork, seedAccounts, type AccountEnvironment } from '../../src/tools/account-fixtures.js';

// moto reports one running count for every service: the rollouts of counts 1 and 3 are not waited for (--no-wait).
const moto = useMoto();
const EXAMPLE = fileURLToPath(new URL('../../examples/accounts', import.meta.url));

async function copyExample(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ecs-operator-accounts-'));
  await cp(EXAMPLE, dir, { recursive: true });
  return dir;
}

async function edit(file: string, from: string | RegExp, to: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  const next = text.replace(from, to);
  assert.notEqual(next, text, `${file} changed`);
  await writeFile(file, next);
}

async function withEcs<T>(env: AccountEnvironment, use: (ecs: ECSClient) => Promise<T>): Promise<T> {
  const ecs = new ECSClient(configOf(env));
  try {
    return await use(ecs);
  } finally {
    ecs.destroy();
  }
}

const inventory = (env: AccountEnvironment) => withEcs(env, ecsInventory);
const service = (env: AccountEnvironment, name: string) =>
  withEcs(env, async (ecs) => (await ecs.send(new DescribeServicesCommand({ cluster: 'apps', services: [name] }))).services?.find((s) => s.status === 'ACTIVE'));

async function apply(dir: string, ...extra: string[]) {
  const r = await runCli(['apply', dir, '-o', 'json', '--no-wait', '--timeout', '60s', ...extra], { env: moto.server.awsEnv });
  return { ...r, json: JSON.parse(r.stdout || '{}') };
}

const byEnvironment = (json: { environments: Array<{ environment: string }> }) => Object.fromEntries(json.environments.map((e) => [e.environment, e])) as Record<string, any>;

test('two environments render with SSM and CloudFormation values, apply into two accounts and Regions, and a second apply writes nothing', async () => {
  await moto.server.reset();
  const networks = await seedAccounts();
  const dir = await copyExample();

  const offline = await runCli(['render', dir], { env: moto.server.awsEnv });
  assert.equal(offline.code, 1, 'render makes no lookup unless asked');
  assert.match(offline.stderr, /environment "staging": SSM parameter "\/network\/private-subnets" needs an AWS lookup/);

  const rendered = await runCli(['render', dir, '--lookups', '-o', 'json'], { env: moto.server.awsEnv });
  assert.equal(rendered.code, 0, rendered.stderr);
  const envs = Object.fromEntries(JSON.parse(rendered.stdout).environments.map((e: any) => [e.name, e]));
  const spec = (env: string, kind: string, name: string) => envs[env].resources.find((r: any) => r.kind === kind && r.name === name).manifest.spec;
  assert.deepEqual(envs.production.target, { region: 'eu-west-1', roleArn: PRODUCTION.roleArn, externalId: PRODUCTION.externalId });
  assert.deepEqual(spec('staging', 'Service', 'web').networkConfiguration.awsvpcConfiguration.subnets, networks.staging.subnets);
  assert.deepEqual(spec('production', 'Service', 'web').networkConfiguration.awsvpcConfiguration.subnets, networks.production.subnets);
  assert.deepEqual([spec('staging', 'Service', 'web').desiredCount, spec('production', 'Service', 'web').desiredCount], [1, 3]);
  assert.equal(parseAllDocuments((await runCli(['render', dir, '--lookups'], { env: moto.server.awsEnv })).stdout).length, 10);

  const first = await apply(dir);
  assert.equal(first.code, 0, first.stderr);
  const applied = byEnvironment(first.json);
  assert.deepEqual(Object.keys(applied).sort(), ['production', 'staging']);
  for (const env of ['staging', 'production']) {
    assert.equal(applied[env].ok, true, env);
    assert.equal(applied[env].awsCalls.byOperation['ecs:CreateService'], 2, env);
  }
  assert.equal(applied.production.instance, 'production');
  const staging = await inventory('staging');
  const production = await inventory('production');
  assert.deepEqual([staging.services.length, production.services.length], [2, 2]);
  assert.ok(production.services.every((arn) => arn.startsWith(`arn:aws:ecs:eu-west-1:${PRODUCTION.account}:`)), production.services.join());
  assert.ok(staging.services.every((arn) => arn.startsWith('arn:aws:ecs:us-east-1:123456789012:')), staging.services.join());
  assert.equal((await service('production', 'web'))?.desiredCount, 3);
  assert.deepEqual((await service('production', 'web'))?.networkConfiguration?.awsvpcConfiguration?.subnets, networks.production.subnets);
  const tags = await withEcs('production', async (ecs) => (await ecs.send(new DescribeServicesCommand({ cluster: 'apps', services: ['web'], include: ['TAGS'] }))).services![0]!.tags);
  assert.deepEqual(tags?.find((t) => t.key === 'ecs-operator.dev/managed-by')?.value, 'production', 'owned by its own instance');

  const second = await apply(dir);
  assert.equal(second.code, 0, second.stderr);
  for (const [env, result] of Object.entries(byEnvironment(second.json))) assert.equal(result.awsCalls.writes, 0, `${env}: ${JSON.stringify(result.awsCalls)}`);
  const diff = await runCli(['diff', dir], { env: moto.server.awsEnv });
  assert.equal(diff.code, 0, diff.stdout + diff.stderr);
  assert.match(diff.stdout, /^# environment "production" \(.*production\/environment\.yaml\): region eu-west-1, role arn:aws:iam::210987654321:role\/ecs-operator-deploy, instance production$/m);
  assert.match(diff.stdout, /^# environment "staging" .*\nin sync: 5 resource\(s\)$/m);

  // Production's network changes its SSM parameter: its two services change, nothing else anywhere.
  await putNetwork('production', { subnets: networks.production.subnets.slice(0, 1) });
  const planned = await runCli(['diff', dir, '-o', 'json'], { env: moto.server.awsEnv });
  assert.equal(planned.code, 1, planned.stderr);
  const plans = byEnvironment(JSON.parse(planned.stdout));
  const changed = (env: string) => plans[env].resources.filter((r: any) => r.action !== 'in-sync').map((r: any) => `${r.key} ${r.action}`);
  assert.deepEqual([changed('production'), changed('staging')], [['Service/web update', 'Service/worker update'], []]);
  const third = byEnvironment((await apply(dir)).json);
  const writes = (env: string) => Object.entries(third[env].awsCalls.byOperation as Record<string, number>).filter(([op]) => !/:(Describe|List)/.test(op));
  assert.deepEqual(Object.fromEntries(writes('production')), { 'ecs:UpdateService': 2, 'ecs:TagResource': 2 });
  assert.deepEqual(writes('staging'), []);
  assert.deepEqual((await service('production', 'web'))?.networkConfiguration?.awsvpcConfiguration?.subnets, networks.production.subnets.slice(0, 1));
});

test('a value typo, a wrong type, a missing SSM parameter and a patch on a resource not included: each at file:line naming its environment, nothing applied anywhere', async () => {
  await moto.server.reset();
  await seedAccounts();
  const dir = await copyExample();
  await edit(join(dir, 'base/worker/task-definition.yaml'), '${{ values.logLevel }}', '${{ values.logLevle }}');
  await edit(join(dir, 'staging/environment.yaml'), 'webCount: 1', 'webCount: "one"');
  await edit(join(dir, 'production/environment.yaml'), 'ssm: /network/private-subnets', 'ssm: /network/private-subnet');
  await edit(join(dir, 'production/environment.yaml'), '  valuesFrom:', '  patches:\n    - kind: Service\n      name: api\n      spec: {desiredCount: 2}\n  valuesFrom:');
  const r = await apply(dir);
  assert.equal(r.code, 1);
  const lines = r.stderr.trim().split('\n');
  const has = (pattern: RegExp) => assert.ok(lines.some((l) => pattern.test(l)), `${pattern} in\n${r.stderr}`);
  has(/base\/worker\/task-definition\.yaml:16:\d+: environment "staging": unknown value "logLevle" \(did you mean "logLevel"\?\)/);
  has(/base\/worker\/task-definition\.yaml:16:\d+: environment "production": unknown value "logLevle"/);
  has(/base\/web\/service\.yaml:10:\d+: environment "staging": must be an integer, got string; value "webCount" is set at .*staging\/environment\.yaml:13:\d+/);
  has(/production\/environment\.yaml:\d+:\d+: environment "production": SSM parameter "\/network\/private-subnet" does not exist in eu-west-1/);
  has(/production\/environment\.yaml:\d+:\d+: environment "production": .*Service "api"/);
  assert.match(lines.at(-1)!, /^nothing applied: \d+ manifest error\(s\)$/);
  for (const env of ['staging', 'production'] as const) assert.deepEqual(await inventory(env), { clusters: [], services: [], taskDefinitions: [] }, env);
});

test('pruning is per environment: a service production no longer includes goes from production only', async () => {
  await moto.server.reset();
  await seedAccounts();
  const dir = await copyExample();
  assert.equal((await apply(dir)).code, 0);
  await edit(join(dir, 'production/environment.yaml'), '    - ../base\n', '    - ../base/platform\n    - ../base/web\n');
  const r = await apply(dir, '--prune');
  assert.equal(r.code, 0, r.stderr);
  const result = byEnvironment(r.json);
  assert.deepEqual(result.production.pruned.deleted.sort(), ['Service/worker', 'TaskDefinition/worker']);
  assert.equal(result.staging.pruned.deleted.length, 0);
  assert.equal(await service('production', 'worker'), undefined);
  assert.ok(await service('staging', 'worker'), 'staging keeps its worker');
  const families = await withEcs('staging', async (ecs) => (await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'worker', status: 'ACTIVE' }))).taskDefinitionArns ?? []);
  assert.equal(families.length, 1);
});
