// runTerms: a term while leading, aborted when leadership is lost, the next one only after the last
// returned, none after the process stops; without leader election, one term for the whole run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alwaysLeader, type Leadership } from '../../src/lease/leadership.js';
import { runTerms } from '../../src/operator/terms.js';

/** Leadership switched by hand. */
function switchable(): Leadership & { set(leader: boolean): void } {
  let leader = false;
  const listeners = new Set<(leader: boolean) => void>();
  return {
    get isLeader() {
      return leader;
    },
    onChange: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    status: () => ({ leader }),
    set(value) {
      leader = value;
      for (const l of [...listeners]) l(value);
    },
  };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

test('terms follow leadership: one at a time, each ended by its loss, none once stopped', async () => {
  const leadership = switchable();
  const stop = new AbortController();
  const log: string[] = [];
  let finishFirst: () => void = () => {};
  let n = 0;
  const done = runTerms(leadership, stop.signal, async (signal) => {
    const term = ++n;
    log.push(`start ${term}`);
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    log.push(`abort ${term}`);
    // The first term takes its time to stop: the second must wait for it.
    if (term === 1) await new Promise<void>((resolve) => (finishFirst = resolve));
    log.push(`end ${term}`);
  });
  await tick();
  assert.deepEqual(log, [], 'no term while standing by');
  leadership.set(true);
  await tick();
  leadership.set(false);
  await tick();
  leadership.set(true);
  await tick();
  assert.deepEqual(log, ['start 1', 'abort 1'], 'the second waits for the first to end');
  finishFirst();
  await tick();
  await tick();
  assert.deepEqual(log, ['start 1', 'abort 1', 'end 1', 'start 2']);
  stop.abort();
  await done;
  assert.deepEqual(log, ['start 1', 'abort 1', 'end 1', 'start 2', 'abort 2', 'end 2']);
});

test('always the leader: one term, ended by the stop', async () => {
  const stop = new AbortController();
  let terms = 0;
  const done = runTerms(alwaysLeader, stop.signal, async (signal) => {
    terms += 1;
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  });
  await tick();
  stop.abort();
  await done;
  assert.equal(terms, 1);
});
