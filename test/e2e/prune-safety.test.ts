// "Prune only on a deliberate removal", through the built CLI against moto with --prune: a manifest
// file truncated to 0 bytes, left with comments only, replaced by a folder of its name, or rewritten
// in two steps with a 1.5 s pause makes no DeleteService and no UpdateService (counted by a proxy in
// front of the emulator), and the status names the file; deleting the file on purpose still prunes.
// Then adoption: a resource that existed before the operator took it over is kept by `apply
// --prune` unless --prune-adopted or `ecs-operator.dev/prune: "true"` says otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateServiceCommand, DescribeServicesCommand, ListTagsForResourceCommand } from '@aws-sdk/client-ecs';
import { useMoto } from '../support/moto.js';
import { eventually, runCli, startCli } from '../support/cli.js';
import { ecsClient, serviceStatus } from '../support/aws.js';
import { exampleManifests } from '../support/examples.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { freePort } from '../../src/tools/moto-server.js';

const moto = useMoto({ MOTO_ECS_SERVICE_RUNNING: '2' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Status {
  source: { phase: string; lastApplied?: { id: string }; errors: Array<{ file: string; line: number; col: number; message: string }> };
  resources: Array<{ key: string; sync: string; health: string }>;
}

/**
 * The examples with the worker's task definition and service in one file, worker/app.yaml (the
 * service second): the file every harmful input below is made of.
 */
async function manifestsWithTwoDocumentFile(): Promise<{ dir: string; app: string; text: string; first: string }> {
  const { dir } = await exampleManifests();
  const first = readFileSync(join(dir, 'worker/task-definition.json'), 'utf8').trimEnd() + '\n';
  const text = `${first}---\n${readFileSync(join(dir, 'worker/service.yaml'), 'utf8')}`;
  rmSync(join(dir, 'worker/task-definition.json'));
  rmSync(join(dir, 'worker/service.yaml'));
  writeFileSync(join(dir, 'worker/app.yaml'), text);
  return { dir, app: join(dir, 'worker/app.yaml'), text, first };
}

/** Deletions and scale-downs counted since the last reset. */
function harm(proxy: FaultProxy): Record<string, number> {
  const c = proxy.counts.byOperation;
  return { DeleteService: c.DeleteService ?? 0, UpdateService: c.UpdateService ?? 0, DeregisterTaskDefinition: c.DeregisterTaskDefinition ?? 0 };
}

test('run --prune, folder source: empty, comments-only, folder-replaced and half-written files delete nothing; a real removal does', async () => {
  await moto.server.reset();
  const { dir, app, text, first } = await manifestsWithTwoDocumentFile();
  const proxy = await startFaultProxy(moto.server.endpoint);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const op = startCli([
    'run', '--source', dir, '--listen', `127.0.0.1:${port}`, '--resync-interval', '2s', '--debounce', '100ms', '--prune', '--prune-max', '5',
  ], { env: { ...moto.server.awsEnv, AWS_ENDPOINT_URL: proxy.endpoint } });
  const status = async () => (await (await fetch(`${base}/api/v1/status`)).json()) as Status;
  try {
    await eventually(async () => ((await fetch(`${base}/readyz`)).status === 200 ? true : undefined), 30_000, '/readyz');
    await eventually(async () => ((await status()).resources.every((r) => r.sync === 'Synced' && r.health === 'Healthy') ? true : undefined), 30_000, 'all Synced');
    const good = (await status()).source.lastApplied!.id;
    proxy.counts.byOperation = {};

    const inputs: Array<[string, () => void, RegExp]> = [
      ['truncated to 0 bytes', () => writeFileSync(app, ''), /the file is empty/],
      ['comments only', () => writeFileSync(app, '# the worker moves to another account next week\n'), /holds no document/],
      ['replaced by a folder of its name', () => {
        rmSync(app);
        mkdirSync(app);
        writeFileSync(join(app, 'README.md'), 'moved\n');
      }, /is a folder named like a manifest file/],
    ];
    for (const [what, damage, message] of inputs) {
      damage();
      const s = await eventually(async () => {
        const current = await status();
        return current.source.phase === 'Stalled' ? current : undefined;
      }, 15_000, `source Stalled: ${what}`);
      assert.deepEqual(s.source.errors.map((e) => `${e.file}:${e.line}:${e.col}`), ['worker/app.yaml:1:1'], what);
      assert.match(s.source.errors[0]!.message, message, what);
      await sleep(2_500); // a resync wave, and its prune, pass
      assert.deepEqual(harm(proxy), { DeleteService: 0, UpdateService: 0, DeregisterTaskDefinition: 0 }, what);
      rmSync(app, { recursive: true, force: true });
      writeFileSync(app, text);
      await eventually(async () => ((await status()).source.phase === 'Ready' ? true : undefined), 15_000, `Ready again after: ${what}`);
      assert.equal((await status()).source.lastApplied!.id, good);
    }

    // Rewritten in place, not atomically: the task definition first, the service 1.5 s later.
    writeFileSync(app, first);
    await sleep(1_500);
    appendFileSync(app, text.slice(first.length));
    await sleep(4_000); // the quiet window and a resync wave pass
    assert.equal(readFileSync(app, 'utf8'), text);
    assert.deepEqual(harm(proxy), { DeleteService: 0, UpdateService: 0, DeregisterTaskDefinition: 0 }, 'half-written file');
    assert.equal(await serviceStatus('prod', 'worker'), 'ACTIVE');
    assert.doesNotMatch(op.out.stderr, /"msg":"prun/, 'no prune was even attempted');

    // Deleting the file is a removal: the worker service and its task definition go.
    rmSync(app);
    await eventually(async () => ((await serviceStatus('prod', 'worker')) === 'ACTIVE' ? undefined : true), 20_000, 'worker pruned');
    assert.equal(harm(proxy).DeleteService, 1);
  } finally {
    const code = await op.stop();
    await proxy.stop();
    assert.equal(code, 0, op.out.stderr.slice(-2000));
  }
});

test('apply --prune keeps what was adopted; --prune-adopted or prune: "true" deletes it; what it created carries origin=created', async () => {
  await moto.server.reset();
  const { dir, fixtures } = await exampleManifests();
  const env = moto.server.awsEnv;
  assert.equal((await runCli(['apply', dir, '--no-wait'], { env })).code, 0);
  // Two services made outside the operator, then declared: adopted.
  const ecs = ecsClient();
  const service = readFileSync(join(dir, 'worker/service.yaml'), 'utf8');
  try {
    for (const name of ['legacy', 'opted']) {
      await ecs.send(new CreateServiceCommand({
        cluster: 'prod', serviceName: name, taskDefinition: 'worker', desiredCount: 1, launchType: 'FARGATE',
        networkConfiguration: { awsvpcConfiguration: { subnets: [fixtures.subnetA], securityGroups: [fixtures.securityGroup] } },
      }));
    }
    writeFileSync(join(dir, 'worker/legacy.yaml'), service.replace(/name: worker\b/, 'name: legacy'));
    writeFileSync(join(dir, 'worker/opted.yaml'), service.replace(/name: worker\b/, 'name: opted\n  annotations: {ecs-operator.dev/prune: "true"}'));
    const adopted = await runCli(['apply', dir, '--no-wait'], { env });
    assert.equal(adopted.code, 0, adopted.stderr);
    const tags = async (name: string) => {
      const arn = (await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: [name] }))).services![0]!.serviceArn!;
      const list = (await ecs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags ?? [];
      return Object.fromEntries(list.map((t) => [t.key, t.value]));
    };
    assert.equal((await tags('worker'))['ecs-operator.dev/origin'], 'created');
    assert.equal((await tags('legacy'))['ecs-operator.dev/origin'], 'adopted');
    assert.equal((await tags('opted'))['ecs-operator.dev/prune'], 'true');

    rmSync(join(dir, 'worker/legacy.yaml'));
    rmSync(join(dir, 'worker/opted.yaml'));
    const kept = await runCli(['apply', dir, '--prune', '-o', 'json'], { env });
    assert.equal(kept.code, 0, kept.stderr);
    const pruned = JSON.parse(kept.stdout).pruned;
    assert.deepEqual([pruned.deleted, pruned.adopted], [['Service/opted'], ['Service/legacy']]);
    assert.equal(await serviceStatus('prod', 'legacy'), 'ACTIVE');
    assert.notEqual(await serviceStatus('prod', 'opted'), 'ACTIVE');

    const text = await runCli(['apply', dir, '--prune'], { env });
    assert.match(text.stderr, /= Service\/legacy: manifest gone, kept: it was adopted, not created by ecs-operator \(--prune-adopted deletes it\)/);
    const forced = await runCli(['apply', dir, '--prune', '--prune-adopted', '-o', 'json'], { env });
    assert.deepEqual(JSON.parse(forced.stdout).pruned.deleted, ['Service/legacy']);
    assert.notEqual(await serviceStatus('prod', 'legacy'), 'ACTIVE');
  } finally {
    ecs.destroy();
  }
});
