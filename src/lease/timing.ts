// The timing rules of leader election, as pure functions: how long a leader may write after a
// renewal, when a standby looks again, and which lease settings are sound. Table-tested.
import type { LeaseRecord } from './lease-store.js';

export interface LeaseTiming {
  /** How long an acquisition or renewal holds the lease. Default 15 s. */
  durationMs: number;
  /** How often the leader renews. Default 5 s. */
  renewIntervalMs: number;
  /**
   * How far apart the clocks of two operators may be. Expiry is written in the holder's clock and read
   * in the standby's: a standby whose clock runs ahead sees the lease lapse early by that much. ECS
   * tasks keep time with the Amazon Time Sync Service (well under a millisecond); 2 s also covers hosts
   * whose NTP is far worse. Default 2 s.
   */
  skewAllowanceMs: number;
}

export const DEFAULT_TIMING: LeaseTiming = { durationMs: 15_000, renewIntervalMs: 5_000, skewAllowanceMs: 2_000 };

/** A standby looks this often while the lease is free or its leader is late to renew... */
export const FAST_POLL_MS = 1_000;
/** ...and this often while a leader renews on time: a release is seen within this, a rolling deploy hands over as fast. */
export const SLOW_POLL_MS = 1_500;

/**
 * The settings' flaw, or undefined when sound: the leader must be able to miss one renewal and still
 * hold the lease at the next, once the skew allowance is taken off.
 */
export function timingProblem(t: LeaseTiming): string | undefined {
  if (t.renewIntervalMs < 100) return 'the lease renew interval must be at least 100ms';
  if (2 * t.renewIntervalMs + t.skewAllowanceMs >= t.durationMs) {
    return `the lease duration (${t.durationMs}ms) must exceed twice the renew interval (${t.renewIntervalMs}ms) plus the ${t.skewAllowanceMs}ms clock skew allowance, so that one failed renewal does not lose the lease`;
  }
  return undefined;
}

/**
 * Until when (on the holder's monotonic clock) a lease renewed by a request sent at `sentAt` may be
 * written under. The store records expiry as sentAt's wall time + duration, so the lease is the
 * holder's until then by its own clock; a standby with a clock ahead by up to the skew allowance may
 * take it that much earlier; and a write let through just before the deadline still has to reach AWS,
 * which takes about one round trip (the renewal's own round trip `rttMs` is the measure, doubled for a
 * slower moment). So the leader stops at expiry - skew allowance - 2 x RTT: before any standby can
 * believe the lease is free.
 */
export function writeDeadline(sentAt: number, rttMs: number, t: LeaseTiming): number {
  return sentAt + t.durationMs - t.skewAllowanceMs - 2 * Math.max(0, rttMs);
}

/** Free for anyone to take at `now`: no record, released (expiry 0), or lapsed. Mirrors the store's condition. */
export function isFree(record: LeaseRecord | undefined, now: number): boolean {
  return record === undefined || record.expiresAt < now;
}

/**
 * How long a standby waits before it looks again: at once when the lease is free; soon (FAST_POLL_MS)
 * when its holder is late with a renewal, so that a dead leader is replaced as soon as the lease
 * lapses; otherwise SLOW_POLL_MS, which bounds how long a released lease stays unclaimed. Never past
 * the moment the lease lapses. This only decides how quickly a standby notices; safety comes from the
 * store's conditional writes.
 */
export function standbyDelay(record: LeaseRecord | undefined, now: number, t: LeaseTiming): number {
  if (record === undefined || isFree(record, now)) return 0;
  const lastRenewal = record.renewedAt ?? record.acquiredAt;
  const late = now - lastRenewal > t.renewIntervalMs + FAST_POLL_MS;
  const poll = late ? FAST_POLL_MS : SLOW_POLL_MS;
  // One millisecond past expiry: `isFree` then holds (expiry < now).
  return Math.max(0, Math.min(poll, record.expiresAt - now + 1));
}

/** The wait after a failed store request: 1 s, 2 s, 4 s... up to the renew interval. */
export function failureDelay(failures: number, t: LeaseTiming): number {
  return Math.min(t.renewIntervalMs, 1_000 * 2 ** Math.max(0, failures - 1));
}
