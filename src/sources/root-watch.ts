// Watches a folder of manifests, and keeps watching it when the folder itself is replaced. chokidar
// watches the tree, but a watch belongs to the folder it started on: once the root is deleted and
// made again, moved away and back, or switched through a symbolic link (`ln -s new tmp && mv -T tmp
// current`), it reports nothing more, or reports the old folder. So the root path is also polled
// with stat (fs.watchFile, one stat a second), which sees any of these, and follow() starts a new
// tree watch whenever the path no longer leads to the folder being watched.
import { watch, type FSWatcher } from 'chokidar';
import { unwatchFile, watchFile, type Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { withDeadline } from '../core/clock.js';

export interface RootWatchOptions {
  /** Called on any change in the tree or of the root itself (the caller debounces). */
  onChange: () => void;
  onError: (err: Error) => void;
  /** Poll the tree instead of using native events (network and container volumes). */
  usePolling?: boolean;
  /** How often the root path is checked. Default 1 s. */
  rootCheckMs?: number;
  /** Deadline of the root's stat in follow(). Default 10 s. */
  timeoutMs?: number;
}

export class RootWatch {
  private tree: FSWatcher | undefined;
  /** Which folder `tree` watches: real path, device, inode and birth time. */
  private watched: string | undefined;
  private readonly listener = () => this.options.onChange();
  private closed = false;

  constructor(private readonly dir: string, private readonly options: RootWatchOptions) {
    watchFile(dir, { interval: options.rootCheckMs ?? 1_000, persistent: false }, this.listener);
  }

  /**
   * Makes sure the tree watch is on the folder the root path leads to now: started anew when the
   * root was replaced (or `force`), stopped while the root does not exist (the root check then
   * brings the next change). Resolves once the new watch is ready; rejects when the root cannot be
   * looked at within the deadline.
   */
  async follow(force = false): Promise<void> {
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    const identity = await withDeadline(folderIdentity(this.dir), timeoutMs, () => new Error(`reading folder ${this.dir} took longer than ${timeoutMs / 1000} s`));
    if (this.closed || (identity !== undefined && identity === this.watched && !force)) return;
    await this.stopTree();
    if (identity === undefined || this.closed) return;
    const tree = watch(this.dir, {
      ignoreInitial: true,
      ignored: (path) => basename(path).startsWith('.') && resolve(path) !== this.dir,
      usePolling: this.options.usePolling ?? false,
    });
    tree.on('all', this.listener);
    tree.on('error', (err) => this.options.onError(err as Error));
    this.tree = tree;
    this.watched = identity;
    await new Promise<void>((ready) => tree.once('ready', () => ready()));
  }

  /** Stops both watches; a follow() still under way starts none. */
  async close(): Promise<void> {
    this.closed = true;
    unwatchFile(this.dir, this.listener);
    await this.stopTree();
  }

  private async stopTree(): Promise<void> {
    const tree = this.tree;
    this.tree = undefined;
    this.watched = undefined;
    await tree?.close();
  }
}

/** What tells one folder from another at the same path (an inode number alone can be reused). */
async function folderIdentity(dir: string): Promise<string | undefined> {
  try {
    const [real, info]: [string, Stats] = await Promise.all([realpath(dir), stat(dir)]);
    return info.isDirectory() ? `${real}\0${info.dev}:${info.ino}:${info.birthtimeMs}` : undefined;
  } catch {
    return undefined;
  }
}
