// A clock for tests whose timers fire only when advance() passes their time, in order.
import type { Clock } from '../../src/core/clock.js';

export type SimulatedClock = Clock & { advance(ms: number): void };

/** Starts at `start` (default 0). */
export function simulatedClock(start = 0): SimulatedClock {
  let now = start;
  let timers: Array<{ at: number; fn: () => void; id: number }> = [];
  let ids = 0;
  return {
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
}
