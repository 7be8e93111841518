// Leadership terms: the part of the process lifecycle that starts a fresh term of `run` each time
// this process becomes the leader and ends it when leadership is lost (src/lease answers who leads).
import type { Leadership } from '../lease/leadership.js';

/**
 * Runs `term` each time this process becomes the leader, with a signal that aborts when leadership is
 * lost or `signal` (the process stopping) aborts; one term at a time, the next only once the last has
 * returned. Resolves once `signal` has aborted and the term in progress has returned.
 */
export async function runTerms(leadership: Leadership, signal: AbortSignal, term: (signal: AbortSignal) => Promise<void>): Promise<void> {
  while (!signal.aborted) {
    await untilLeaderOrAborted(leadership, signal);
    if (signal.aborted) return;
    const ended = new AbortController();
    const end = () => ended.abort();
    const off = leadership.onChange((leader) => leader || end());
    signal.addEventListener('abort', end, { once: true });
    try {
      if (!leadership.isLeader) end();
      await term(ended.signal);
    } finally {
      off();
      signal.removeEventListener('abort', end);
    }
  }
}

function untilLeaderOrAborted(leadership: Leadership, signal: AbortSignal): Promise<void> {
  if (leadership.isLeader || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      off();
      signal.removeEventListener('abort', done);
      resolve();
    };
    const off = leadership.onChange((leader) => leader && done());
    signal.addEventListener('abort', done, { once: true });
  });
}
