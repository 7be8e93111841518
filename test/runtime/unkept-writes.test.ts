// Writes AWS did not keep: counted per difference (path, desired and live value) across writes and
// passes, forgotten when the difference goes or changes, or when the effective desired state
// changes; blocking at two; and the Stalled message names the fields with masked, bounded values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_UNKEPT_WRITES, trackUnkept, unkeptDifferences, unkeptMessage } from '../../src/runtime/unkept-writes.js';

const launchType = { path: '/launchType', desired: 'FARGATE', live: 'EC2' };
const count = { path: '/desiredCount', desired: 2, live: 1 };

test('a difference still there after a write counts; after two it blocks, until something changes', () => {
  let memory = trackUnkept(undefined, 'h1', [launchType, count]);
  assert.deepEqual(memory.counts, {}, 'a plan before any write counts nothing');
  memory = trackUnkept(memory, 'h1', [launchType], [launchType, count]); // the count was kept, the launch type not
  assert.deepEqual(unkeptDifferences(memory, 'h1', [launchType]), []);
  memory = trackUnkept(memory, 'h1', [launchType], [launchType]);
  assert.equal(MAX_UNKEPT_WRITES, 2);
  assert.deepEqual(unkeptDifferences(memory, 'h1', [launchType]), [launchType]);
  // The next passes read the same: still blocked, no write counted or needed.
  memory = trackUnkept(memory, 'h1', [launchType]);
  assert.deepEqual(unkeptDifferences(memory, 'h1', [launchType]), [launchType]);

  const changedLive = { ...launchType, live: 'EXTERNAL' };
  assert.deepEqual(unkeptDifferences(trackUnkept(memory, 'h1', [changedLive]), 'h1', [changedLive]), [], 'the live value changed');
  assert.deepEqual(unkeptDifferences(trackUnkept(memory, 'h2', [launchType]), 'h2', [launchType]), [], 'the manifest (or a reference) changed');
  assert.deepEqual(trackUnkept(memory, 'h1', []).counts, {}, 'gone: forgotten');
});

test('the message names each field with what was written and what reads, masked and cut short', () => {
  assert.match(unkeptMessage([launchType]), /^AWS did not keep \/launchType: wrote "FARGATE", reads "EC2" \(after 2 writes;/);
  const secret = { path: '/containerDefinitions/0/environment/0/value', desired: 'hunter2', live: undefined };
  const specs = { desired: { containerDefinitions: [{ environment: [{ name: 'DB_PASSWORD', value: 'hunter2' }] }] } };
  assert.match(unkeptMessage([secret], specs), /wrote "\*\*\*", reads nothing/);
  const long = { path: '/serviceConnectConfiguration', desired: { enabled: true, namespace: 'x'.repeat(300) }, live: undefined };
  assert.ok(unkeptMessage([long]).length < 350, 'the value is cut at 120 characters');
});
