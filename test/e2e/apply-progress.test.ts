// apply's progress through the built CLI, against an emulator whose services never start a task (so
// their rollouts stay in progress, polled every 2 s): each resource's line is printed when it changes,
// not at every poll, and each line carries the time since the start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useMoto } from '../support/moto.js';
import { runCli } from '../support/cli.js';
import { exampleManifests } from '../support/examples.js';

const moto = useMoto();

test('a rollout that does not finish prints its line once, not every poll, with the elapsed time', async () => {
  await moto.server.reset();
  const { dir } = await exampleManifests({ without: ['web/autoscaling.yaml'] });
  const r = await runCli(['apply', dir, '--timeout', '9s'], { env: moto.server.awsEnv });
  assert.equal(r.code, 1, r.stderr);
  // The progress lines, before the final report of what did not converge.
  const progress = r.stderr.split('\n').filter((l) => /^[✓✗…] /.test(l) && !l.includes('not finished before the timeout'));
  assert.ok(progress.length >= 5, r.stderr);
  for (const line of progress) assert.match(line, / \[\d+s\]$/, `elapsed time on: ${line}`);
  const bare = progress.map((l) => l.replace(/ \[\d+s\]$/, ''));
  assert.equal(new Set(bare).size, bare.length, `no line repeated:\n${r.stderr}`);
  // 9 s of polling every 2 s would have printed the unchanged rollout 4 times or more.
  assert.equal(bare.filter((l) => l === '… Service/web: Synced, Progressing — rollout of web:1 in progress: 0/2 tasks running').length, 1, r.stderr);
  assert.match(r.stderr, /✗ Service\/web: not finished before the timeout; Synced, Progressing — rollout of web:1 in progress: 0\/2 tasks running/);
});
