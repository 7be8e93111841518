// One installer at a time: parallel test files (and the demo) that all need a tool installed on first
// use wait on a lock directory while one of them installs it. A lock older than an install could
// take belongs to a crashed run and is broken.
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Runs `fn` holding the lock directory `lockDir`; waits at most `limitMs` for another holder. */
export async function withInstallLock<T>(lockDir: string, limitMs: number, fn: () => T | Promise<T>): Promise<T> {
  mkdirSync(dirname(lockDir), { recursive: true });
  const deadline = Date.now() + limitMs;
  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch {
      const age = Date.now() - (statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > limitMs) rmSync(lockDir, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`timed out waiting for another install to finish (${lockDir})`);
      else await sleep(500);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}
