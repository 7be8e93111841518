// Reads one manifest file so that nothing about it can hurt the reader: only a regular file is read
// (checked with stat, then again on the open descriptor, which is opened non-blocking so that a FIFO
// swapped in between cannot block), at most a size cap of bytes, and only when it did not change
// while it was read (identity, size and mtime compared before and after). Anything else is a problem
// to report, never a partial or empty text: a half-read file must not look like fewer resources.
import { constants, type Stats } from 'node:fs';
import { lstat, open, readlink, stat } from 'node:fs/promises';
import { withDeadline } from '../core/clock.js';

/**
 * What readManifestFile found. `modifiedAt` (ms since the epoch) is the file's newest change seen, when
 * known: its mtime, or the time of the read for a file that changed while it was read.
 */
export type FileRead = { text: string; modifiedAt: number } | { problem: string; modifiedAt?: number };

export interface FileReadOptions {
  maxBytes: number;
  /** A read not finished by then is abandoned and reported (a hung network mount, a stuck device). */
  timeoutMs: number;
  /** Aborting stops the wait at once (the read's rejection is the signal's reason). */
  signal?: AbortSignal;
}

// Not every platform has it (Windows); there a FIFO is refused by the stat check alone.
const NON_BLOCKING = constants.O_NONBLOCK ?? 0;

/** Sizes as the size-cap messages print them: bytes, KiB or MiB. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}

/** The message for a file over the size cap. */
export function oversizedMessage(size: number, maxBytes: number): string {
  return `file is ${formatBytes(size)}, over the ${formatBytes(maxBytes)} limit: not read`;
}

/** The message for a folder found where a manifest file is expected (`web.yaml/`). */
export const FOLDER_NAMED_LIKE_A_FILE = 'is a folder named like a manifest file: not read (a manifest must be a regular file; rename the folder)';

/**
 * Reads `path` (symbolic links followed) as UTF-8. Never throws for anything about the file itself:
 * a missing, non-regular, oversized, unreadable, changing or too slow file is a `problem`. Rejects only
 * when `signal` aborts.
 */
export function readManifestFile(path: string, options: FileReadOptions): Promise<FileRead> {
  const late = () => Object.assign(new Error('late'), { late: true });
  return withDeadline(attempt(path, options.maxBytes), options.timeoutMs, late, options.signal).catch((err: unknown) => {
    if ((err as { late?: boolean }).late) return { problem: `could not be read within ${options.timeoutMs / 1000} s: not read` };
    throw err;
  });
}

async function attempt(path: string, maxBytes: number): Promise<FileRead> {
  let before: Stats;
  try {
    before = await stat(path);
  } catch (err) {
    return { problem: await missingMessage(path, err as NodeJS.ErrnoException) };
  }
  if (!before.isFile()) return { problem: await notRegularMessage(path, before) };
  if (before.size > maxBytes) return { problem: oversizedMessage(before.size, maxBytes), modifiedAt: before.mtimeMs };
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | NON_BLOCKING);
  } catch (err) {
    return { problem: `cannot read file: ${(err as Error).message}` };
  }
  try {
    const opened = await handle.stat();
    if (!opened.isFile()) return { problem: await notRegularMessage(path, opened) };
    if (!sameContent(before, opened)) return changed(before, opened);
    let buffer = Buffer.alloc(Math.min(opened.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > maxBytes) return { problem: oversizedMessage(length, maxBytes), modifiedAt: opened.mtimeMs };
      // A file that reports fewer bytes than it holds (some virtual file systems): read on, up to the cap.
      if (length === buffer.length) buffer = Buffer.concat([buffer, Buffer.alloc(Math.min(buffer.length, maxBytes + 1 - buffer.length))]);
    }
    const after = await stat(path).catch(() => undefined);
    if (!after) return { problem: 'disappeared while it was being read: not read' };
    if (!sameContent(opened, after) || length !== opened.size) return changed(opened, after);
    return { text: buffer.toString('utf8', 0, length), modifiedAt: opened.mtimeMs };
  } catch (err) {
    return { problem: `cannot read file: ${(err as Error).message}` };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** The same file (device and inode) with the same size and modification time. */
function sameContent(a: Stats, b: Stats): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

function changed(a: Stats, b: Stats): FileRead {
  return { problem: 'changed while it was being read: not read', modifiedAt: Math.max(a.mtimeMs, b.mtimeMs, Date.now()) };
}

async function notRegularMessage(path: string, info: Stats): Promise<string> {
  if (info.isDirectory()) return FOLDER_NAMED_LIKE_A_FILE;
  const what = info.isFIFO() ? 'a FIFO (named pipe)' : info.isCharacterDevice() ? 'a character device'
    : info.isBlockDevice() ? 'a block device' : info.isSocket() ? 'a socket' : 'not a regular file';
  const link = await linkTarget(path);
  return `is ${what}${link ? ` (through a symbolic link to ${link})` : ''}, not a regular file: not read`;
}

async function missingMessage(path: string, err: NodeJS.ErrnoException): Promise<string> {
  if (err.code === 'ELOOP') return 'is a symbolic link loop: not read';
  if (err.code !== 'ENOENT') return `cannot read file: ${err.message}`;
  const link = await linkTarget(path);
  return link ? `is a symbolic link to ${link}, which does not exist: not read` : 'disappeared while it was being read: not read';
}

/** Where `path` points when it is a symbolic link. */
async function linkTarget(path: string): Promise<string | undefined> {
  const own = await lstat(path).catch(() => undefined);
  return own?.isSymbolicLink() ? readlink(path).catch(() => '?') : undefined;
}
