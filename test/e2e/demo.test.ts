// `npm run demo` as a user runs it: the examples and the operator's own deployment (deploy/manifests)
// applied into moto from one folder, then the two environments of examples/accounts in two accounts,
// every step with the exit code it should have.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { cliEnv } from '../support/cli.js';

const DEMO = fileURLToPath(new URL('../../dist/tools/demo.js', import.meta.url));

test('the demo applies the examples and the operator\'s own cluster, task definition and service', { timeout: 180_000 }, async () => {
  const child = spawn(process.execPath, [DEMO], { env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  assert.equal(code, 0, out);
  assert.match(out, /Demo finished: every step behaved as expected/);
  for (const key of ['Cluster/ecs-operator', 'TaskDefinition/ecs-operator', 'Service/ecs-operator', 'Service/web', 'ServiceAutoScaling/web']) {
    assert.match(out, new RegExp(`✓ ${key}: .*Synced, Healthy`), key);
  }
  assert.match(out, /applying 9 resource\(s\)/, 'six examples and three of the operator\'s own');
  assert.match(out, /^# environment "production" .*: region eu-west-1, role arn:aws:iam::210987654321:role\/ecs-operator-deploy, instance production$/m, 'production applied through its role');
  assert.equal(out.match(/^applied: 5 resource\(s\), 5 changed/gm)?.length, 2, 'both environments applied');
});
