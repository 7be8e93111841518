// Real Git repositories for tests: a bare "origin" in a temp folder and a work tree that commits and
// pushes to it with the real `git`, isolated from the user's own configuration.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Revision } from '../../src/core/types.js';
import type { Source } from '../../src/sources/source.js';
import { eventually } from '../support/cli.js';

/** Git configuration that ignores ~/.gitconfig and /etc/gitconfig, so tests behave the same everywhere. */
export const ISOLATED_GIT_ENV = { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };

export interface Author {
  name: string;
  email: string;
}

export interface TestRepo {
  /** Temp folder holding everything below; removed by cleanup(). */
  root: string;
  /** The bare repository (the remote the source fetches from). */
  bare: string;
  work: string;
  /** Writes (string) or deletes (null) files, commits everything and pushes `main`; resolves with the SHA. */
  commit(files: Record<string, string | null>, message: string, author?: Author): string;
  /** Runs git in the work tree; returns trimmed stdout. */
  git(...args: string[]): string;
  cleanup(): void;
}

export const ALICE: Author = { name: 'Alice Example', email: 'alice@example.com' };

export function createRepo(): TestRepo {
  const root = mkdtempSync(join(tmpdir(), 'git-source-'));
  const bare = join(root, 'origin.git');
  const work = join(root, 'work');
  const run = (cwd: string, args: string[], env: Record<string, string> = {}) =>
    execFileSync('git', args, { cwd, env: { ...process.env, ...ISOLATED_GIT_ENV, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  run(root, ['init', '--quiet', '--bare', '-b', 'main', bare]);
  run(root, ['init', '--quiet', '-b', 'main', work]);
  run(work, ['remote', 'add', 'origin', bare]);
  const git = (...args: string[]) => run(work, args, authorEnv(ALICE));
  return {
    root, bare, work, git,
    commit(files, message, author = ALICE) {
      for (const [path, content] of Object.entries(files)) {
        const file = join(work, path);
        if (content === null) rmSync(file, { force: true });
        else {
          mkdirSync(dirname(file), { recursive: true });
          writeFileSync(file, content);
        }
      }
      run(work, ['add', '--all'], authorEnv(author));
      run(work, ['commit', '--quiet', '--allow-empty', '-m', message], authorEnv(author));
      run(work, ['push', '--quiet', '--force', 'origin', 'HEAD:main']);
      return run(work, ['rev-parse', 'HEAD']);
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

function authorEnv(author: Author): Record<string, string> {
  return {
    GIT_AUTHOR_NAME: author.name, GIT_AUTHOR_EMAIL: author.email,
    GIT_COMMITTER_NAME: author.name, GIT_COMMITTER_EMAIL: author.email,
  };
}

/**
 * A `git` on PATH that appends each command line to a log, then runs the real git: how tests count
 * fetches and check what appears on a command line. Returns the env to run the source with.
 */
export function countingGit(root: string): { env: NodeJS.ProcessEnv; calls: () => string[] } {
  const real = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  const bin = join(root, 'bin');
  const log = join(root, 'git-calls.log');
  mkdirSync(bin, { recursive: true });
  writeFileSync(log, '');
  writeFileSync(join(bin, 'git'), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${real}' "$@"\n`);
  chmodSync(join(bin, 'git'), 0o755);
  return {
    env: { ...process.env, ...ISOLATED_GIT_ENV, PATH: `${bin}:${process.env.PATH ?? ''}` },
    calls: () => readFileSync(log, 'utf8').split('\n').filter(Boolean),
  };
}

/** Runs `test` with a fresh repository, removed afterwards. */
export async function withRepo(test: (repo: TestRepo) => Promise<void>): Promise<void> {
  const repo = createRepo();
  try {
    await test(repo);
  } finally {
    repo.cleanup();
  }
}

/** Runs `test` with the source started, and stops it afterwards. */
export async function following(source: Source, test: (run: ReturnType<typeof follow>) => Promise<void>): Promise<void> {
  const run = follow(source);
  try {
    await test(run);
  } finally {
    await run.stop();
  }
}

/** A started source, with what it delivered and reported so far. */
export function follow(source: Source) {
  const stop = new AbortController();
  const revisions: Revision[] = [];
  const errors: Error[] = [];
  /** When each error was reported (ms since epoch). */
  const errorTimes: number[] = [];
  const onError = (err: Error) => {
    errors.push(err);
    errorTimes.push(Date.now());
  };
  /** Fetches that found nothing new (their times). */
  const fetched: string[] = [];
  const done = source.start(stop.signal, async (revision) => void revisions.push(revision), onError, (at) => void fetched.push(at));
  return {
    revisions, errors, errorTimes, fetched,
    /** Waits for the n-th delivered revision (1-based). */
    revision: (n: number, timeoutMs = 10_000) => eventually(() => revisions[n - 1], timeoutMs, `revision ${n}`),
    error: (n: number, timeoutMs = 10_000) => eventually(() => errors[n - 1], timeoutMs, `error ${n}`),
    /** Waits for a fetch that found nothing new after `since` fetches of that kind. */
    unchangedFetch: (since: number, timeoutMs = 10_000) => eventually(() => fetched[since], timeoutMs, 'an unchanged fetch'),
    async stop() {
      stop.abort();
      await done;
    },
  };
}
