// DriftPersisting reminders on a simulated clock: 15 min, 1 h, 4 h, then daily; one reminder for
// several missed steps; untracking stops them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DriftReminders, reminderDueAt, type Reminder } from '../../src/alerts/reminders.js';
import type { Clock } from '../../src/core/clock.js';

const MIN = 60_000;

/** A clock whose timers fire when advance() passes their time. */
function simulatedClock() {
  let now = 0;
  let timers: Array<{ at: number; fn: () => void; id: number }> = [];
  let ids = 0;
  const clock: Clock & { advance(ms: number): void } = {
    now: () => now,
    setTimeout: (fn, ms) => { timers.push({ at: now + ms, fn, id: ++ids }); return ids; },
    clearTimeout: (id) => { timers = timers.filter((t) => t.id !== id); },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const next = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!next) break;
        timers = timers.filter((t) => t !== next);
        now = next.at;
        next.fn();
      }
      now = end;
    },
  };
  return clock;
}

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
