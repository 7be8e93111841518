// What a Git source does when it cannot deliver: a repository, ref or --path that does not exist is
// reported with a clear message and retried with backoff (the source never stops); a git command that
// hangs is killed at its deadline; after a failure the same commit is delivered again so status recovers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GitSource } from '../../src/sources/git.js';
import { following, ISOLATED_GIT_ENV, withRepo } from './git-fixture.js';

const env = { ...process.env, ...ISOLATED_GIT_ENV };

test('a repository that does not exist: a clear error, retried with backoff, the source keeps going', () => withRepo(async (repo) => {
  const missing = pathToFileURL(join(repo.root, 'missing.git')).href;
  await following(new GitSource({ url: missing, cacheRoot: join(repo.root, 'cache'), pollIntervalMs: 100, pollJitter: 0, env }), async (run) => {
    const first = await run.error(1);
    assert.match(first.message, new RegExp(`^cannot fetch ${missing} \\(ref HEAD\\): .*does not appear to be a git repository`));
    await run.error(3, 5_000);
    // Backoff: 100 ms before the second attempt, 200 ms before the third.
    const [one = 0, two = 0, three = 0] = run.errorTimes;
    assert.ok(two - one >= 95 && three - two >= 195, `${two - one} ms, then ${three - two} ms`);
    assert.deepEqual(run.revisions, []);
  });
}));

test('a missing ref, an abbreviated SHA and a --path that is not a folder are named', () => withRepo(async (repo) => {
  const sha = repo.commit({ 'deploy/cluster.yaml': 'kind: Cluster\n', 'file.yaml': 'kind: Cluster\n' }, 'first');
  const url = pathToFileURL(repo.bare).href;
  const cases: Array<[{ ref?: string; path?: string }, RegExp]> = [
    [{ ref: 'release' }, /^cannot fetch .* \(ref release\): couldn't find remote ref release$/],
    [{ ref: sha.slice(0, 10) }, /couldn't find remote ref .* \(an abbreviated commit SHA cannot be fetched: give all 40 characters\)$/],
    [{ path: 'nowhere' }, new RegExp(`^--path "nowhere" is not a folder in commit ${sha.slice(0, 12)}$`)],
    [{ path: 'file.yaml' }, /^--path "file.yaml" is not a folder/],
  ];
  for (const [options, expected] of cases) {
    await following(new GitSource({ url, cacheRoot: join(repo.root, 'cache'), env, ...options }), async (run) => {
      assert.match((await run.error(1)).message, expected);
      assert.deepEqual(run.revisions, [], 'no revision (an empty one would read as "everything removed")');
    });
  }
}));

test('after a failed fetch, the next fetch of the same commit reports it is alive without delivering it again', () => withRepo(async (repo) => {
  repo.commit({ 'cluster.yaml': 'kind: Cluster\n' }, 'first');
  await following(new GitSource({ url: repo.bare, cacheRoot: join(repo.root, 'cache'), pollIntervalMs: 100, pollJitter: 0, env }), async (run) => {
    await run.revision(1);
    renameSync(repo.bare, `${repo.bare}.away`);
    await run.error(1);
    const before = run.fetched.length;
    renameSync(`${repo.bare}.away`, repo.bare);
    await run.unchangedFetch(before);
    assert.equal(run.revisions.length, 1, 'the same commit is not delivered twice');
  });
}));

test('locks left by a git killed hard are cleared when the source starts again', () => withRepo(async (repo) => {
  repo.commit({ 'cluster.yaml': 'kind: Cluster\n' }, 'first');
  const options = { url: repo.bare, cacheRoot: join(repo.root, 'cache'), pollIntervalMs: 100, env };
  const source = new GitSource(options);
  await following(source, async (run) => void (await run.revision(1)));
  for (const lock of ['shallow.lock', 'refs/ecs-operator/fetched.lock']) writeFileSync(join(source.gitDir, lock), '');
  const second = repo.commit({ 'cluster.yaml': 'kind: Cluster\nmetadata: {}\n' }, 'second');
  await following(new GitSource(options), async (run) => {
    assert.equal((await run.revision(1)).info.id, second);
    assert.deepEqual(run.errors, []);
  });
}));

test('a git command that hangs is killed at its deadline, ssh included', () => withRepo(async (repo) => {
  const source = new GitSource({
    url: 'ssh://git@git.example.invalid/repo.git', cacheRoot: join(repo.root, 'cache'), timeoutMs: 500,
    env: { ...env, GIT_SSH_COMMAND: 'sleep 30 #' },
  });
  const started = Date.now();
  await following(source, async (run) => {
    assert.match((await run.error(1)).message, /^cannot fetch ssh:\/\/git@git\.example\.invalid\/repo\.git \(ref HEAD\): timed out after 500ms/);
    assert.ok(Date.now() - started < 5_000);
  });
}));

test('invalid options are refused when the source is built', () => {
  const url = 'https://example.com/repo.git';
  assert.throws(() => new GitSource({ url, ref: '--upload-pack=evil' }), /invalid --ref/);
  assert.throws(() => new GitSource({ url, ref: 'a..b' }), /invalid --ref/);
  assert.throws(() => new GitSource({ url, path: '../outside' }), /must stay inside the repository/);
  assert.equal(new GitSource({ url, path: './' }).describe().path, undefined);
  assert.deepEqual(new GitSource({ url: 'https://user:pa55@example.com/repo.git', ref: 'main' }).describe(), { url: 'https://user:***@example.com/repo.git', ref: 'main' });
});
