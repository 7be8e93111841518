// --aws-rate-scale scales refill rates, never bursts: the built CLI's apply of 45 task definitions at
// x10, through the AWS-faithful proxy enforcing ECS's buckets at x10 (20 registrations at once, then
// 10 a second), is never throttled. With the bursts scaled too it sent up to 200 registrations at once.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useMoto } from '../support/moto.js';
import { runCli } from '../support/cli.js';
import { startAwsProxy, type AwsProxy } from '../../src/tools/aws-proxy/proxy.js';

const moto = useMoto();
let proxy: AwsProxy | undefined;
after(async () => {
  await proxy?.stop();
});

test('apply of 45 task definitions at --aws-rate-scale 10 against ECS buckets at x10: no throttle', async () => {
  await moto.server.reset();
  proxy = await startAwsProxy({ upstream: moto.server.endpoint, scale: 10 });
  const dir = await mkdtemp(join(tmpdir(), 'ecs-operator-scaled-pacing-'));
  for (let i = 0; i < 45; i++) {
    await writeFile(join(dir, `td-${i}.yaml`), `apiVersion: ecs-operator.dev/v1alpha1\nkind: TaskDefinition\nmetadata: {name: td-${i}}\nspec:\n  containerDefinitions:\n    - {name: app, image: nginx, memory: 128}\n`);
  }
  const result = await runCli(['apply', dir, '-o', 'json', '--timeout', '120s', '--aws-rate-scale', '10'], {
    env: { ...moto.server.awsEnv, AWS_ENDPOINT_URL: proxy.endpoint },
  });
  assert.equal(result.code, 0, result.stderr.slice(-2000));
  const counts = proxy.counts();
  assert.deepEqual(counts.byOperation['ecs:RegisterTaskDefinition'], { requests: 45, throttled: 0, errors: 0 });
  assert.equal(counts.throttled, 0, JSON.stringify(counts.byOperation));
});
