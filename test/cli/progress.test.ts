// apply's progress: a line only when a resource's state says something new, each with the elapsed
// time, and a heartbeat naming what is awaited after 30 s of quiet, never more often.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { elapsed, Progress } from '../../src/cli/progress.js';

test('progress: repeated lines are dropped, changes are printed with the elapsed time', () => {
  let now = 1_000_000;
  const lines: string[] = [];
  const progress = new Progress({ say: (l) => lines.push(l), now: () => now });
  assert.equal(progress.update('Service/web', '… Service/web: Progressing'), true);
  now += 2_000;
  assert.equal(progress.update('Service/web', '… Service/web: Progressing'), false, 'the same again');
  assert.equal(progress.update('Service/api', '… Service/api: Progressing'), true, 'another resource');
  now += 63_000;
  progress.update('Service/web', '✓ Service/web: Healthy');
  assert.deepEqual(lines, ['… Service/web: Progressing [0s]', '… Service/api: Progressing [2s]', '✓ Service/web: Healthy [1m05s]']);
});

test('progress: a heartbeat after 30 s of quiet, at most every 30 s, only while something is awaited', () => {
  let now = 0;
  const lines: string[] = [];
  const progress = new Progress({ say: (l) => lines.push(l), now: () => now });
  const awaited = () => ['Service/web (Progressing: 0/2 tasks running)'];
  for (let t = 0; t <= 95_000; t += 1_000) {
    now = t;
    progress.tick(awaited);
  }
  assert.deepEqual(lines, [
    '… still waiting for 1 resource(s): Service/web (Progressing: 0/2 tasks running) [30s]',
    '… still waiting for 1 resource(s): Service/web (Progressing: 0/2 tasks running) [1m00s]',
    '… still waiting for 1 resource(s): Service/web (Progressing: 0/2 tasks running) [1m30s]',
  ]);
  now = 200_000;
  progress.tick(() => []);
  assert.equal(lines.length, 3, 'nothing awaited: no heartbeat');
  assert.equal(elapsed(3_725_000), '62m05s');
});
