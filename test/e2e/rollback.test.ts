// Reuse on rollback: a revert to the content of an older ACTIVE revision registers nothing; the
// service moves back to that revision (through the built CLI against moto), the next apply writes
// nothing, and the resyncs after the rollback read no more than those before it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { DescribeServicesCommand, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { useMoto } from '../support/moto.js';
import { runCli } from '../support/cli.js';
import { ecsClient } from '../support/aws.js';
import { generatedRevision } from '../../src/tools/generate.js';
import { createAwsClients } from '../../src/aws/clients.js';
import { sdkPorts } from '../../src/cli/app.js';
import { createHandlers } from '../../src/kinds/registry.js';
import { loadRevision } from '../../src/desired/load.js';
import { Controller } from '../../src/runtime/controller.js';
import { KIND_REGISTRY } from '../../src/kinds/registry.js';

const moto = useMoto({ MOTO_ECS_SERVICE_RUNNING: '1' });
const image = (tag: string) => `public.ecr.aws/nginx/nginx:${tag}`;
const revision = (tag: string, n = 1) => generatedRevision(n, { cluster: 'prod', imageFor: () => image(tag) });

async function writeRevision(dir: string, tag: string): Promise<void> {
  for (const [path, content] of revision(tag).files) await writeFile(join(dir, path), content);
}

async function applyJson(dir: string) {
  const r = await runCli(['apply', dir, '-o', 'json', '--timeout', '60s'], { env: moto.server.awsEnv });
  assert.equal(r.code, 0, r.stderr.slice(-2000));
  const out = JSON.parse(r.stdout);
  const writes = Object.fromEntries(Object.entries(out.awsCalls.byOperation as Record<string, number>).filter(([op]) => !/:(Describe|List)/.test(op)));
  return { out, writes };
}

test('a revert to an older ACTIVE revision\'s content: 0 RegisterTaskDefinition, and the service runs that revision again', async () => {
  await moto.server.reset();
  const dir = await mkdtemp(join(tmpdir(), 'ecs-operator-rollback-'));
  const ecs = ecsClient();
  try {
    await writeRevision(dir, '1.27');
    await applyJson(dir);
    await writeRevision(dir, '1.28');
    assert.equal((await applyJson(dir)).writes['ecs:RegisterTaskDefinition'], 1);

    await writeRevision(dir, '1.27'); // git revert
    const reverted = await applyJson(dir);
    assert.equal(reverted.writes['ecs:RegisterTaskDefinition'] ?? 0, 0, JSON.stringify(reverted.writes));
    assert.equal(reverted.writes['ecs:UpdateService'], 1);
    const service = (await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['svc-0000'] }))).services![0]!;
    assert.match(service.taskDefinition!, /task-definition\/svc-0000:1$/, 'back on revision 1');
    const revisions = (await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'svc-0000' }))).taskDefinitionArns!;
    assert.equal(revisions.length, 2);

    const again = await applyJson(dir);
    assert.deepEqual(again.writes, {}, 'settled: no flip-flop between the two revisions');
  } finally {
    ecs.destroy();
  }
});

test('after a rollback, resyncs read what they read before it', async () => {
  await moto.server.reset();
  const N = 30;
  const aws = createAwsClients({ rateScale: Infinity });
  const controller = new Controller({ handlers: createHandlers(sdkPorts(aws)), mode: 'run', log: pino({ level: 'silent' }) });
  const load = (tag: string) => loadRevision(revision(tag, N), KIND_REGISTRY.rules).state!;
  const resyncReads = async () => {
    const before = aws.stats.snapshot();
    // An even number of waves: the task definition listing is read every other wave.
    for (let i = 0; i < 4; i++) {
      await controller.resync();
      await controller.idle();
    }
    return aws.stats.since(before);
  };
  try {
    controller.setDesired(load('1.27'));
    controller.start();
    await controller.idle();
    controller.setDesired(load('1.28'));
    await controller.idle();
    const beforeRollback = await resyncReads();
    const registered = aws.stats.count('ecs', 'RegisterTaskDefinition');
    controller.setDesired(load('1.27'));
    await controller.idle();
    assert.equal(aws.stats.count('ecs', 'RegisterTaskDefinition'), registered, 'nothing registered by the rollback');
    assert.ok(controller.status.list().every((s) => s.sync === 'Synced'));
    const afterRollback = await resyncReads();
    assert.deepEqual(afterRollback, beforeRollback);
  } finally {
    await controller.stop();
    aws.destroy();
  }
});
