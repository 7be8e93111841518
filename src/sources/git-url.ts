// Telling a Git location from a folder, and the small rules around Git URLs: which --source values are
// repositories, what a pinned commit looks like, and where
// each repository's cache folder lives.
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, posix, resolve } from 'node:path';

const SCHEME_URL = /^(?:https?|ssh|git|file):\/\//i;
/** scp-like syntax, `user@host:path`; the user part is required so that `a:b` stays a folder name. */
const SCP_LIKE = /^[A-Za-z0-9._~-]+@[A-Za-z0-9.-]+:(?!\/\/)/;

/**
 * The URL to hand to git when `source` names a repository, or undefined when it is a folder of
 * manifests. Repositories: https://, http://, ssh://, git://, file:// URLs, `user@host:path`, and a
 * local path ending in `.git` that is a bare repository (given back as an absolute path).
 */
export function gitRemote(source: string): string | undefined {
  if (SCHEME_URL.test(source) || SCP_LIKE.test(source)) return source;
  const trimmed = source.replace(/\/+$/, '');
  if (!trimmed.endsWith('.git')) return undefined;
  const dir = resolve(trimmed);
  const isBare = ['HEAD', 'objects', 'refs'].every((entry) => existsSync(join(dir, entry)))
    && statSync(join(dir, 'objects')).isDirectory();
  return isBare ? dir : undefined;
}

/** A full commit SHA (SHA-1 or SHA-256): a pinned revision, fetched once and never polled. */
export function isCommitSha(ref: string): boolean {
  return /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i.test(ref);
}

/**
 * Checks a --ref value (branch, tag, full ref name, full commit SHA or HEAD) and returns it; throws an
 * Error naming the problem. (An abbreviated SHA passes here, as it may be a branch name; the fetch
 * then fails with a hint, since a Git server cannot be asked for one.)
 */
export function checkRef(ref: string): string {
  const bad = ref === '' || ref.startsWith('-') || ref.endsWith('/') || ref.endsWith('.lock')
    || /[\s~^:?*[\\]|\.\.|@\{/.test(ref);
  if (bad) throw new Error(`invalid --ref "${ref}": use a branch, a tag, a full ref name or a full commit SHA`);
  return ref;
}

/**
 * Checks a --path value (a folder inside the repository) and returns it without leading `./` or `/`
 * and trailing `/`; undefined for the repository root. A path that climbs out (`..`) is refused.
 */
export function checkRepoPath(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  const normal = posix.normalize(path.replace(/\\/g, '/')).replace(/^\/+|\/+$/g, '');
  if (normal === '' || normal === '.') return undefined;
  if (normal === '..' || normal.startsWith('../')) throw new Error(`invalid --path "${path}": it must stay inside the repository`);
  return normal;
}

/** `$XDG_CACHE_HOME/ecs-operator/git`, else `~/.cache/ecs-operator/git`. */
export function defaultCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'ecs-operator', 'git');
}

/**
 * One folder per repository and ref under `root`, named by a digest, so that two operators watching
 * different refs of one repository never share a shallow clone (and its locks).
 */
export function cacheFolder(root: string, url: string, ref: string): string {
  return join(root, createHash('sha256').update(`${url}\n${ref}`).digest('hex').slice(0, 16));
}
