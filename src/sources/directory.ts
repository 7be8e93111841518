// A folder of manifests as a source: read at start, again shortly after any change the watcher reports
// (debounced, so an editor's save or a `git pull` of many files makes one revision), and at every
// refresh() (the manager asks at each resync wave, so a missed event is caught within one). The files
// are delivered only once they are quiet: a read in which any file or folder changed less than
// `settleMs` ago is made again later, so a file written in several steps is never applied half-written.
// The watch follows the root when it is replaced (see root-watch.ts). A revision is only delivered when
// its content digest differs from the last one.
import { resolve } from 'node:path';
import type { Revision } from '../core/types.js';
import { untilAborted } from '../core/clock.js';
import { backoffDelay } from '../core/backoff.js';
import { readRevision, type DiskRevision } from './files.js';
import { RootWatch } from './root-watch.js';
import type { Source, SourceDescription } from './source.js';

export interface DirectorySourceOptions {
  /** Quiet time after the last change before reading. Default 300 ms. */
  debounceMs?: number;
  maxFileBytes?: number;
  /** Poll the file system instead of using native events (network and container volumes). */
  usePolling?: boolean;
  /**
   * A read is delivered only when no file or folder in it changed for this long; else it is made again
   * once that much time has passed. Default 2 s; 0 delivers every read at once.
   */
  settleMs?: number;
  /** Deadline of each file read and folder listing. Default 10 s. */
  readTimeoutMs?: number;
  /** How often the root path itself is checked for being replaced. Default 1 s. */
  rootCheckMs?: number;
  /** Files that have not been quiet for this long are reported as a failure (and still waited for). Default 30 s. */
  keepsChangingMs?: number;
}

export class DirectorySource implements Source {
  private readonly dir: string;
  private trigger: (() => void) | undefined;

  constructor(dir: string, private readonly options: DirectorySourceOptions = {}) {
    this.dir = resolve(dir);
  }

  describe(): SourceDescription {
    return { url: this.dir };
  }

  refresh(): void {
    this.trigger?.();
  }

  async start(
    signal: AbortSignal, onRevision: (revision: Revision) => Promise<void>, onError: (err: Error) => void, onFetched?: (at: string) => void,
  ): Promise<void> {
    const settleMs = this.options.settleMs ?? 2_000;
    const keepsChangingMs = this.options.keepsChangingMs ?? 30_000;
    let lastId: string | undefined;
    let timer: NodeJS.Timeout | undefined;
    let failures = 0;
    let unquiet: { since: number; reported: boolean } | undefined;
    let running: Promise<void> = Promise.resolve();
    const watch = new RootWatch(this.dir, {
      onChange: () => schedule(), onError, usePolling: this.options.usePolling ?? false,
      ...(this.options.rootCheckMs ? { rootCheckMs: this.options.rootCheckMs } : {}),
      ...(this.options.readTimeoutMs ? { timeoutMs: this.options.readTimeoutMs } : {}),
    });
    const read = async () => {
      if (signal.aborted) return;
      try {
        // After a failure (the root gone, say) the watch is started anew whatever the root looks like.
        await watch.follow(failures > 0);
        const revision = await readRevision([this.dir], {
          signal,
          ...(this.options.maxFileBytes ? { maxFileBytes: this.options.maxFileBytes } : {}),
          ...(this.options.readTimeoutMs ? { timeoutMs: this.options.readTimeoutMs } : {}),
        });
        const wait = unquietFor(revision, settleMs, Date.now());
        if (wait > 0) {
          unquiet ??= { since: Date.now(), reported: false };
          if (!unquiet.reported && Date.now() - unquiet.since > keepsChangingMs) {
            unquiet.reported = true;
            onError(new Error(`${revision.changed} has kept changing for over ${keepsChangingMs / 1000} s: the folder is read once nothing in it changed for ${settleMs / 1000} s`));
          }
          schedule(wait);
          return;
        }
        unquiet = undefined;
        failures = 0;
        const delivered: Revision = { info: { ...revision.info, source: this.dir, fetchedAt: new Date().toISOString() }, files: revision.files };
        if (revision.unreadable) delivered.unreadable = revision.unreadable;
        if (delivered.info.id === lastId) return onFetched?.(delivered.info.fetchedAt!);
        lastId = delivered.info.id;
        await onRevision(delivered);
      } catch (err) {
        if (signal.aborted) return;
        onError(err as Error);
        // A folder that is missing or unreadable sends no events: read again, ever less often.
        failures += 1;
        schedule(backoffDelay(failures, 1_000, 60_000));
      }
    };
    // One read at a time; a change during a read schedules one more.
    const schedule = (delayMs = this.options.debounceMs ?? 300) => {
      if (signal.aborted) return;
      clearTimeout(timer);
      timer = setTimeout(() => (running = running.then(read)), delayMs);
    };
    this.trigger = () => schedule(0);
    running = running.then(read);
    await running;
    await untilAborted(signal);
    this.trigger = undefined;
    // Watcher first: an event in between would otherwise schedule a read after shutdown.
    await watch.close();
    clearTimeout(timer);
    // A read in flight ends at once on abort (readRevision stops waiting); a delivery is waited for.
    await running;
  }
}

/**
 * How long to wait before the files of `revision` have been quiet for `settleMs`: 0 when they have.
 * A change time further in the future than the window (a clock skewed on a network volume) does not
 * hold the read back: there is nothing sound to wait for.
 */
function unquietFor(revision: DiskRevision, settleMs: number, now: number): number {
  if (settleMs <= 0 || revision.changedAt > now + settleMs) return 0;
  return Math.max(0, revision.changedAt + settleMs - now);
}
