// What stops a prune is never swallowed, through the built CLI against moto: with a fault proxy
// answering 500 to Application Auto Scaling's ListTagsForResource, removing the ServiceAutoScaling
// manifest and running `apply --prune` leaves the scalable target in place, says why and exits 1;
// `run --prune` shows the condition on its status and in its log, and prunes once the tags can be read.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ApplicationAutoScalingClient, DescribeScalableTargetsCommand } from '@aws-sdk/client-application-auto-scaling';
import { useMoto } from '../support/moto.js';
import { eventually, runCli, startCli } from '../support/cli.js';
import { exampleManifests } from '../support/examples.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { freePort } from '../../src/tools/moto-server.js';

const moto = useMoto({ MOTO_ECS_SERVICE_RUNNING: '2' });
const TAGS = /^AnyScaleFrontendService\.ListTagsForResource$/;
let proxy: FaultProxy | undefined;
after(() => proxy?.stop());

async function scalableTargets(): Promise<string[]> {
  const aas = new ApplicationAutoScalingClient({});
  try {
    return ((await aas.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs' }))).ScalableTargets ?? []).map((t) => t.ResourceId!);
  } finally {
    aas.destroy();
  }
}

/** The examples applied, then the auto scaling manifest removed; AWS reached through a failing proxy. */
async function removedAutoScaling(): Promise<{ dir: string; env: Record<string, string> }> {
  await moto.server.reset();
  const { dir } = await exampleManifests();
  const applied = await runCli(['apply', dir, '--timeout', '60s'], { env: moto.server.awsEnv });
  assert.equal(applied.code, 0, applied.stderr);
  await rm(join(dir, 'web/autoscaling.yaml'));
  await proxy?.stop();
  proxy = await startFaultProxy(moto.server.endpoint, { serverError: 1, targets: TAGS });
  return { dir, env: { ...moto.server.awsEnv, AWS_ENDPOINT_URL: proxy.endpoint } };
}

test('apply --prune: unreadable scalable target tags are reported, nothing is deleted, exit 1', async () => {
  const { dir, env } = await removedAutoScaling();
  const r = await runCli(['apply', dir, '--prune', '--timeout', '60s'], { env });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /^\? prune plan incomplete: cannot list the ServiceAutoScaling resources this instance owns: cannot read the tags of scalable target service\/prod\/web: /m);
  assert.match(r.stderr, /^✗ prune not done: cannot list the ServiceAutoScaling resources/m);
  assert.match(r.stderr, /^failed: .*prune not done/m);
  assert.ok(proxy!.counts.serverErrors > 0);
  assert.deepEqual(await scalableTargets(), ['service/prod/web'], 'left in place');

  const json = await runCli(['apply', dir, '--prune', '-o', 'json', '--timeout', '60s'], { env });
  assert.equal(json.code, 1);
  const out = JSON.parse(json.stdout);
  assert.equal(out.ok, false);
  assert.match(out.pruned.errors[0].message, /cannot read the tags of scalable target service\/prod\/web/);

  const diff = await runCli(['diff', dir, '--prune'], { env });
  assert.equal(diff.code, 2, 'an incomplete plan is an error');
  assert.match(diff.stdout, /prune plan incomplete/);
});

test('run --prune: the condition is on the status and in the log, and the prune happens once tags can be read', async () => {
  const { dir, env } = await removedAutoScaling();
  const port = await freePort();
  const op = startCli(['run', '--source', dir, '--listen', `127.0.0.1:${port}`, '--prune', '--resync-interval', '2s'], { env });
  try {
    const condition = await eventually(async () => {
      const s = await (await fetch(`http://127.0.0.1:${port}/api/v1/status`)).json();
      return s.prune?.conditions?.[0];
    }, 30_000, 'a prune condition');
    assert.equal(condition.type, 'Retrying');
    assert.equal(condition.reason, 'PruneDiscoveryFailed');
    assert.match(condition.message, /cannot read the tags of scalable target service\/prod\/web/);
    assert.match(op.out.stderr, /"msg":"prune discovery failed; nothing is pruned until it succeeds"/);
    assert.deepEqual(await scalableTargets(), ['service/prod/web']);

    proxy!.faults = {};
    await eventually(async () => ((await scalableTargets()).length === 0 ? true : undefined), 20_000, 'the target deregistered');
    const s = await (await fetch(`http://127.0.0.1:${port}/api/v1/status`)).json();
    assert.deepEqual(s.prune.conditions, []);
  } finally {
    assert.equal(await op.stop(), 0);
  }
});
