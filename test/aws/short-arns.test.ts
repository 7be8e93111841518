// Services with short ARNs (service/name, accounts that never opted into the long format): a tag the
// operator writes is kept in its cached description as with long ARNs, so the read-back after an
// apply sees it, and a change is one UpdateService and one TagResource, not a write "not kept".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useMoto } from '../support/moto.js';
import { runCli } from '../support/cli.js';
import { createAwsClients } from '../../src/aws/clients.js';
import { ecsPorts } from '../../src/aws/ecs/ports.js';
import { generatedRevision } from '../../src/tools/generate.js';

const moto = useMoto({ MOTO_ECS_NEW_ARN: 'false', MOTO_ECS_SERVICE_RUNNING: '3' });

test('a tag written to a service with a short ARN is in its cached description', async () => {
  await moto.server.reset();
  const aws = createAwsClients({ rateScale: Infinity });
  const ecs = ecsPorts(aws.ecs, aws.ecsOnce);
  try {
    await ecs.clusters.createCluster({ clusterName: 'prod' });
    const td = await ecs.taskDefinitions.registerTaskDefinition({ family: 'app', containerDefinitions: [{ name: 'app', image: 'nginx', memory: 128 }] });
    const created = await ecs.services.createService({ cluster: 'prod', serviceName: 'web', taskDefinition: td.taskDefinition.taskDefinitionArn!, desiredCount: 1 });
    assert.match(created.serviceArn!, /:service\/web$/, 'a short ARN');
    await ecs.services.tagResource(created.serviceArn!, { team: 'web' });
    const reads = aws.stats.reads;
    const cached = await ecs.services.getService('prod', 'web', 0);
    assert.equal(aws.stats.reads, reads, 'from the cache');
    assert.deepEqual(cached?.tags, [{ key: 'team', value: 'web' }]);
  } finally {
    aws.destroy();
  }
});

test('apply with short ARNs: a change is one UpdateService and one TagResource, then nothing', async () => {
  await moto.server.reset();
  const dir = await mkdtemp(join(tmpdir(), 'ecs-operator-short-'));
  const write = async (count: number) => {
    for (const [path, text] of generatedRevision(1, { cluster: 'prod' }).files) await writeFile(join(dir, path), text.replace('desiredCount: 1', `desiredCount: ${count}`));
  };
  const apply = async () => {
    const r = await runCli(['apply', dir, '-o', 'json', '--timeout', '60s'], { env: moto.server.awsEnv });
    assert.equal(r.code, 0, r.stderr.slice(-2000));
    return Object.fromEntries(Object.entries(JSON.parse(r.stdout).awsCalls.byOperation as Record<string, number>).filter(([op]) => !/:(Describe|List)/.test(op)));
  };
  await write(1);
  await apply();
  await write(2);
  assert.deepEqual(await apply(), { 'ecs:UpdateService': 1, 'ecs:TagResource': 1 });
  assert.deepEqual(await apply(), {});
});
