// `ecs-operator render` through the built CLI: the example environments render to the specs they
// declare, each document after a comment naming its environment and files; a folder without an
// Environment renders as it is, and what render prints is valid input again; errors go to stderr
// naming both files, with exit 1, and only the valid environments are printed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { runCli } from '../support/cli.js';
import { EXAMPLES } from '../support/examples.js';

const ENVIRONMENTS = fileURLToPath(new URL('../../examples/environments', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Printed {
  comment: string;
  manifest: any;
}

/** The documents render printed, with the comment before each. */
function printed(stdout: string): Printed[] {
  return parseAllDocuments(stdout).map((doc) => ({ comment: doc.commentBefore ?? (doc.contents as { commentBefore?: string } | null)?.commentBefore ?? '', manifest: doc.toJS() }));
}

const find = (docs: Printed[], env: string, kind: string, name: string) => {
  const doc = docs.find((d) => d.comment.includes(`environment "${env}"`) && d.manifest.kind === kind && d.manifest.metadata.name === name);
  assert.ok(doc, `${env} ${kind}/${name} printed`);
  return doc;
};

test('the example environments render to their counts, images, subnets, log levels and targets', async () => {
  const r = await runCli(['render', 'examples/environments'], { cwd: ROOT });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /staging\/environment\.yaml:20:7: warning: environment "staging": process variable WEB_TAG is not allowed.*its default is used/);
  const docs = printed(r.stdout);
  assert.deepEqual(docs.map((d) => `${d.comment.match(/environment "(\w+)"/)?.[1]} ${d.manifest.kind}/${d.manifest.metadata.name}`), [
    'production Cluster/apps', 'production TaskDefinition/web', 'production TaskDefinition/worker', 'production Service/web', 'production Service/worker', 'production ServiceAutoScaling/web',
    'staging Cluster/apps', 'staging TaskDefinition/web', 'staging TaskDefinition/worker', 'staging Service/web', 'staging Service/worker',
  ]);
  const web = (env: string) => find(docs, env, 'Service', 'web').manifest.spec;
  assert.deepEqual([web('staging').desiredCount, web('production').desiredCount], [1, 3]);
  assert.deepEqual(web('staging').networkConfiguration.awsvpcConfiguration.subnets, ['subnet-0a1b2c3d']);
  assert.deepEqual(web('production').networkConfiguration.awsvpcConfiguration.subnets, ['subnet-0a1b2c3d', 'subnet-4e5f6a7b']);
  const container = (env: string) => find(docs, env, 'TaskDefinition', 'web').manifest.spec.containerDefinitions[0];
  assert.equal(container('staging').image, 'public.ecr.aws/nginx/nginx:1.27');
  assert.match(container('production').image, /^public\.ecr\.aws\/nginx\/nginx@sha256:[0-9a-f]{64}$/);
  assert.deepEqual(container('staging').environment, [{ name: 'LOG_LEVEL', value: 'debug' }, { name: 'DEPLOYED_TO', value: 'staging' }]);
  assert.deepEqual(container('production').environment, [{ name: 'LOG_LEVEL', value: 'warn' }, { name: 'DEPLOYED_TO', value: 'production' }, { name: 'LOG_FORMAT', value: 'json' }]);
  const worker = find(docs, 'staging', 'TaskDefinition', 'worker').manifest.spec.containerDefinitions[0];
  assert.match(worker.command[2], /echo "tick from \$\{HOSTNAME\} \(\$\{\{ not a value \}\}\)"/, 'shell syntax untouched, $${{ written as ${{');
  const header = find(docs, 'production', 'Service', 'web').comment;
  assert.match(header, /^ environment "production" \(examples\/environments\/production\/environment\.yaml\): region eu-west-1, role arn:aws:iam::210987654321:role\/ecs-operator-deploy\n Service "web" from examples\/environments\/base\/web\/service\.yaml, examples\/environments\/production\/environment\.yaml$/);
  assert.match(find(docs, 'production', 'ServiceAutoScaling', 'web').comment, /ServiceAutoScaling "web" from examples\/environments\/production\/web-autoscaling\.yaml$/);
});

test('an allowed process variable sets the staging tag; --environment picks one; JSON carries targets and sources', async () => {
  const r = await runCli(['render', ENVIRONMENTS, '--allow-env', 'WEB_TAG', '-e', 'staging'], { env: { WEB_TAG: '1.28' } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  const docs = printed(r.stdout);
  assert.ok(docs.every((d) => d.comment.includes('environment "staging"')));
  assert.equal(find(docs, 'staging', 'TaskDefinition', 'web').manifest.spec.containerDefinitions[0].image, 'public.ecr.aws/nginx/nginx:1.28');

  const json = await runCli(['render', ENVIRONMENTS, '-o', 'json']);
  assert.equal(json.code, 0, json.stderr);
  const out = JSON.parse(json.stdout);
  assert.equal(out.valid, true);
  assert.deepEqual(out.environments.map((e: any) => [e.name, e.target, e.valid]), [
    ['production', { region: 'eu-west-1', roleArn: 'arn:aws:iam::210987654321:role/ecs-operator-deploy' }, true],
    ['staging', { region: 'us-east-1' }, true],
  ]);
  const web = out.environments[0].resources.find((r: any) => r.kind === 'Service' && r.name === 'web');
  assert.deepEqual(web.sources, [join(ENVIRONMENTS, 'base/web/service.yaml'), join(ENVIRONMENTS, 'production/environment.yaml')]);
  assert.equal(web.manifest.spec.desiredCount, 3);

  const unknown = await runCli(['render', ENVIRONMENTS, '-e', 'qa']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /^error: no environment named "qa" in .* \(environments: production, staging\)$/m);
  assert.equal((await runCli(['render', join(ENVIRONMENTS, 'nothing-here')])).code, 2);
});

test('a folder without an Environment renders as it is, and the output is valid input again', async () => {
  const r = await runCli(['render', 'manifests'], { cwd: ROOT });
  assert.equal(r.code, 0, r.stderr);
  const docs = printed(r.stdout);
  assert.ok(docs.length > 0 && docs.every((d) => /^ \w+ "[\w-]+" from manifests\/[\w/-]+\.(yaml|json)$/.test(d.comment)), docs.map((d) => d.comment).join('\n'));
  const dir = await mkdtemp(join(tmpdir(), 'render-'));
  try {
    await writeFile(join(dir, 'rendered.yaml'), r.stdout);
    const again = await runCli(['validate', '-o', 'json', dir]);
    const original = await runCli(['validate', '-o', 'json', EXAMPLES]);
    assert.equal(again.code, 0, again.stdout);
    const resources = (out: string) => JSON.parse(out).resources.map((x: any) => `${x.kind}/${x.name}`).sort();
    assert.deepEqual(resources(again.stdout), resources(original.stdout));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('mistakes: exit 1, each error on stderr naming the environment and both files; the valid environment is printed', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'render-'));
  try {
    await cp(ENVIRONMENTS, dir, { recursive: true });
    const production = join(dir, 'production/environment.yaml');
    const text = await readFile(production, 'utf8');
    await writeFile(production, text.replace('webCount: 3', 'webCount: "three"').replace('    - kind: Service\n      name: web', '    - kind: Service\n      name: wbe').replace('- container: web', '- container: wbe'));
    const r = await runCli(['render', dir]);
    assert.equal(r.code, 1, r.stdout);
    const file = (f: string) => join(dir, f);
    const errors = r.stderr.split('\n').filter((l) => !l.includes('warning') && l.includes(': '));
    assert.deepEqual(errors, [
      `${file('base/web/service.yaml')}:9:17: environment "production": must be an integer, got string; value "webCount" is set at ${file('production/environment.yaml')}:15:5 (at /spec/desiredCount)`,
      `${file('production/environment.yaml')}:21:7: environment "production": no container named "wbe" in the included task definitions (did you mean "web"?) (at /spec/images/0/container)`,
      `${file('production/environment.yaml')}:34:13: environment "production": patches Service "wbe", which the environment does not include (did you mean "web"?) (at /spec/patches/1/name)`,
      'invalid: 3 error(s)',
    ]);
    const docs = printed(r.stdout);
    assert.ok(docs.length > 0 && docs.every((d) => d.comment.includes('environment "staging"')), 'only the valid environment is printed');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a secret-looking value is masked in what render prints, YAML and JSON alike', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'render-'));
  try {
    await cp(ENVIRONMENTS, dir, { recursive: true });
    const td = join(dir, 'base/web/task-definition.yaml');
    await writeFile(td, (await readFile(td, 'utf8')).replace('        - {name: DEPLOYED_TO', '        - {name: DB_PASSWORD, value: "${{ values.dbPassword }}"}\n        - {name: DEPLOYED_TO'));
    for (const env of ['staging', 'production']) {
      const file = join(dir, env, 'environment.yaml');
      await writeFile(file, (await readFile(file, 'utf8')).replace('  values:\n', '  values:\n    dbPassword: correct-horse-battery\n'));
    }
    for (const output of ['yaml', 'json']) {
      const r = await runCli(['render', dir, '-o', output]);
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stdout, /correct-horse-battery/, output);
      assert.match(r.stdout, /DB_PASSWORD/, `${output}: the name stays`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
