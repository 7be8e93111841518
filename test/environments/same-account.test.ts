// Two environments in one account and Region, through the built CLI against moto: each owns what it
// creates under its own instance (its name), so a prune in one never reaches the other's resources,
// and a resource of one name that the other already owns is not taken over: it is refused as owned
// by another instance, and the owner's copy stays as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DescribeClustersCommand, DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { useMoto } from '../support/moto.js';
import { runCli } from '../support/cli.js';
import { ecsClient } from '../support/aws.js';
import { ENV_HEADER } from './helpers.js';

const moto = useMoto();

const BASE = {
  'base/cluster.yaml': 'apiVersion: ecs-operator.dev/v1alpha1\nkind: Cluster\nmetadata:\n  name: ${{ values.cluster }}\nspec: {}\n',
  'base/web/task-definition.yaml': 'apiVersion: ecs-operator.dev/v1alpha1\nkind: TaskDefinition\nmetadata:\n  name: ${{ environment.name }}-web\nspec:\n  containerDefinitions:\n    - {name: web, image: "public.ecr.aws/nginx/nginx:1.27", memory: 128}\n',
  'base/web/service.yaml': 'apiVersion: ecs-operator.dev/v1alpha1\nkind: Service\nmetadata:\n  name: web\nspec:\n  cluster: ${{ values.cluster }}\n  taskDefinition: ${{ environment.name }}-web\n  desiredCount: 1\n',
};
const env = (name: string, cluster: string, include = ['../base']) =>
  `${ENV_HEADER}metadata:\n  name: ${name}\nspec:\n  include: [${include.join(', ')}]\n  target: {region: us-east-1}\n  values: {cluster: ${cluster}}\n`;

async function write(files: Record<string, string>, dir?: string): Promise<string> {
  const root = dir ?? (await mkdtemp(join(tmpdir(), 'ecs-operator-same-account-')));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

async function apply(dir: string, ...extra: string[]) {
  const r = await runCli(['apply', dir, '-o', 'json', '--no-wait', '--timeout', '60s', ...extra], { env: moto.server.awsEnv });
  return { ...r, json: JSON.parse(r.stdout || '{}') };
}

const byName = (json: any) => Object.fromEntries((json.environments ?? []).map((e: any) => [e.environment, e]));

test('two environments in one account: each prunes only what its instance owns', async () => {
  await moto.server.reset();
  const dir = await write({ ...BASE, 'staging/environment.yaml': env('staging', 'staging-apps'), 'qa/environment.yaml': env('qa', 'qa-apps') });
  const first = await apply(dir);
  assert.equal(first.code, 0, first.stderr);
  assert.deepEqual(Object.keys(byName(first.json)).sort(), ['qa', 'staging']);

  // qa stops including its service: only qa's Service/web and its task definition go, staging's stay.
  await write({ 'qa/environment.yaml': env('qa', 'qa-apps', ['../base/cluster.yaml']) }, dir);
  const pruned = await apply(dir, '--prune');
  assert.equal(pruned.code, 0, pruned.stderr);
  const results = byName(pruned.json);
  assert.deepEqual([...results.qa.pruned.deleted].sort(), ['Service/web', 'TaskDefinition/qa-web']);
  assert.deepEqual(results.staging.pruned.deleted, []);
  const ecs = ecsClient();
  try {
    const active = async (cluster: string) => (await ecs.send(new DescribeServicesCommand({ cluster, services: ['web'] }))).services?.filter((s) => s.status === 'ACTIVE').length ?? 0;
    assert.equal(await active('staging-apps'), 1, "staging's service stays");
    assert.equal(await active('qa-apps'), 0, "qa's service is gone");
  } finally {
    ecs.destroy();
  }
});

test("an environment does not take over a resource another environment's instance owns", async () => {
  await moto.server.reset();
  const dir = await write({ ...BASE, 'staging/environment.yaml': env('staging', 'shared') });
  assert.equal((await apply(dir)).code, 0);
  await write({ 'qa/environment.yaml': env('qa', 'shared') }, dir);
  const r = await apply(dir);
  assert.equal(r.code, 1, 'qa cannot converge on a cluster staging owns');
  const qa = byName(r.json).qa;
  const cluster = qa.resources.find((s: any) => s.key === 'Cluster/shared');
  assert.match(JSON.stringify(cluster.conditions), /staging/, JSON.stringify(cluster));
  assert.equal(byName(r.json).staging.ok, true);
  const ecs = ecsClient();
  try {
    const tags = (await ecs.send(new DescribeClustersCommand({ clusters: ['shared'], include: ['TAGS'] }))).clusters?.[0]?.tags;
    assert.equal(tags?.find((t) => t.key === 'ecs-operator.dev/managed-by')?.value, 'staging', 'still staging\'s');
  } finally {
    ecs.destroy();
  }
});
