// A Git repository as a source: a shallow fetch of one ref into a bare cache folder, every poll
// interval (jittered) or at once on refresh() (a push webhook), one fetch at a time with bursts
// coalesced. A revision is delivered only when the fetched commit changed; its id is the commit SHA and
// it carries the commit's subject and author. A failed fetch is reported and retried with backoff; it
// never stops the source. A pinned commit SHA is fetched once and never polled again.
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { untilAborted } from '../core/clock.js';
import { jittered } from '../core/backoff.js';
import type { Revision } from '../core/types.js';
import { authorizationHeader, tokenOrigin } from './git-auth.js';
import { GitError, gitEnvironment, runGit } from './git-cli.js';
import { readCommitFiles, readCommitInfo, type GitRunner } from './git-tree.js';
import { cacheFolder, checkRef, checkRepoPath, defaultCacheRoot, isCommitSha } from './git-url.js';
import { redactUrl } from '../core/redact.js';
import type { Secret } from '../core/secret.js';
import type { Source, SourceDescription } from './source.js';

export interface GitSourceOptions {
  /** The repository, as git understands it (see gitRemote()). */
  url: string;
  /** A branch, tag, full ref name or full commit SHA. Default `HEAD`: the remote's default branch. */
  ref?: string;
  /** The folder inside the repository that holds the manifests. Default: the repository root. */
  path?: string;
  /** Default 60 s. */
  pollIntervalMs?: number;
  /** Fraction of the interval by which each poll moves, at random. Default 0.1. */
  pollJitter?: number;
  /** Where cache folders go, one per repository and ref. Default defaultCacheRoot(). */
  cacheRoot?: string;
  /**
   * An https token (--git-token-file, or its value in ECS_OPERATOR_GIT_TOKEN): `TOKEN` (sent as the
   * password of user x-access-token) or `USER:TOKEN`. Read at every fetch, so a rotated token file is
   * picked up; sent as an Authorization header set through the environment. Only for https URLs (and
   * http on a loopback address).
   */
  token?: Secret;
  /** Deadline of every git command. Default 60 s. */
  timeoutMs?: number;
  /** Larger manifest files are reported, not read. Default 1 MiB. */
  maxFileBytes?: number;
  /** What git runs with (credential variables pass through). Default process.env. */
  env?: NodeJS.ProcessEnv;
  log?: Logger;
}

/** Where the fetched commit is kept, so that the next fetch negotiates from it and sends nothing new. */
const FETCHED_REF = 'refs/ecs-operator/fetched';
/** Lock files git leaves behind when killed hard (the cache folder has a single user). */
const STALE_LOCKS = ['shallow.lock', 'config.lock', 'packed-refs.lock', `${FETCHED_REF}.lock`];
const MAX_BACKOFF_MS = 5 * 60_000;

export class GitSource implements Source {
  readonly ref: string;
  readonly path: string | undefined;
  /** The bare repository this source fetches into. */
  readonly gitDir: string;
  private readonly pinned: boolean;
  private readonly env: NodeJS.ProcessEnv;
  private prepared = false;
  private kick: (() => void) | undefined;

  /** Throws an Error on an invalid ref or path, or a token file for a URL that cannot carry one. */
  constructor(private readonly options: GitSourceOptions) {
    this.ref = checkRef(options.ref ?? 'HEAD');
    this.path = checkRepoPath(options.path);
    this.pinned = isCommitSha(this.ref);
    this.env = options.env ?? process.env;
    this.gitDir = cacheFolder(options.cacheRoot ?? defaultCacheRoot(this.env), options.url, this.ref);
    if (options.token) tokenOrigin(options.url, options.token.origin);
  }

  describe(): SourceDescription {
    return { url: redactUrl(this.options.url), ref: this.ref, ...(this.path ? { path: this.path } : {}) };
  }

  refresh(): void {
    this.kick?.();
  }

  /** Whether a push to `pushedRef` (`refs/heads/main`) may change what this source reads. */
  watchesRef(pushedRef: string): boolean {
    if (this.pinned) return false;
    if (this.ref === 'HEAD') return pushedRef.startsWith('refs/heads/'); // the default branch, whichever it is
    if (this.ref.startsWith('refs/')) return pushedRef === this.ref;
    return pushedRef === `refs/heads/${this.ref}` || pushedRef === `refs/tags/${this.ref}`;
  }

  async start(
    signal: AbortSignal, onRevision: (revision: Revision) => Promise<void>, onError: (err: Error) => void, onFetched?: (at: string) => void,
  ): Promise<void> {
    let delivered: string | undefined;
    let failures = 0;
    let finished = false; // a pinned commit was delivered: nothing left to poll
    let running: Promise<void> | undefined;
    let again = false;
    let timer: NodeJS.Timeout | undefined;

    const cycle = async () => {
      try {
        const commit = await this.fetchCommit(signal);
        const fetchedAt = new Date().toISOString();
        failures = 0;
        if (commit !== delivered) {
          const revision = await this.readRevision(commit, fetchedAt, signal);
          delivered = commit;
          this.options.log?.info({ revision: commit, subject: revision.info.message, author: revision.info.author }, 'git commit fetched');
          await onRevision(revision);
        } else {
          onFetched?.(fetchedAt);
        }
        finished = this.pinned;
      } catch (err) {
        if (signal.aborted) return;
        failures += 1;
        onError(err as Error);
      }
    };
    const schedule = () => {
      if (!signal.aborted && !finished) timer = setTimeout(kick, this.nextDelay(failures));
    };
    // One fetch in flight; any number of requests meanwhile make one more.
    const kick = () => {
      if (signal.aborted || finished) return;
      if (running) {
        again = true;
        return;
      }
      clearTimeout(timer);
      running = (async () => {
        do {
          again = false;
          await cycle();
        } while (again && !signal.aborted && !finished);
      })().finally(() => {
        running = undefined;
        schedule();
      });
    };
    this.kick = kick;
    kick();
    await untilAborted(signal);
    this.kick = undefined;
    clearTimeout(timer);
    await running; // git commands in flight are killed through the signal
  }

  private nextDelay(failures: number): number {
    const interval = this.options.pollIntervalMs ?? 60_000;
    const jitter = this.options.pollJitter ?? 0.1;
    const base = failures === 0 ? interval : Math.min(interval * 2 ** (failures - 1), Math.max(interval, MAX_BACKOFF_MS));
    return jittered(base, jitter);
  }

  /** Fetches the ref and resolves with the commit SHA it points at. */
  private async fetchCommit(signal: AbortSignal): Promise<string> {
    const git = this.runner(await this.environment(), signal);
    await this.prepare(git);
    if (this.pinned) {
      const local = await git(['rev-parse', '--verify', '--quiet', `${this.ref}^{commit}`]).catch(() => undefined);
      if (local) return local.toString('utf8').trim();
    }
    try {
      await git(['fetch', '--quiet', '--depth', '1', '--no-tags', 'origin', `+${this.ref}:${FETCHED_REF}`]);
    } catch (err) {
      throw this.fetchFailure(err as Error);
    }
    return (await git(['rev-parse', '--verify', `${FETCHED_REF}^{commit}`])).toString('utf8').trim();
  }

  private async readRevision(commit: string, fetchedAt: string, signal: AbortSignal): Promise<Revision> {
    const git = this.runner(gitEnvironment(this.env, []), signal);
    const maxBytes = this.options.maxFileBytes ?? 1024 * 1024;
    const [{ files, unreadable }, info] = await Promise.all([readCommitFiles(git, commit, this.path, maxBytes), readCommitInfo(git, commit)]);
    const revision: Revision = { info: { id: commit, source: this.describe().url, message: info.subject, author: info.author, fetchedAt }, files };
    if (unreadable.length > 0) revision.unreadable = unreadable;
    return revision;
  }

  /** Creates the bare cache repository once, and clears the locks a killed git may have left. */
  private async prepare(git: GitRunner): Promise<void> {
    if (this.prepared) return;
    await mkdir(this.gitDir, { recursive: true });
    if (!existsSync(join(this.gitDir, 'HEAD'))) await git(['init', '--bare', '--quiet']);
    await Promise.all(STALE_LOCKS.map((lock) => rm(join(this.gitDir, lock), { force: true })));
    this.prepared = true;
  }

  /** The remote and the token travel as configuration in the environment, never as arguments. */
  private async environment(): Promise<NodeJS.ProcessEnv> {
    const config: Array<[string, string]> = [
      ['remote.origin.url', this.options.url],
      // Housekeeping inside the fetch's deadline, not in a detached process.
      ['gc.autoDetach', 'false'],
      ['maintenance.autoDetach', 'false'],
    ];
    if (this.options.token) {
      const header = await authorizationHeader(this.options.token);
      config.push([`http.${tokenOrigin(this.options.url, this.options.token.origin)}/.extraHeader`, header]);
    }
    return gitEnvironment(this.env, config);
  }

  private runner(env: NodeJS.ProcessEnv, signal: AbortSignal): GitRunner {
    const timeoutMs = this.options.timeoutMs ?? 60_000;
    return (args, input) => runGit(args, { env, gitDir: this.gitDir, timeoutMs, signal, ...(input === undefined ? {} : { input }) });
  }

  private fetchFailure(err: Error): Error {
    let message = `cannot fetch ${this.describe().url} (ref ${this.ref}): ${err.message.replace(/^git fetch (failed: )?/, '')}`;
    if (/couldn't find remote ref/.test(message) && /^[0-9a-f]{7,39}$/i.test(this.ref)) {
      message += ' (an abbreviated commit SHA cannot be fetched: give all 40 characters)';
    }
    return new GitError(message, err instanceof GitError ? err.exitCode : undefined, err instanceof GitError ? err.stderr : '');
  }
}
