// The complete plan through the built CLI against moto: after a manifest is removed, `diff` notes the
// owned resources no longer declared, `diff --prune` lists them as `- Kind/name (prune)` and exits 1,
// --prune-max shows them blocked, `--output json` carries kind, name, file, line, action, the
// differences, a create's spec and the totals, and `--output markdown` is a comment that a markdown
// parser (markdown-it) reads as a heading, a table and one collapsed diff per resource.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { useMoto } from '../support/moto.js';
import { runCli } from '../support/cli.js';
import { exampleManifests } from '../support/examples.js';

const moto = useMoto({ MOTO_ECS_SERVICE_RUNNING: '2' });
const env = () => moto.server.awsEnv;

/** The examples applied, then the worker removed, the web image changed and a new task definition added. */
async function changedExamples(): Promise<string> {
  await moto.server.reset();
  const { dir } = await exampleManifests();
  const applied = await runCli(['apply', dir, '--timeout', '60s'], { env: env() });
  assert.equal(applied.code, 0, applied.stderr);
  await rm(join(dir, 'worker'), { recursive: true });
  const td = join(dir, 'web/task-definition.yaml');
  await writeFile(td, (await readFile(td, 'utf8')).replace('nginx:1.27', 'nginx:1.28'));
  await writeFile(join(dir, 'batch.yaml'), [
    'apiVersion: ecs-operator.dev/v1alpha1', 'kind: TaskDefinition', 'metadata: {name: batch}', 'spec:',
    '  containerDefinitions: [{name: batch, image: "busybox:1", memory: 128}]', '',
  ].join('\n'));
  return dir;
}

test('diff shows prunes: noted without --prune, listed and counted with it, blocked past --prune-max', async () => {
  const dir = await changedExamples();

  const plain = await runCli(['diff', dir], { env: env() });
  assert.equal(plain.code, 1, plain.stdout + plain.stderr);
  assert.match(plain.stdout, /^2 owned resource\(s\) no longer declared \(not pruned without --prune\): Service\/worker, TaskDefinition\/worker$/m);
  assert.doesNotMatch(plain.stdout, /\(prune\)/);

  const pruned = await runCli(['diff', dir, '--prune'], { env: env() });
  assert.equal(pruned.code, 1);
  assert.match(pruned.stdout, /^- Service\/worker \(prune\)$/m);
  assert.match(pruned.stdout, /^- TaskDefinition\/worker \(prune\)$/m);
  assert.match(pruned.stdout, /^\+ TaskDefinition\/batch \(create\)$/m);
  assert.match(pruned.stdout, /^~ TaskDefinition\/web \(update\)$/m);
  assert.match(pruned.stdout, /1 to create, 2 to update, 2 to prune, 2 in sync$/m);

  const blocked = await runCli(['diff', dir, '--prune', '--prune-max', '1'], { env: env() });
  assert.equal(blocked.code, 1);
  assert.match(blocked.stdout, /^! Service\/worker \(prune blocked\)$/m);
  assert.match(blocked.stdout, /2 resources would be deleted .* more than --prune-max 1/);

  // Only in-sync resources and nothing owned left over: exit 0.
  await rm(join(dir, 'batch.yaml'));
  const td = join(dir, 'web/task-definition.yaml');
  await writeFile(td, (await readFile(td, 'utf8')).replace('nginx:1.28', 'nginx:1.27'));
  const synced = await runCli(['diff', dir], { env: env() });
  assert.equal(synced.code, 0, synced.stdout);
});

test('diff --output json is the whole plan: per resource kind, name, file, line, action, differences; totals', async () => {
  const dir = await changedExamples();
  const r = await runCli(['diff', dir, '--prune', '-o', 'json'], { env: env() });
  assert.equal(r.code, 1, r.stderr);
  const plan = JSON.parse(r.stdout);
  assert.deepEqual(plan.totals, { create: 1, update: 2, replace: 0, prune: 2, blocked: 0, 'in-sync': 2, error: 0 });
  const byKey = new Map(plan.resources.map((e: { key: string }) => [e.key, e]));
  const worker = byKey.get('Service/worker') as Record<string, unknown>;
  assert.deepEqual([worker.kind, worker.name, worker.action], ['Service', 'worker', 'prune']);
  assert.match(String(worker.arn), /^arn:aws:ecs:.*:service\/prod\/worker$/);
  const batch = byKey.get('TaskDefinition/batch') as Record<string, any>;
  assert.deepEqual([batch.action, batch.file, batch.line], ['create', join(dir, 'batch.yaml'), 1]);
  assert.equal(batch.desired.containerDefinitions[0].image, 'busybox:1', 'a create carries its desired spec');
  const web = byKey.get('TaskDefinition/web') as Record<string, any>;
  assert.equal(web.action, 'update');
  assert.deepEqual(web.differences, [{ path: '/containerDefinitions/0/image', desired: 'public.ecr.aws/nginx/nginx:1.28', live: 'public.ecr.aws/nginx/nginx:1.27' }]);
  assert.equal((byKey.get('Cluster/prod') as Record<string, unknown>).action, 'in-sync');
  assert.equal(plan.inSync, false);
});

test('diff --output markdown renders as a pull-request comment: heading, table, one collapsed diff per resource', async () => {
  const dir = await changedExamples();
  const r = await runCli(['diff', dir, '--prune', '-o', 'markdown'], { env: env() });
  assert.equal(r.code, 1, r.stderr);
  const md = new MarkdownIt({ html: true });
  const tokens = md.parse(r.stdout, {});
  const heading = tokens.findIndex((t) => t.type === 'heading_open');
  assert.match(tokens[heading + 1]!.content, /^ecs-operator plan: 1 to create, 2 to update, 2 to prune, 2 in sync$/);
  const rows = tokens.filter((t) => t.type === 'tr_open').length;
  assert.equal(rows, 1 + 5, 'a header row and one row per change');
  const fences = tokens.filter((t) => t.type === 'fence');
  assert.deepEqual(fences.map((f) => f.info), ['diff', 'diff', 'diff'], 'a diff for the create and each update; none for a prune');
  assert.ok(fences.some((f) => f.content.includes('+    image: public.ecr.aws/nginx/nginx:1.28')), fences.map((f) => f.content).join('\n'));
  const html = md.render(r.stdout);
  assert.equal((html.match(/<details>/g) ?? []).length, 3);
  assert.match(html, /<summary><code>TaskDefinition\/web<\/code>: ✏️ update<\/summary>/);
  assert.match(html, /<td><code>Service\/worker<\/code><\/td>\s*<td>🗑️ prune<\/td>/);
});
