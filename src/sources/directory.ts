// A folder of manifests as a source: read once at start, then again shortly after any change chokidar
// reports (debounced, so an editor's save or a `git pull` of many files makes one revision). A revision
// is only delivered when its content digest differs from the last one.
import { watch, type FSWatcher } from 'chokidar';
import { basename, resolve } from 'node:path';
import type { Revision } from '../core/types.js';
import { untilAborted } from '../core/clock.js';
import { backoffDelay } from '../core/backoff.js';
import { readRevision } from './files.js';
import type { Source, SourceDescription } from './source.js';

export interface DirectorySourceOptions {
  /** Quiet time after the last change before reading. Default 300 ms. */
  debounceMs?: number;
  maxFileBytes?: number;
  /** Poll the file system instead of using native events (network and container volumes). */
  usePolling?: boolean;
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
    let lastId: string | undefined;
    let timer: NodeJS.Timeout | undefined;
    let failures = 0;
    let running: Promise<void> = Promise.resolve();
    const read = async () => {
      try {
        const revision = await readRevision([this.dir], this.options.maxFileBytes ? { maxFileBytes: this.options.maxFileBytes } : {});
        failures = 0;
        revision.info = { ...revision.info, source: this.dir, fetchedAt: new Date().toISOString() };
        if (revision.info.id === lastId) return onFetched?.(revision.info.fetchedAt!);
        lastId = revision.info.id;
        await onRevision(revision);
      } catch (err) {
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
    this.trigger = () => schedule();
    const watcher: FSWatcher = watch(this.dir, {
      ignoreInitial: true,
      ignored: (path) => basename(path).startsWith('.') && resolve(path) !== this.dir,
      usePolling: this.options.usePolling ?? false,
    });
    watcher.on('all', () => schedule());
    watcher.on('error', (err) => onError(err as Error));
    await new Promise<void>((ready) => watcher.once('ready', () => ready()));
    running = running.then(read);
    await running;
    await untilAborted(signal);
    this.trigger = undefined;
    // Watcher first: an event in between would otherwise schedule a read after shutdown.
    await watcher.close();
    clearTimeout(timer);
    await running;
  }
}
