// DriftPersisting reminders for a drift that stays on record (alert-only policy, or a fight with
// another actor). They back off so a known drift does not page all day: 15 min, 1 h and 4 h after
// the drift was first seen, then once a day. A reminder that fell due while the process was busy is
// sent once, not once per missed step. Time comes from an injectable clock.
import { systemClock, type Clock } from '../core/clock.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Delays after the drift was first seen. */
export const REMINDER_STEPS_MS: readonly number[] = [15 * MINUTE, HOUR, 4 * HOUR];
/** After the last step, one reminder every this long. */
export const REMINDER_REPEAT_MS = 24 * HOUR;

/** When reminder number `n` (1-based) of a drift first seen at `firstSeen` falls due. */
export function reminderDueAt(firstSeen: number, n: number, steps = REMINDER_STEPS_MS, repeat = REMINDER_REPEAT_MS): number {
  if (n <= steps.length) return firstSeen + steps[n - 1]!;
  return firstSeen + steps[steps.length - 1]! + (n - steps.length) * repeat;
}

export interface Reminder {
  key: string;
  /** 1 for the first reminder. */
  number: number;
  firstSeen: number;
}

export interface RemindersOptions {
  /** Called for each reminder that falls due (from the timer, or from check()). */
  onDue: (reminder: Reminder) => void;
  clock?: Clock;
  steps?: readonly number[];
  repeatMs?: number;
}

/** The drifts being reminded of, keyed by resource key, with one timer for the earliest due. */
export class DriftReminders {
  private readonly tracked = new Map<string, { firstSeen: number; sent: number }>();
  private readonly clock: Clock;
  private timer: unknown;
  private running = false;

  constructor(private readonly options: RemindersOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /** Starts reminding of `key`'s drift. Tracking the same drift again keeps its count. */
  track(key: string, firstSeen: number): void {
    if (this.tracked.get(key)?.firstSeen === firstSeen) return;
    this.tracked.set(key, { firstSeen, sent: 0 });
    this.arm();
  }

  untrack(key: string): void {
    if (this.tracked.delete(key)) this.arm();
  }

  has(key: string): boolean {
    return this.tracked.has(key);
  }

  /** Sends every reminder due at `now`; returns them. The timer calls this; tests may too. */
  check(now = this.clock.now()): Reminder[] {
    const due: Reminder[] = [];
    for (const [key, entry] of this.tracked) {
      let n = entry.sent;
      while (this.dueAt(entry.firstSeen, n + 1) <= now) n++;
      if (n === entry.sent) continue;
      entry.sent = n;
      due.push({ key, number: n, firstSeen: entry.firstSeen });
    }
    for (const reminder of due) this.options.onDue(reminder);
    this.arm();
    return due;
  }

  /** Runs the timer until stop(). */
  start(): void {
    this.running = true;
    this.arm();
  }

  stop(): void {
    this.running = false;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private dueAt(firstSeen: number, n: number): number {
    return reminderDueAt(firstSeen, n, this.options.steps, this.options.repeatMs);
  }

  private arm(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.running || this.tracked.size === 0) return;
    const next = Math.min(...[...this.tracked.values()].map((e) => this.dueAt(e.firstSeen, e.sent + 1)));
    this.timer = this.clock.setTimeout(() => this.check(), Math.max(0, next - this.clock.now()));
  }
}
