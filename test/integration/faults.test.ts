// Faults AWS really produces, injected between the SDK and moto: the operator still converges, does
// not duplicate anything, and counts what happened. And a controller killed mid-apply (SIGKILL)
// finishes the job after a restart without making anything twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ListServicesCommand, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { useMoto } from '../support/moto.js';
import { startFaultProxy } from '../support/fault-proxy.js';
import { eventually, runCli, startCli } from '../support/cli.js';
import { ecsClient } from '../support/aws.js';
import { exampleManifests } from '../support/examples.js';
import { freePort } from '../../src/tools/moto-server.js';
import { generatedRevision } from '../../src/tools/generate.js';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const moto = useMoto({ MOTO_ECS_SERVICE_RUNNING: '2' });

async function inventory() {
  const ecs = ecsClient();
  try {
    const services = (await ecs.send(new ListServicesCommand({ cluster: 'prod' }))).serviceArns ?? [];
    const revisions = (await ecs.send(new ListTaskDefinitionsCommand({}))).taskDefinitionArns ?? [];
    return { services: services.length, revisions: revisions.length };
  } finally {
    ecs.destroy();
  }
}

test('throttling, server errors, dropped connections and latency: apply still converges, exactly once', async () => {
  await moto.server.reset();
  const { dir } = await exampleManifests();
  const proxy = await startFaultProxy(moto.server.endpoint, { throttle: 0.25, serverError: 0.1, drop: 0.05, latencyMs: 20 });
  try {
    const env = { ...moto.server.awsEnv, AWS_ENDPOINT_URL: proxy.endpoint };
    const r = await runCli(['apply', dir, '-o', 'json', '--timeout', '120s'], { env });
    const out = JSON.parse(r.stdout);
    assert.equal(r.code, 0, r.stderr.slice(-3000));
    assert.ok(proxy.counts.throttled > 0 && proxy.counts.serverErrors > 0 && proxy.counts.dropped > 0, JSON.stringify(proxy.counts));
    // Every attempt was counted, throttles included.
    assert.ok(out.awsCalls.reads + out.awsCalls.writes >= proxy.counts.requests - proxy.counts.dropped);
    assert.deepEqual(await inventory(), { services: 2, revisions: 2 }, 'nothing made twice');
    proxy.faults = {};
    const again = await runCli(['apply', dir, '-o', 'json'], { env });
    assert.equal(JSON.parse(again.stdout).awsCalls.writes, 0);
  } finally {
    await proxy.stop();
  }
});

test('a controller killed in the middle of its first apply converges after a restart, without duplicates', async () => {
  await moto.server.reset();
  const dir = await mkdtemp(join(tmpdir(), 'ecs-operator-kill-'));
  for (const [path, content] of generatedRevision(30, { cluster: 'prod' }).files) await writeFile(join(dir, path), content);
  // Slow AWS down so that the kill lands mid-apply.
  const proxy = await startFaultProxy(moto.server.endpoint, { latencyMs: 60 });
  const port = await freePort();
  const env = { ...moto.server.awsEnv, AWS_ENDPOINT_URL: proxy.endpoint };
  const args = ['run', '--source', dir, '--listen', `127.0.0.1:${port}`, '--resync-interval', '2s'];
  try {
    const first = startCli(args, { env });
    await eventually(async () => ((await inventory()).services >= 3 ? true : undefined), 30_000, 'some services created');
    first.child.kill('SIGKILL');
    await first.exited;
    const midway = await inventory();
    assert.ok(midway.services < 30, `killed mid-apply (${midway.services} services)`);

    const second = startCli(args, { env });
    try {
      await eventually(async () => {
        const s = await (await fetch(`http://127.0.0.1:${port}/api/v1/status`)).json();
        return s.resources.length === 61 && s.resources.every((x: { sync: string }) => x.sync === 'Synced') ? true : undefined;
      }, 60_000, 'all Synced after the restart');
      assert.deepEqual(await inventory(), { services: 30, revisions: 30 }, 'one service and one revision each');
    } finally {
      assert.equal(await second.stop(), 0);
    }
  } finally {
    await proxy.stop();
  }
});

test('on SIGTERM, AWS calls still in flight are aborted (at the latest when the grace ends): the process exits promptly', async () => {
  await moto.server.reset();
  const { dir } = await exampleManifests();
  const proxy = await startFaultProxy(moto.server.endpoint, {});
  const port = await freePort();
  const env = { ...moto.server.awsEnv, AWS_ENDPOINT_URL: proxy.endpoint };
  const op = startCli(['run', '--source', dir, '--listen', `127.0.0.1:${port}`, '--resync-interval', '1s', '--shutdown-grace', '1s'], { env });
  try {
    await eventually(async () => ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200 ? true : undefined), 30_000, '/readyz');
    // AWS stops answering: the next resync's reads hang (the SDK would wait 15 s a try, 4 tries).
    proxy.faults = { latencyMs: 120_000 };
    const before = proxy.counts.requests;
    await eventually(() => (proxy.counts.requests > before ? true : undefined), 10_000, 'a call in flight');
    const started = Date.now();
    const code = await op.stop('SIGTERM');
    const took = Date.now() - started;
    assert.equal(code, 0);
    assert.ok(took < 10_000, `exited ${took} ms after SIGTERM`);
    assert.match(op.out.stderr, /"phase":"stopped"/);
  } finally {
    await op.stop();
    await proxy.stop();
  }
});
