// Idle resyncs behind the AWS-faithful proxy, which pages as AWS does (ListTaskDefinitions 100 ARNs a
// page): with 3 ACTIVE revisions per family the account-wide listing is read every other wave, so
// reads stay at or under 0.12 per service per resync; a revision deregistered by someone else is
// still noticed within two waves. Through the real SDK against moto.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { DeregisterTaskDefinitionCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { useMoto } from '../support/moto.js';
import { generatedRevision } from '../../src/tools/generate.js';
import { createAwsClients, type AwsClients } from '../../src/aws/clients.js';
import { createHandlers, KIND_REGISTRY } from '../../src/kinds/registry.js';
import { sdkPorts } from '../../src/cli/app.js';
import { loadRevision } from '../../src/desired/load.js';
import { Controller } from '../../src/runtime/controller.js';
import { startAwsProxy, type AwsProxy } from '../../src/tools/aws-proxy/proxy.js';
import { answered } from '../../src/tools/aws-proxy/counts.js';

const moto = useMoto({ MOTO_ECS_SERVICE_RUNNING: '1' });
const N = 300;
let proxy: AwsProxy | undefined;
let aws: AwsClients | undefined;
let direct: ECSClient | undefined;
after(async () => {
  Object.assign(process.env, moto.server.awsEnv);
  aws?.destroy();
  direct?.destroy();
  await proxy?.stop();
});

const family = (i: number) => `svc-${String(i).padStart(4, '0')}`;

async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

test(`idle resyncs of ${N} services, 3 ACTIVE revisions a family, AWS's pages: <= 0.12 reads per service; an outside deregistration is seen within two waves`, async () => {
  await moto.server.reset();
  direct = new ECSClient({ endpoint: moto.server.endpoint, maxAttempts: 1 });
  // Two older revisions per family, registered by someone else before the operator's.
  await inBatches([...Array(2 * N).keys()], 16, (k) => direct!.send(new RegisterTaskDefinitionCommand({
    family: family(k % N), containerDefinitions: [{ name: 'app', image: `nginx:old-${k}`, memory: 128 }],
  })));
  proxy = await startAwsProxy({ upstream: moto.server.endpoint, throttle: false });
  // The SDK reads the endpoint when it first sends: it stays set for the test (moto's own is restored after).
  process.env.AWS_ENDPOINT_URL = proxy.endpoint;
  aws = createAwsClients({ rateScale: Infinity });
  const controller = new Controller({ handlers: createHandlers(sdkPorts(aws)), mode: 'run', log: pino({ level: 'silent' }), concurrency: 16 });
  const { state, errors } = loadRevision(generatedRevision(N), KIND_REGISTRY.rules);
  assert.deepEqual(errors, []);
  controller.setDesired(state!);
  controller.start();
  await controller.idle();
  assert.equal(controller.status.list().filter((s) => s.sync === 'Synced').length, 2 * N + 1);

  const waves = 4;
  proxy.resetCounts();
  for (let i = 0; i < waves; i++) {
    await controller.resync();
    await controller.idle();
  }
  const counts = proxy.counts();
  const reads = counts.reads;
  assert.equal(counts.writes, 0);
  assert.equal(answered(counts, 'ecs:DescribeServices'), waves * N / 10);
  // 3N ARNs at 100 a page, read in every other wave.
  assert.equal(answered(counts, 'ecs:ListTaskDefinitions'), (waves / 2) * Math.ceil((3 * N) / 100));
  assert.equal(answered(counts, 'ecs:DescribeTaskDefinition'), 0);
  assert.ok(reads / N / waves <= 0.12, `${(reads / N / waves).toFixed(4)} reads per service per resync`);

  // Someone deregisters the revision a family runs: within two waves the operator registers it again.
  const key = 'TaskDefinition/svc-0007' as const;
  const arn = controller.outputsOf(key)?.arn;
  assert.ok(arn);
  const registered = aws.stats.count('ecs', 'RegisterTaskDefinition');
  await direct.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arn }));
  for (let i = 0; i < 2 && controller.outputsOf(key)?.arn === arn; i++) {
    await controller.resync();
    await controller.idle();
  }
  const replaced = controller.outputsOf(key)?.arn;
  assert.ok(replaced && replaced !== arn, `still ${replaced} after two waves`);
  assert.equal(aws.stats.count('ecs', 'RegisterTaskDefinition') - registered, 1, 'one registration, of that family');
  await controller.stop();
});
