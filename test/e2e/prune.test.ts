// Prune end to end, through the built CLI against moto: nothing is deleted without --prune; with it,
// a removed manifest's resources go (service scaled to 0 and deleted, its task definition revisions
// deregistered); more than --prune-max at once is refused whole; after a restart, owned resources
// whose manifests disappeared meanwhile are found by their tags; an emptied cluster goes last.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ListTaskDefinitionsCommand, DescribeClustersCommand } from '@aws-sdk/client-ecs';
import { useMoto } from '../support/moto.js';
import { eventually, runCli, startCli } from '../support/cli.js';
import { ecsClient, serviceStatus } from '../support/aws.js';
import { exampleManifests } from '../support/examples.js';
import { freePort } from '../../src/tools/moto-server.js';

const moto = useMoto({ MOTO_ECS_SERVICE_RUNNING: '2' });

async function activeRevisions(family: string): Promise<number> {
  const ecs = ecsClient();
  try {
    return ((await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: family, status: 'ACTIVE' }))).taskDefinitionArns ?? []).length;
  } finally {
    ecs.destroy();
  }
}

function operator(dir: string, port: number, extra: string[] = []) {
  return startCli(['run', '--source', dir, '--listen', `127.0.0.1:${port}`, '--resync-interval', '2s', '--debounce', '100ms', ...extra], { env: moto.server.awsEnv });
}

async function ready(port: number): Promise<void> {
  await eventually(async () => ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200 ? true : undefined), 30_000, '/readyz');
}

test('without --prune a removed manifest leaves its resources in place', async () => {
  await moto.server.reset();
  const { dir } = await exampleManifests();
  const port = await freePort();
  const op = operator(dir, port);
  try {
    await ready(port);
    await rm(join(dir, 'worker'), { recursive: true });
    await eventually(async () => {
      const s = await (await fetch(`http://127.0.0.1:${port}/api/v1/status`)).json();
      return s.resources.length === 4 ? true : undefined;
    }, 15_000, 'worker gone from the desired state');
    await new Promise((r) => setTimeout(r, 3_000));
    assert.equal(await serviceStatus('prod', 'worker'), 'ACTIVE');
    assert.equal(await activeRevisions('worker'), 1);
  } finally {
    assert.equal(await op.stop(), 0);
  }
});

test('--prune deletes a removed manifest\'s resources, within --prune-max, and finds leftovers after a restart', async () => {
  await moto.server.reset();
  const { dir } = await exampleManifests();
  const port = await freePort();
  let op = operator(dir, port, ['--prune', '--prune-max', '2']);
  try {
    await ready(port);
    // The worker service and its task definition: two deletions, within the guard.
    await rm(join(dir, 'worker'), { recursive: true });
    await eventually(async () => ((await serviceStatus('prod', 'worker')) === 'ACTIVE' ? undefined : true), 20_000, 'worker service deleted');
    await eventually(async () => ((await activeRevisions('worker')) === 0 ? true : undefined), 20_000, 'worker revisions deregistered');
    assert.match(op.out.stderr, /"key":"Service\/worker","action":"scaled to 0 and deleted"/);

    // Four at once (the web service, its task definition and scalable target, the cluster) is over
    // the guard: nothing is deleted, each is reported. (The scalable target's ownership tags are
    // kept by the test proxy in front of the emulator, see test/support/aas-tags.ts.)
    await rm(join(dir, 'web'), { recursive: true });
    await rm(join(dir, 'platform'), { recursive: true });
    const blocked = await eventually(async () => {
      const s = await (await fetch(`http://127.0.0.1:${port}/api/v1/status`)).json();
      const pruning = s.resources.filter((r: { pruning?: boolean }) => r.pruning);
      return pruning.length === 4 ? pruning : undefined;
    }, 15_000, 'PruneBlocked on four resources');
    for (const r of blocked) assert.equal(r.conditions[0].reason, 'PruneBlocked');
    assert.equal(await serviceStatus('prod', 'web'), 'ACTIVE');
    assert.equal(await op.stop(), 0);

    // Restarted with a larger guard, the revision is empty: still refused, as an empty revision is
    // more likely a wrong path than a wish to delete everything.
    op = operator(dir, port, ['--prune', '--prune-max', '5']);
    await eventually(async () => (/the revision declares no resources/.test(op.out.stderr) ? true : undefined), 20_000, 'empty revision refused');
    assert.equal(await serviceStatus('prod', 'web'), 'ACTIVE');
    assert.equal(await op.stop(), 0);

    // With --prune-allow-empty the owned leftovers are found by their tags; the cluster goes last.
    op = operator(dir, port, ['--prune', '--prune-max', '5', '--prune-allow-empty']);
    await eventually(async () => ((await serviceStatus('prod', 'web')) === 'ACTIVE' ? undefined : true), 30_000, 'web deleted');
    await eventually(async () => {
      const ecs = ecsClient();
      const c = await ecs.send(new DescribeClustersCommand({ clusters: ['prod'] }));
      ecs.destroy();
      return c.clusters?.[0]?.status === 'INACTIVE' ? true : undefined;
    }, 30_000, 'cluster deleted');
    assert.equal(await activeRevisions('web'), 0);
  } finally {
    await op.stop();
  }
});

test('apply --prune deletes what the given manifests no longer declare', async () => {
  await moto.server.reset();
  const { dir } = await exampleManifests();
  assert.equal((await runCli(['apply', dir], { env: moto.server.awsEnv })).code, 0);
  await rm(join(dir, 'worker'), { recursive: true });
  const r = await runCli(['apply', dir, '--prune', '-o', 'json'], { env: moto.server.awsEnv });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).pruned.deleted, ['Service/worker', 'TaskDefinition/worker']);
  assert.equal(await activeRevisions('worker'), 0);
});
