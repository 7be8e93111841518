// The Git source against real local repositories: what a revision holds (commit SHA, subject, author,
// files under --path with the folder source's filter), polling, refresh coalescing, tags, pinned
// commits, and a delivery only when the commit changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadRevision } from '../../src/desired/load.js';
import { GitSource, type GitSourceOptions } from '../../src/sources/git.js';
import { ALICE, countingGit, following, ISOLATED_GIT_ENV, withRepo, type TestRepo } from './git-fixture.js';
import { KIND_REGISTRY } from '../../src/kinds/registry.js';

const CLUSTER = 'apiVersion: ecs-operator.dev/v1alpha1\nkind: Cluster\nmetadata: {name: prod}\nspec: {}\n';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function gitSource(repo: TestRepo, options: Partial<GitSourceOptions> = {}): GitSource {
  return new GitSource({
    url: pathToFileURL(repo.bare).href, cacheRoot: join(repo.root, 'cache'), pollIntervalMs: 60_000,
    env: { ...process.env, ...ISOLATED_GIT_ENV }, ...options,
  });
}

test('a revision is the commit: SHA, subject, author, and the manifests under --path by the folder rules', () => withRepo(async (repo) => {
  const sha = repo.commit({
    'deploy/cluster.yaml': CLUSTER,
    'deploy/app/web.yml': CLUSTER.replace('prod', 'web'),
    'deploy/app/worker.json': '{}',
    'deploy/notes.txt': 'not a manifest',
    'deploy/.hidden/skipped.yaml': CLUSTER,
    'deploy/.skipped.yaml': CLUSTER,
    'other/outside.yaml': CLUSTER,
  }, 'Add the prod cluster\n\nWith a body that is not the subject.', { name: 'Bob Builder', email: 'bob@example.com' });
  const source = gitSource(repo, { path: './deploy/' });
  assert.deepEqual(source.describe(), { url: pathToFileURL(repo.bare).href, ref: 'HEAD', path: 'deploy' });
  await following(source, async (run) => {
    const revision = await run.revision(1);
    assert.equal(revision.info.id, sha);
    assert.equal(revision.info.message, 'Add the prod cluster');
    assert.equal(revision.info.author, 'Bob Builder <bob@example.com>');
    assert.ok(revision.info.fetchedAt && Date.parse(revision.info.fetchedAt) > 0);
    assert.deepEqual([...revision.files.keys()].sort(), ['deploy/app/web.yml', 'deploy/app/worker.json', 'deploy/cluster.yaml']);
    assert.equal(revision.files.get('deploy/cluster.yaml'), CLUSTER);
    assert.equal(revision.unreadable, undefined);
    assert.deepEqual(run.errors, []);
  });
}));

test('polling picks up a pushed commit; an unchanged commit is not delivered again', () => withRepo(async (repo) => {
  repo.commit({ 'cluster.yaml': CLUSTER }, 'first');
  await following(gitSource(repo, { pollIntervalMs: 150 }), async (run) => {
    await run.revision(1);
    await sleep(800); // several polls
    assert.equal(run.revisions.length, 1);
    const second = repo.commit({ 'cluster.yaml': CLUSTER.replace('{}', '{settings: []}') }, 'second');
    const revision = await run.revision(2, 3_000);
    assert.equal(revision.info.id, second);
    assert.equal(revision.info.message, 'second');
    assert.equal(revision.info.author, `${ALICE.name} <${ALICE.email}>`);
    assert.deepEqual(run.errors, []);
  });
}));

test('refresh() coalesces a burst into at most one more fetch, and brings a new commit at once', () => withRepo(async (repo) => {
  repo.commit({ 'cluster.yaml': CLUSTER }, 'first');
  const git = countingGit(repo.root);
  const source = gitSource(repo, { pollIntervalMs: 3_600_000, env: git.env });
  const fetches = () => git.calls().filter((line) => line.includes(' fetch ')).length;
  await following(source, async (run) => {
    for (let i = 0; i < 20; i++) source.refresh(); // while the first fetch is in flight
    await run.revision(1);
    await sleep(500);
    assert.equal(fetches(), 2, git.calls().join('\n'));
    repo.commit({ 'b.yaml': CLUSTER.replace('prod', 'b') }, 'second');
    for (let i = 0; i < 20; i++) source.refresh();
    await run.revision(2, 3_000);
    await sleep(500);
    assert.ok(fetches() <= 4, `${fetches()} fetches`);
    assert.equal(run.revisions.length, 2);
  });
}));

test('tags and full ref names are followed; a pinned commit is fetched once and never polled', () => withRepo(async (repo) => {
  const first = repo.commit({ 'cluster.yaml': CLUSTER }, 'first');
  repo.git('tag', '-a', 'v1', '-m', 'release 1');
  repo.git('tag', 'light');
  repo.git('push', '--quiet', 'origin', 'v1', 'light');
  repo.commit({ 'cluster.yaml': CLUSTER.replace('{}', '{settings: []}') }, 'second');
  for (const ref of ['v1', 'light', 'refs/tags/v1']) {
    await following(gitSource(repo, { ref }), async (run) => {
      const revision = await run.revision(1);
      assert.equal(revision.info.id, first, ref);
      assert.equal(revision.info.message, 'first');
    });
  }
  const git = countingGit(repo.root);
  const fetches = () => git.calls().filter((line) => line.includes(' fetch ')).length;
  const source = gitSource(repo, { ref: first, pollIntervalMs: 100, env: git.env });
  assert.equal(source.watchesRef('refs/heads/main'), false);
  await following(source, async (run) => {
    assert.equal((await run.revision(1)).info.id, first);
    source.refresh();
    await sleep(500);
    assert.equal(fetches(), 1);
    assert.equal(run.revisions.length, 1);
  });
  // Restarted with the same cache: the commit is already there, nothing is fetched.
  await following(gitSource(repo, { ref: first, env: git.env }), async (run) => {
    assert.equal((await run.revision(1)).info.id, first);
    assert.equal(fetches(), 1);
  });
}));

test('watchesRef: which pushes can change what the source reads', () => withRepo(async (repo) => {
  const branch = gitSource(repo, { ref: 'main' });
  assert.equal(branch.watchesRef('refs/heads/main'), true);
  assert.equal(branch.watchesRef('refs/heads/feature'), false);
  const tag = gitSource(repo, { ref: 'refs/tags/v2' });
  assert.equal(tag.watchesRef('refs/tags/v2'), true);
  assert.equal(tag.watchesRef('refs/heads/v2'), false);
  const head = gitSource(repo);
  assert.equal(head.watchesRef('refs/heads/anything'), true);
  assert.equal(head.watchesRef('refs/tags/v1'), false);
}));

test('files over the size cap, symbolic links, folders and submodules named like manifests are reported, not read; the others are', () => withRepo(async (repo) => {
  repo.commit({ 'cluster.yaml': CLUSTER, 'big.yaml': `# ${'x'.repeat(3000)}\n`, 'web.yaml/notes.txt': 'the web service moved\n', 'empty.yaml': '' }, 'big');
  symlinkSync('cluster.yaml', join(repo.work, 'link.yaml'));
  repo.commit({}, 'link');
  // A submodule entry, committed as is (commit() would stage its missing folder as a deletion).
  repo.git('update-index', '--add', '--cacheinfo', `160000,${repo.git('rev-parse', 'HEAD')},module.yaml`);
  repo.git('commit', '--quiet', '-m', 'submodule');
  repo.git('push', '--quiet', '--force', 'origin', 'HEAD:main');
  await following(gitSource(repo, { maxFileBytes: 2048 }), async (run) => {
    const revision = await run.revision(1);
    assert.deepEqual([...revision.files.keys()].sort(), ['cluster.yaml', 'empty.yaml']);
    const messages = (revision.unreadable ?? []).map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`).sort();
    assert.deepEqual(messages, [
      'big.yaml:1:1: file is 2.9 KiB, over the 2 KiB limit: not read',
      'link.yaml:1:1: is a symbolic link, which a Git source does not follow: not read',
      'module.yaml:1:1: is a submodule, which a Git source does not fetch: not read',
      'web.yaml:1:1: is a folder named like a manifest file: not read (a manifest must be a regular file; rename the folder)',
    ]);
    assert.ok(revision.unreadable!.every((d) => d.severity === 'error'));
    // A committed empty file makes the revision invalid, like every other problem here.
    const loaded = loadRevision(revision, KIND_REGISTRY.rules);
    assert.equal(loaded.state, undefined);
    assert.ok(loaded.errors.some((e) => e.file === 'empty.yaml' && /the file is empty/.test(e.message)));
  });
}));
