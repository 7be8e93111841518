// Reads manifest files and folders from disk into a Revision: every *.yaml, *.yml and *.json at any depth,
// hidden files and folders skipped. Each file is read by readManifestFile (regular files only, a size
// cap, a deadline, not while it changes); whatever cannot be read, and a folder named like a manifest
// file, is reported instead, so that the revision is invalid rather than short of resources. The
// revision id is a digest of the paths and contents (and of the problems), so the same files give the
// same id wherever they are read.
import { createHash } from 'node:crypto';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { formatDiagnostic, type Diagnostic, type Revision } from '../core/types.js';
import { withDeadline } from '../core/clock.js';
import { FOLDER_NAMED_LIKE_A_FILE, oversizedMessage, readManifestFile, type FileRead } from './read-file.js';

/**
 * Files read at once. File reads run in libuv's thread pool (4 threads by default, shared with DNS
 * lookups): a read that hangs holds its thread until the system call returns, so at most half the
 * pool is ever spent here.
 */
const READS_AT_ONCE = 2;

export interface ReadOptions {
  /** Files larger than this many bytes are not read (reported in revision.unreadable). Default 1 MiB. */
  maxFileBytes?: number;
  /**
   * How files are named in the revision (and so in every diagnostic): `root` (default) relative to a
   * single folder argument, as a source root is; `as-given` prefixed by the path as the user typed it
   * (`manifests/web/service.yaml`), so that a terminal or an editor can open it from where it ran.
   */
  names?: 'root' | 'as-given';
  /** Deadline of each file read and of each folder listing. Default 10 s. */
  timeoutMs?: number;
  /** Aborting stops the read at once: readRevision rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** A revision read from disk, with when its files last changed (for a reader that waits for quiet). */
export interface DiskRevision extends Revision {
  /** The newest modification time (ms) of any file or folder read, a file's change seen while reading included. */
  changedAt: number;
  /** The file or folder that changed at `changedAt`, named like the files. */
  changed: string;
}

/** The files a source reads: YAML and JSON, whatever the folder depth. Hidden entries are skipped by callers. */
export const MANIFEST_FILE = /\.(ya?ml|json)$/i;

/** A whole-file error: a file that could not be read (too large, unreadable, a link). */
export const unreadable = (file: string, message: string): Diagnostic => ({ file, line: 1, col: 1, severity: 'error', path: '', message });

interface Found {
  absolute: string;
  name: string;
  /** Set when the entry is known not to be readable as a manifest without opening it. */
  problem?: string;
}

/**
 * Reads files and folders (recursively) into a Revision. A single folder argument becomes the root:
 * paths are relative to it. Otherwise paths are as given, relative to cwd. Paths always use '/'.
 * A path that does not exist, and a folder that cannot be listed in time, throw an Error naming it
 * (with code ENOENT for a missing path, as fs errors have); a file that cannot be read becomes a
 * diagnostic in `unreadable`. A file named explicitly is read whatever its extension.
 */
export async function readRevision(paths: string[], options: ReadOptions = {}): Promise<DiskRevision> {
  const maxBytes = options.maxFileBytes ?? 1024 * 1024;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const bounded = <T>(work: Promise<T>, what: string) =>
    withDeadline(work, timeoutMs, () => new Error(`${what} took longer than ${timeoutMs / 1000} s`), options.signal);
  const found: Found[] = [];
  let changedAt = 0;
  let changed = '';
  const saw = (at: number, name: string) => {
    if (at <= changedAt) return;
    changedAt = at;
    changed = name.split(sep).join('/');
  };
  for (const given of paths) {
    const info = await bounded(stat(given), `reading ${given}`).catch((cause: NodeJS.ErrnoException) => {
      if (cause === options.signal?.reason) throw cause;
      const message = cause.code === 'ENOENT' ? `no such file or directory: ${given}` : `cannot read ${given}: ${cause.message}`;
      throw Object.assign(new Error(message, { cause }), { code: cause.code ?? 'ENOENT', path: given });
    });
    const absolute = resolve(given);
    if (!info.isDirectory()) {
      found.push({ absolute, name: options.names === 'as-given' ? given : relative(process.cwd(), absolute) });
      continue;
    }
    const base = paths.length === 1 ? absolute : process.cwd();
    const walked = await walk(absolute, new Set(), bounded);
    saw(walked.changedAt, options.names === 'as-given' ? join(given, relative(absolute, walked.changed)) : relative(base, walked.changed) || '.');
    for (const entry of walked.entries) {
      found.push({ ...entry, name: options.names === 'as-given' ? join(given, relative(absolute, entry.absolute)) : relative(base, entry.absolute) });
    }
  }
  // The first of each name (a file named twice, or through two folder arguments, is read once).
  const unique = new Map<string, Found>();
  for (const entry of found) {
    const path = entry.name.split(sep).join('/');
    if (!unique.has(path)) unique.set(path, entry);
  }
  const entries = [...unique];
  const reads: FileRead[] = [];
  let taken = 0;
  const readNext = async (): Promise<void> => {
    for (let i = taken++; i < entries.length; i = taken++) {
      const { absolute, problem } = entries[i]![1];
      reads[i] = problem ? { problem } : await readManifestFile(absolute, { maxBytes, timeoutMs, ...(options.signal ? { signal: options.signal } : {}) });
    }
  };
  await Promise.all(Array.from({ length: READS_AT_ONCE }, readNext));
  const files = new Map<string, string>();
  const problems: Diagnostic[] = [];
  for (const [i, [path]] of entries.entries()) {
    const read = reads[i]!;
    saw(read.modifiedAt ?? 0, path);
    if ('text' in read) files.set(path, read.text);
    else problems.push(unreadable(path, read.problem));
  }
  const revision: DiskRevision = { info: { id: revisionId(files, problems), source: paths.join(' ') }, files, changedAt, changed };
  if (problems.length > 0) revision.unreadable = problems;
  return revision;
}

/** The error for a file over the size cap. */
export function oversized(file: string, size: number, maxBytes: number): Diagnostic {
  return unreadable(file, oversizedMessage(size, maxBytes));
}

type Bounded = <T>(work: Promise<T>, what: string) => Promise<T>;

/**
 * Manifest files under a folder, sorted; hidden entries skipped; each real folder visited once
 * (symlink loops). A folder named like a manifest file is an entry with a problem, not walked: a
 * file replaced by a folder of its name must not read as the file's removal. `changedAt` is the
 * newest mtime of the folders walked (an entry added, removed or renamed changes it), `changed` that folder.
 */
async function walk(dir: string, visited: Set<string>, bounded: Bounded): Promise<{ entries: Found[]; changedAt: number; changed: string }> {
  const real = await bounded(realpath(dir), `reading folder ${dir}`);
  if (visited.has(real)) return { entries: [], changedAt: 0, changed: dir };
  visited.add(real);
  let changedAt = (await bounded(stat(dir), `reading folder ${dir}`)).mtimeMs;
  let changed = dir;
  const out: Found[] = [];
  const entries = await bounded(readdir(dir, { withFileTypes: true }), `reading folder ${dir}`);
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    const isDir = entry.isDirectory() || (entry.isSymbolicLink() && (await bounded(stat(path), `reading ${path}`).catch(() => undefined))?.isDirectory());
    if (isDir && MANIFEST_FILE.test(entry.name)) out.push({ absolute: path, name: path, problem: FOLDER_NAMED_LIKE_A_FILE });
    else if (isDir) {
      const inner = await walk(path, visited, bounded);
      out.push(...inner.entries);
      if (inner.changedAt > changedAt) ({ changedAt, changed } = inner);
    } else if (MANIFEST_FILE.test(entry.name)) out.push({ absolute: path, name: path });
  }
  return { entries: out, changedAt, changed };
}

/**
 * First 12 hex digits of a SHA-256 over the sorted (path, content) pairs, each length-prefixed, then
 * the problems, if any: a file that turns unreadable (or readable again) makes a new revision.
 */
export function revisionId(files: ReadonlyMap<string, string>, problems: readonly Diagnostic[] = []): string {
  const hash = createHash('sha256');
  for (const path of [...files.keys()].sort()) {
    const content = files.get(path)!;
    hash.update(`${Buffer.byteLength(path)}:${path}\n${Buffer.byteLength(content)}:`).update(content).update('\n');
  }
  for (const line of problems.map(formatDiagnostic).sort()) hash.update(`!${line}\n`);
  return hash.digest('hex').slice(0, 12);
}
