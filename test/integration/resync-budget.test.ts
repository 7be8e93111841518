// The AWS budget of idle resyncs, measured through the real SDK against moto: reads stay near the floor
// of ceil(N/10) DescribeServices, task definitions cost one listing, and nothing is written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { useMoto } from '../support/moto.js';
import { generatedRevision } from '../../src/tools/generate.js';
import { createAwsClients } from '../../src/aws/clients.js';
import { createHandlers } from '../../src/kinds/registry.js';
import { sdkPorts } from '../../src/cli/app.js';
import { loadRevision } from '../../src/desired/load.js';
import { Controller } from '../../src/runtime/controller.js';
import { KIND_REGISTRY } from '../../src/kinds/registry.js';

const moto = useMoto({ MOTO_ECS_SERVICE_RUNNING: '1' });
const N = 200;

test(`idle resyncs of ${N} services: at most 0.15 reads per service per resync, zero writes`, async () => {
  await moto.server.reset();
  const aws = createAwsClients({ rateScale: Infinity });
  const controller = new Controller({
    handlers: createHandlers(sdkPorts(aws)), mode: 'run', log: pino({ level: 'silent' }), concurrency: 16,
  });
  const { state, errors } = loadRevision(generatedRevision(N), KIND_REGISTRY.rules);
  assert.deepEqual(errors, []);
  controller.setDesired(state!);
  controller.start();
  await controller.idle();
  const statuses = controller.status.list();
  assert.equal(statuses.filter((s) => s.sync === 'Synced' && s.health === 'Healthy').length, 2 * N + 1);
  assert.equal(aws.stats.count('ecs', 'CreateService'), N);

  const resyncs = 3;
  const before = { reads: aws.stats.reads, writes: aws.stats.writes, ops: aws.stats.snapshot() };
  for (let i = 0; i < resyncs; i++) {
    await controller.resync();
    await controller.idle();
  }
  const reads = aws.stats.reads - before.reads;
  const perServicePerResync = reads / N / resyncs;
  const byOp = aws.stats.since(before.ops);
  assert.equal(aws.stats.writes - before.writes, 0, JSON.stringify(byOp));
  assert.ok(perServicePerResync <= 0.15, `${perServicePerResync.toFixed(3)} reads/service/resync: ${JSON.stringify(byOp)}`);
  assert.equal(byOp['ecs:DescribeServices'], resyncs * Math.ceil(N / 10));
  assert.equal(byOp['ecs:DescribeTaskDefinition'] ?? 0, 0, 'revisions are cached by ARN');
  await controller.stop();
  aws.destroy();
});
