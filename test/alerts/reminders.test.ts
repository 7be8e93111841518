// DriftPersisting reminders on a simulated clock: 15 min, 1 h, 4 h, then daily; one reminder for
// several missed steps; untracking stops them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DriftReminders, reminderDueAt, type Reminder } from '../../src/alerts/reminders.js';
import { simulatedClock } from '../support/simulated-clock.js';

const MIN = 60_000;

test('reminders: the schedule backs off to daily', () => {
  assert.deepEqual([1, 2, 3, 4, 5].map((n) => reminderDueAt(0, n) / MIN), [15, 60, 240, 240 + 1440, 240 + 2880]);
});

test('reminders: fire on the timer, in order, and stop when untracked', () => {
  const clock = simulatedClock();
  const sent: Array<Reminder & { at: number }> = [];
  const reminders = new DriftReminders({ clock, onDue: (r) => sent.push({ ...r, at: clock.now() }) });
  reminders.start();
  reminders.track('Service/web', 0);
  reminders.track('Service/web', 0); // the same drift again: no reset
  clock.advance(14 * MIN);
  assert.equal(sent.length, 0);
  clock.advance(2 * MIN);
  assert.deepEqual(sent.map((r) => [r.number, r.at / MIN]), [[1, 15]]);
  clock.advance(5 * 60 * MIN);
  assert.deepEqual(sent.map((r) => [r.number, r.at / MIN]), [[1, 15], [2, 60], [3, 240]]);
  reminders.untrack('Service/web');
  clock.advance(3 * 24 * 60 * MIN);
  assert.equal(sent.length, 3);
  reminders.stop();
});

test('reminders: steps missed while busy give one reminder', () => {
  let now = 0;
  const sent: Reminder[] = [];
  const reminders = new DriftReminders({ clock: { now: () => now, setTimeout: () => 0, clearTimeout: () => {} }, onDue: (r) => sent.push(r) });
  reminders.track('Service/web', 0);
  now = 5 * 60 * MIN;
  assert.deepEqual(reminders.check().map((r) => r.number), [3]);
  assert.deepEqual(reminders.check(), []);
  assert.equal(sent.length, 1);
});
