// How a Git source authenticates: an https token file becomes an Authorization header set through
// the environment (never on a command line, never in a message); without a credential git fails at
// once instead of prompting; ssh goes through whatever GIT_SSH_COMMAND the environment gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileSecret } from '../../src/core/secret.js';
import { GitSource } from '../../src/sources/git.js';
import { gitEnvironment } from '../../src/sources/git-cli.js';
import { countingGit, following, ISOLATED_GIT_ENV, withRepo } from './git-fixture.js';
import { startGitHttpServer } from './git-http-server.js';

const TOKEN = 'ghp_s3cret-token-value';
const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;

test('gitEnvironment appends configuration after the caller\'s own and turns prompts off', () => {
  const env = gitEnvironment({ GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'user.name', GIT_CONFIG_VALUE_0: 'x', GIT_DIR: '/elsewhere', SSH_AUTH_SOCK: '/agent' }, [['a.b', 'c']]);
  assert.equal(env.GIT_CONFIG_COUNT, '2');
  assert.equal(env.GIT_CONFIG_KEY_0, 'user.name');
  assert.equal(env.GIT_CONFIG_KEY_1, 'a.b');
  assert.equal(env.GIT_CONFIG_VALUE_1, 'c');
  assert.equal(env.GIT_TERMINAL_PROMPT, '0');
  assert.equal(env.GIT_DIR, undefined, 'a repository named by the caller\'s environment is not used');
  assert.equal(env.SSH_AUTH_SOCK, '/agent', 'the ssh agent passes through');
});

test('https with a token file: fetched with the header, the token on no command line; without it, a fast failure', () => withRepo(async (repo) => {
  const server = await startGitHttpServer(repo.root, (auth) => auth === basic(`x-access-token:${TOKEN}`) || auth === basic(`deploy:${TOKEN}`));
  try {
    const sha = repo.commit({ 'cluster.yaml': 'kind: Cluster\n' }, 'over http');
    const url = `${server.base}/origin.git`;
    const git = countingGit(repo.root);
    const tokenFile = join(repo.root, 'token');
    const options = { url, cacheRoot: join(repo.root, 'cache'), env: git.env, pollIntervalMs: 60_000 };

    // No credential: git must not wait for a prompt.
    const started = Date.now();
    await following(new GitSource(options), async (run) => {
      assert.match((await run.error(1, 15_000)).message, new RegExp(`cannot fetch ${url} \\(ref HEAD\\): .*(terminal prompts disabled|Authentication failed)`));
      assert.ok(Date.now() - started < 10_000, 'failed fast');
    });
    for (const content of [`${TOKEN}\n`, `deploy:${TOKEN}`]) {
      writeFileSync(tokenFile, content);
      await following(new GitSource({ ...options, token: fileSecret(tokenFile, '--git-token-file') }), async (run) => {
        assert.equal((await run.revision(1)).info.id, sha);
        assert.deepEqual(run.errors, []);
      });
    }
    const secretLooking = (line: string) => line.includes(TOKEN) || line.includes(Buffer.from(TOKEN).toString('base64').slice(0, 12));
    assert.ok(git.calls().length > 0);
    assert.deepEqual(git.calls().filter(secretLooking), []);

    // A wrong token: refused, and the message does not carry it.
    writeFileSync(tokenFile, 'wrong-token');
    await following(new GitSource({ ...options, token: fileSecret(tokenFile, '--git-token-file') }), async (run) => {
      assert.doesNotMatch((await run.error(1, 15_000)).message, /wrong-token/);
    });
    assert.ok(server.authorizations.includes(basic('x-access-token:wrong-token')));
  } finally {
    await server.close();
  }
}));

test('a token file is refused for a URL that cannot carry it safely', () => {
  for (const url of ['ssh://git@example.com/repo.git', 'git@example.com:repo.git', 'http://example.com/repo.git', 'file:///tmp/repo.git']) {
    assert.throws(() => new GitSource({ url, token: fileSecret('/dev/null', '--git-token-file') }), /--git-token-file needs an https:\/\/ source URL/, url);
  }
  assert.doesNotThrow(() => new GitSource({ url: 'https://example.com/repo.git', token: fileSecret('/dev/null', '--git-token-file') }));
  assert.doesNotThrow(() => new GitSource({ url: 'http://127.0.0.1:8080/repo.git', token: fileSecret('/dev/null', '--git-token-file') }));
});

test('ssh through the environment\'s GIT_SSH_COMMAND', () => withRepo(async (repo) => {
  const sha = repo.commit({ 'cluster.yaml': 'kind: Cluster\n' }, 'over ssh');
  // Stands in for ssh: runs the remote command (git-upload-pack '<path>') locally, and logs its arguments.
  const fakeSsh = join(repo.root, 'fake-ssh');
  writeFileSync(fakeSsh, `#!/bin/sh\necho "$@" >> '${join(repo.root, 'ssh.log')}'\nfor last; do :; done\nexec sh -c "$last"\n`);
  chmodSync(fakeSsh, 0o755);
  const source = new GitSource({
    url: `ssh://deploy@git.example.invalid${repo.bare}`, cacheRoot: join(repo.root, 'cache'),
    env: { ...process.env, ...ISOLATED_GIT_ENV, GIT_SSH_COMMAND: `${fakeSsh} -i /keys/deploy`, GIT_SSH_VARIANT: 'ssh' },
  });
  await following(source, async (run) => assert.equal((await run.revision(1)).info.id, sha));
  assert.match(readFileSync(join(repo.root, 'ssh.log'), 'utf8'), /-i \/keys\/deploy .*deploy@git\.example\.invalid git-upload-pack/);
}));
