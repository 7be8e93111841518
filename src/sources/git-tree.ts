// Reading the manifests of one commit straight from a repository's object store, with no checkout:
// ls-tree lists the files under the watched path (with their sizes, so an oversized file is never
// read), cat-file --batch reads all the others in one process. The same rules as a folder source:
// *.yaml, *.yml and *.json, hidden entries skipped, files over the size cap reported, and anything
// named like a manifest that is not a plain file (a folder, a link, a submodule) an error.
import type { Diagnostic } from '../core/types.js';
import { MANIFEST_FILE, oversized, unreadable } from './files.js';
import { FOLDER_NAMED_LIKE_A_FILE } from './read-file.js';

/** Runs one git command in the repository and resolves with its stdout. */
export type GitRunner = (args: string[], input?: string) => Promise<Buffer>;

export interface CommitFiles {
  /** Paths from the repository root, with '/'. */
  files: Map<string, string>;
  /** Files that could not be read (over the cap, symbolic links, folders and submodules named like manifests), as error diagnostics. */
  unreadable: Diagnostic[];
}

export interface CommitInfo {
  /** The subject line. */
  subject: string;
  /** `Name <email>`. */
  author: string;
}


interface TreeEntry {
  mode: string;
  type: string;
  oid: string;
  size: number;
  /** Relative to the listed tree. */
  name: string;
}

/**
 * The manifest files of `commit` under `path` (the repository root when undefined). A path that is not
 * a folder of that commit throws an Error naming it: delivering an empty revision instead would read
 * as "every resource was removed". A symbolic link to a manifest is an error for the same reason: it
 * cannot be followed inside the object store, and skipping it would drop its resources.
 */
export async function readCommitFiles(git: GitRunner, commit: string, path: string | undefined, maxBytes: number): Promise<CommitFiles> {
  // -t lists the folders too: one named like a manifest file is an error, as on disk.
  const listing = await git(['ls-tree', '-r', '-t', '-z', '-l', path ? `${commit}:${path}` : commit]).catch((err: Error) => {
    throw path ? new Error(`--path "${path}" is not a folder in commit ${commit.slice(0, 12)}`) : err;
  });
  const prefix = path ? `${path}/` : '';
  const wanted: TreeEntry[] = [];
  const problems: Diagnostic[] = [];
  for (const entry of parseTree(listing)) {
    // Hidden files and folders are skipped like on disk.
    if (!MANIFEST_FILE.test(entry.name) || entry.name.split('/').some((part) => part.startsWith('.'))) continue;
    const file = prefix + entry.name;
    if (entry.type === 'tree') problems.push(unreadable(file, FOLDER_NAMED_LIKE_A_FILE));
    else if (entry.type !== 'blob') problems.push(unreadable(file, 'is a submodule, which a Git source does not fetch: not read'));
    else if (entry.mode === '120000') problems.push(unreadable(file, 'is a symbolic link, which a Git source does not follow: not read'));
    else if (entry.size > maxBytes) problems.push(oversized(file, entry.size, maxBytes));
    else wanted.push({ ...entry, name: file });
  }
  const files = new Map<string, string>();
  if (wanted.length > 0) {
    const blobs = parseBatch(await git(['cat-file', '--batch'], wanted.map((e) => e.oid).join('\n') + '\n'));
    for (const entry of wanted) {
      const content = blobs.get(entry.oid);
      if (content === undefined) problems.push(unreadable(entry.name, `object ${entry.oid} is missing from the fetched commit: not read`));
      else files.set(entry.name, content.toString('utf8'));
    }
  }
  return { files, unreadable: problems };
}

/** The subject and author of a commit. */
export async function readCommitInfo(git: GitRunner, commit: string): Promise<CommitInfo> {
  const out = (await git(['log', '-1', '--no-show-signature', '--format=%an%x00%ae%x00%s', commit])).toString('utf8').replace(/\n$/, '');
  const [name = '', email = '', subject = ''] = out.split('\0');
  return { subject, author: `${name} <${email}>` };
}

/** `ls-tree -r -z -l` records: `<mode> <type> <oid> <size>\t<name>\0`. */
function parseTree(out: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (const record of out.toString('utf8').split('\0')) {
    const tab = record.indexOf('\t');
    if (tab < 0) continue;
    const [mode = '', type = '', oid = '', bytes = ''] = record.slice(0, tab).split(/ +/);
    entries.push({ mode, type, oid, size: Number(bytes) || 0, name: record.slice(tab + 1) });
  }
  return entries;
}

/** `cat-file --batch` output: per object `<oid> <type> <size>\n<content>\n`, or `<oid> missing\n`. */
function parseBatch(out: Buffer): Map<string, Buffer> {
  const objects = new Map<string, Buffer>();
  let at = 0;
  while (at < out.length) {
    const eol = out.indexOf(0x0a, at);
    if (eol < 0) break;
    const [oid = '', type = '', bytes] = out.subarray(at, eol).toString('utf8').split(' ');
    at = eol + 1;
    if (type === 'missing' || bytes === undefined) continue;
    const length = Number(bytes);
    objects.set(oid, out.subarray(at, at + length));
    at += length + 1;
  }
  return objects;
}
