// Reads manifest files and folders from disk into a Revision: every *.yaml, *.yml and *.json at any depth,
// hidden files and folders skipped, files over a size cap reported instead of read. The revision id is a
// digest of the paths and contents, so the same files give the same id wherever they are read.
import { createHash } from 'node:crypto';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { Diagnostic, Revision } from '../core/types.js';

export interface ReadOptions {
  /** Files larger than this many bytes are not read (reported in revision.unreadable). Default 1 MiB. */
  maxFileBytes?: number;
  /**
   * How files are named in the revision (and so in every diagnostic): `root` (default) relative to a
   * single folder argument, as a source root is; `as-given` prefixed by the path as the user typed it
   * (`manifests/web/service.yaml`), so that a terminal or an editor can open it from where it ran.
   */
  names?: 'root' | 'as-given';
}

/** The files a source reads: YAML and JSON, whatever the folder depth. Hidden entries are skipped by callers. */
export const MANIFEST_FILE = /\.(ya?ml|json)$/i;

/** Sizes as the size-cap messages print them: bytes, KiB or MiB. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}

/** A whole-file error: a file that could not be read (too large, unreadable, a link). */
export const unreadable = (file: string, message: string): Diagnostic => ({ file, line: 1, col: 1, severity: 'error', path: '', message });

/**
 * Reads files and folders (recursively) into a Revision. A single folder argument becomes the root:
 * paths are relative to it. Otherwise paths are as given, relative to cwd. Paths always use '/'.
 * A path that does not exist throws an Error naming it (with code ENOENT, as fs errors have); a file
 * over the cap or unreadable becomes a diagnostic in `unreadable`. A file named explicitly is read
 * whatever its extension.
 */
export async function readRevision(paths: string[], options: ReadOptions = {}): Promise<Revision> {
  const maxBytes = options.maxFileBytes ?? 1024 * 1024;
  const found: Array<{ absolute: string; name: string }> = [];
  for (const given of paths) {
    const info = await stat(given).catch((cause: NodeJS.ErrnoException) => {
      const message = cause.code === 'ENOENT' ? `no such file or directory: ${given}` : `cannot read ${given}: ${cause.message}`;
      throw Object.assign(new Error(message, { cause }), { code: cause.code ?? 'ENOENT', path: given });
    });
    const absolute = resolve(given);
    if (!info.isDirectory()) {
      found.push({ absolute, name: options.names === 'as-given' ? given : relative(process.cwd(), absolute) });
      continue;
    }
    const base = paths.length === 1 ? absolute : process.cwd();
    for (const file of await walk(absolute, new Set())) {
      found.push({ absolute: file, name: options.names === 'as-given' ? join(given, relative(absolute, file)) : relative(base, file) });
    }
  }
  const files = new Map<string, string>();
  const problems: Diagnostic[] = [];
  for (const { absolute, name } of found) {
    const path = name.split(sep).join('/');
    if (files.has(path)) continue;
    try {
      const { size } = await stat(absolute);
      if (size > maxBytes) {
        problems.push(oversized(path, size, maxBytes));
        continue;
      }
      files.set(path, await readFile(absolute, 'utf8'));
    } catch (err) {
      problems.push(unreadable(path, `cannot read file: ${(err as Error).message}`));
    }
  }
  const revision: Revision = { info: { id: revisionId(files), source: paths.join(' ') }, files };
  if (problems.length > 0) revision.unreadable = problems;
  return revision;
}

/** The error for a file over the size cap. */
export function oversized(file: string, size: number, maxBytes: number): Diagnostic {
  return unreadable(file, `file is ${formatBytes(size)}, over the ${formatBytes(maxBytes)} limit: not read`);
}

/** Manifest files under a folder, sorted; hidden entries skipped; each real folder visited once (symlink loops). */
async function walk(dir: string, visited: Set<string>): Promise<string[]> {
  const real = await realpath(dir);
  if (visited.has(real)) return [];
  visited.add(real);
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    const isDir = entry.isDirectory() || (entry.isSymbolicLink() && (await stat(path).catch(() => undefined))?.isDirectory());
    if (isDir) out.push(...(await walk(path, visited)));
    else if (MANIFEST_FILE.test(entry.name)) out.push(path);
  }
  return out;
}

/** First 12 hex digits of a SHA-256 over the sorted (path, content) pairs, each length-prefixed. */
export function revisionId(files: ReadonlyMap<string, string>): string {
  const hash = createHash('sha256');
  for (const path of [...files.keys()].sort()) {
    const content = files.get(path)!;
    hash.update(`${Buffer.byteLength(path)}:${path}\n${Buffer.byteLength(content)}:`).update(content).update('\n');
  }
  return hash.digest('hex').slice(0, 12);
}
