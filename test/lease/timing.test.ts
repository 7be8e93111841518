// The timing rules of leader election, table-tested: the write deadline, when a standby looks again,
// what counts as free, and which settings are refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LeaseRecord } from '../../src/lease/lease-store.js';
import { DEFAULT_TIMING, failureDelay, FAST_POLL_MS, isFree, SLOW_POLL_MS, standbyDelay, timingProblem, writeDeadline } from '../../src/lease/timing.js';

const lease = (expiresAt: number, renewedAt: number): LeaseRecord => ({ name: 'default', holder: 'other', token: 3, expiresAt, acquiredAt: 0, renewedAt });

test('writeDeadline: expiry (sent + 15 s) minus the 2 s skew allowance minus twice the round trip', () => {
  const cases: Array<[sentAt: number, rtt: number, want: number]> = [
    [0, 0, 13_000],
    [0, 50, 12_900],
    [10_000, 500, 22_000],
    [0, -5, 13_000], // a clock that went backwards counts as no time
  ];
  for (const [sentAt, rtt, want] of cases) assert.equal(writeDeadline(sentAt, rtt, DEFAULT_TIMING), want, `${sentAt} ${rtt}`);
});

test('isFree: no record, released (expiry 0) or lapsed; held until its expiry has passed', () => {
  assert.equal(isFree(undefined, 5), true);
  assert.equal(isFree(lease(0, 0), 5), true);
  assert.equal(isFree(lease(4, 0), 5), true);
  assert.equal(isFree(lease(5, 0), 5), false, 'the store takes it only when expiry < now');
  assert.equal(isFree(lease(6, 0), 5), false);
});

test('standbyDelay: at once when free, every second when the holder is late, every 1.5 s otherwise, never past expiry', () => {
  const cases: Array<[record: LeaseRecord | undefined, now: number, want: number, why: string]> = [
    [undefined, 0, 0, 'no lease'],
    [lease(0, 0), 100_000, 0, 'released'],
    [lease(115_000, 100_000), 101_000, SLOW_POLL_MS, 'renewed a second ago'],
    [lease(115_000, 100_000), 105_900, SLOW_POLL_MS, 'renewal due about now'],
    [lease(115_000, 100_000), 106_100, FAST_POLL_MS, 'renewal late by more than a second'],
    [lease(115_000, 100_000), 114_500, 501, 'lapses in 500 ms: look 1 ms after'],
    [lease(115_000, 100_000), 115_000, 1, 'lapses now'],
  ];
  for (const [record, now, want, why] of cases) assert.equal(standbyDelay(record, now, DEFAULT_TIMING), want, why);
});

test('failureDelay: 1 s, 2 s, 4 s, then the renew interval', () => {
  assert.deepEqual([1, 2, 3, 4, 5].map((n) => failureDelay(n, DEFAULT_TIMING)), [1_000, 2_000, 4_000, 5_000, 5_000]);
});

test('timingProblem: one failed renewal must not lose the lease', () => {
  assert.equal(timingProblem(DEFAULT_TIMING), undefined);
  assert.equal(timingProblem({ ...DEFAULT_TIMING, durationMs: 30_000, renewIntervalMs: 10_000 }), undefined);
  assert.match(timingProblem({ ...DEFAULT_TIMING, durationMs: 10_000 })!, /must exceed twice the renew interval \(5000ms\) plus the 2000ms clock skew allowance/);
  assert.match(timingProblem({ ...DEFAULT_TIMING, renewIntervalMs: 50 })!, /at least 100ms/);
});
