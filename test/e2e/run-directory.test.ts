// `ecs-operator run --source DIR` end to end: first sync and readiness, a file change applied within
// seconds, a broken file changing nothing (last good revision in force, errors in the status API),
// recovery, and a graceful stop on SIGTERM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DescribeTaskDefinitionCommand, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { useMoto } from '../support/moto.js';
import { eventually, startCli } from '../support/cli.js';
import { ecsClient } from '../support/aws.js';
import { exampleManifests } from '../support/examples.js';
import { freePort } from '../../src/tools/moto-server.js';

const moto = useMoto({ MOTO_ECS_SERVICE_RUNNING: '2' });

test('run: converge, follow file changes, refuse a broken revision whole, stop on SIGTERM', async () => {
  await moto.server.reset();
  const { dir } = await exampleManifests();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const op = startCli(['run', '--source', dir, '--listen', `127.0.0.1:${port}`, '--resync-interval', '3s', '--debounce', '100ms'], { env: moto.server.awsEnv });
  const ecs = ecsClient();
  try {
    await eventually(async () => ((await fetch(`${base}/readyz`)).status === 200 ? true : undefined), 30_000, '/readyz');
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    const status = await (await fetch(`${base}/api/v1/status`)).json();
    assert.equal(status.source.phase, 'Ready');
    assert.equal(status.resources.length, 6);
    await eventually(async () => {
      const s = await (await fetch(`${base}/api/v1/status`)).json();
      return s.resources.every((r: { sync: string; health: string }) => r.sync === 'Synced' && r.health === 'Healthy') ? true : undefined;
    }, 20_000, 'all Synced and Healthy');

    // A change to a file reaches AWS within seconds.
    const file = join(dir, 'web/task-definition.yaml');
    const original = await readFile(file, 'utf8');
    await writeFile(file, original.replace('nginx:1.27', 'nginx:1.28'));
    await eventually(async () => {
      const td = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web' }));
      return td.taskDefinition?.containerDefinitions?.[0]?.image?.endsWith(':1.28') ? true : undefined;
    }, 15_000, 'new web revision');

    // A broken file: nothing of that revision is applied, the source is Stalled and names the file.
    const before = (await ecs.send(new ListTaskDefinitionsCommand({}))).taskDefinitionArns;
    await writeFile(file, original.replace('nginx:1.27', 'nginx:1.29').replace('essential: true', 'essential: yes please'));
    const stalled = await eventually(async () => {
      const s = await (await fetch(`${base}/api/v1/status`)).json();
      return s.source.phase === 'Stalled' ? s : undefined;
    }, 15_000, 'source Stalled');
    assert.match(JSON.stringify(stalled.source.errors), /web\/task-definition\.yaml/);
    assert.ok(stalled.source.errors.every((e: { line: number }) => e.line > 0));
    await new Promise((r) => setTimeout(r, 4_000)); // a resync passes
    assert.deepEqual((await ecs.send(new ListTaskDefinitionsCommand({}))).taskDefinitionArns, before, 'nothing registered');
    assert.match(op.out.stderr, /revision not applied: the last good revision stays in force/);

    // Fixing the file recovers.
    await writeFile(file, original.replace('nginx:1.27', 'nginx:1.29'));
    await eventually(async () => {
      const s = await (await fetch(`${base}/api/v1/status`)).json();
      return s.source.phase === 'Ready' && s.source.errors.length === 0 ? true : undefined;
    }, 15_000, 'source Ready again');
    await eventually(async () => {
      const td = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web' }));
      return td.taskDefinition?.containerDefinitions?.[0]?.image?.endsWith(':1.29') ? true : undefined;
    }, 15_000, 'revision with 1.29');
  } finally {
    const code = await op.stop('SIGTERM');
    ecs.destroy();
    assert.equal(code, 0, op.out.stderr.slice(-2000));
    assert.match(op.out.stderr, /"phase":"stopped"/);
  }
});
