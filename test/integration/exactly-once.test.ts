// Exactly once, through the built CLI against moto: 20 task definitions and 20 services applied
// through a proxy that forwards about 30% of RegisterTaskDefinition and CreateService requests and
// then drops the connection (the request happened, its answer is lost). The operator never repeats
// a registration blindly: it finds the revision its lost request made by its content-hash tag, so
// each family ends with exactly one revision; CreateService is repeated with its clientToken.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTaskDefinitionCommand, ListServicesCommand, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { useMoto } from '../support/moto.js';
import { startFaultProxy } from '../support/fault-proxy.js';
import { runCli } from '../support/cli.js';
import { ecsClient } from '../support/aws.js';
import { generatedRevision } from '../../src/tools/generate.js';

const moto = useMoto({ MOTO_ECS_SERVICE_RUNNING: '1' });
const N = 20;

test(`lost answers of RegisterTaskDefinition and CreateService: exactly one revision per family, ${N} services`, async () => {
  await moto.server.reset();
  const dir = await mkdtemp(join(tmpdir(), 'ecs-operator-once-'));
  for (const [path, content] of generatedRevision(N, { cluster: 'prod' }).files) await writeFile(join(dir, path), content);
  const proxy = await startFaultProxy(moto.server.endpoint, { dropReply: 0.3, operations: /^(RegisterTaskDefinition|CreateService)$/ }, 1);
  const ecs = ecsClient();
  try {
    const r = await runCli(['apply', dir, '-o', 'json', '--timeout', '120s', '--aws-rate-scale', '20'], {
      env: { ...moto.server.awsEnv, AWS_ENDPOINT_URL: proxy.endpoint },
    });
    assert.equal(r.code, 0, r.stderr.slice(-3000));
    const lost = { register: proxy.count('RegisterTaskDefinition', 'replyDropped'), create: proxy.count('CreateService', 'replyDropped') };
    process.stdout.write(`# lost answers: ${lost.register} of ${proxy.count('RegisterTaskDefinition')} RegisterTaskDefinition, ${lost.create} of ${proxy.count('CreateService')} CreateService\n`);
    assert.ok(lost.register >= 4 && lost.create >= 4, JSON.stringify(lost));

    const revisions = (await ecs.send(new ListTaskDefinitionsCommand({}))).taskDefinitionArns ?? [];
    assert.equal(revisions.length, N, revisions.join('\n'));
    assert.ok(revisions.every((arn) => arn.endsWith(':1')), 'revision 1 of each family, nothing registered twice');
    const services = (await ecs.send(new ListServicesCommand({ cluster: 'prod' }))).serviceArns ?? [];
    assert.equal(services.length, N);
    const one = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'svc-0000', include: ['TAGS'] }));
    assert.match(one.tags?.find((t) => t.key === 'ecs-operator.dev/content-hash')?.value ?? '', /^[0-9a-f]{16}$/);

    proxy.faults = {};
    const again = await runCli(['apply', dir, '-o', 'json'], { env: { ...moto.server.awsEnv, AWS_ENDPOINT_URL: proxy.endpoint } });
    assert.equal(JSON.parse(again.stdout).awsCalls.writes, 0, 'converged: nothing left to write');
  } finally {
    ecs.destroy();
    await proxy.stop();
  }
});
