// `ecs-operator run --source file:///…/origin.git` end to end, against moto: convergence from a local
// bare repository; a pushed commit applied within one poll interval; a commit with one malformed file
// changing nothing in AWS and named in /api/v1/status with its subject and author; a revert
// recovering; and, with a long poll interval, a signed webhook applying a commit within seconds while
// unsigned ones are refused.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { useMoto } from '../support/moto.js';
import { eventually, startCli } from '../support/cli.js';
import { ecsClient, ecsInventory, firstImage } from '../support/aws.js';
import { exampleManifests } from '../support/examples.js';
import { freePort } from '../../src/tools/moto-server.js';
import { createRepo, type TestRepo } from '../sources/git-fixture.js';

const moto = useMoto({ MOTO_ECS_SERVICE_RUNNING: '2' });
const SECRET = 'e2e webhook secret';
const TASK_DEFINITION = 'deploy/web/task-definition.yaml';

interface Revision { id: string; message?: string; author?: string; fetchedAt?: string }
interface Status {
  source: { url: string; ref?: string; path?: string; phase: string; lastFetched?: Revision; lastApplied?: Revision; errors: Array<{ file: string; line: number; col: number; message: string }> };
  resources: Array<{ key: string; sync: string; health: string; revision?: string; lastSyncTime?: string }>;
}

/** A bare repository holding the example manifests under deploy/, and an operator following it. */
async function startOperator(extra: string[]) {
  await moto.server.reset();
  const { dir } = await exampleManifests();
  const repo = createRepo();
  cpSync(dir, join(repo.work, 'deploy'), { recursive: true });
  const first = repo.commit({}, 'Add the example manifests');
  writeFileSync(join(repo.root, 'webhook-secret'), `${SECRET}\n`);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const op = startCli([
    'run', '--source', pathToFileURL(repo.bare).href, '--path', 'deploy', '--listen', `127.0.0.1:${port}`,
    '--git-cache-dir', join(repo.root, 'cache'), '--webhook-secret-file', join(repo.root, 'webhook-secret'), '--resync-interval', '3s', ...extra,
  ], { env: moto.server.awsEnv });
  const status = async () => (await (await fetch(`${base}/api/v1/status`)).json()) as Status;
  await eventually(async () => ((await fetch(`${base}/readyz`)).status === 200 ? true : undefined), 40_000, '/readyz');
  await eventually(async () => ((await status()).resources.every((r) => r.sync === 'Synced' && r.health === 'Healthy') ? true : undefined), 30_000, 'all Synced and Healthy');
  return { repo, first, base, op, status };
}

/** Commits a change of the web image tag (and anything else `edit` does to the file). */
function commitImage(repo: TestRepo, tag: string, message: string, edit = (text: string) => text, author?: { name: string; email: string }): string {
  const text = readFileSync(join(repo.work, TASK_DEFINITION), 'utf8').replace(/nginx:[\d.]+/, `nginx:${tag}`);
  return repo.commit({ [TASK_DEFINITION]: edit(text) }, message, author);
}

/** Waits until the web image has `tag`; resolves with the milliseconds since `since`. */
async function imageApplied(tag: string, since: number, timeoutMs: number): Promise<number> {
  await eventually(async () => ((await firstImage('web'))?.endsWith(`:${tag}`) ? true : undefined), timeoutMs, `web image ${tag}`);
  return Date.now() - since;
}

async function stopped(op: ReturnType<typeof startCli>, repo: TestRepo): Promise<void> {
  const code = await op.stop('SIGTERM');
  repo.cleanup();
  assert.equal(code, 0, op.out.stderr.slice(-2000));
}

test('run from Git: converge, a push applied within one poll interval, a bad commit changes nothing, a revert recovers', async (t: TestContext) => {
  const { repo, first, op, status } = await startOperator(['--poll-interval', '2s']);
  try {
    let s = await status();
    assert.deepEqual({ url: s.source.url, ref: s.source.ref, path: s.source.path, phase: s.source.phase }, { url: pathToFileURL(repo.bare).href, ref: 'HEAD', path: 'deploy', phase: 'Ready' });
    assert.deepEqual(s.source.lastApplied && { id: s.source.lastApplied.id, message: s.source.lastApplied.message, author: s.source.lastApplied.author },
      { id: first, message: 'Add the example manifests', author: 'Alice Example <alice@example.com>' });
    assert.ok(s.resources.length >= 5 && s.resources.every((r) => r.revision === first && r.lastSyncTime), JSON.stringify(s.resources));

    // A pushed commit reaches AWS within one poll interval (2 s, jittered by 10%) plus the apply.
    const pushedAt = Date.now();
    const good = commitImage(repo, '1.28', 'Web on nginx 1.28');
    const latency = await imageApplied('1.28', pushedAt, 15_000);
    const fetched = await eventually(async () => {
      const applied = (await status()).source.lastApplied;
      return applied?.id === good ? applied : undefined;
    }, 5_000, 'good commit applied');
    t.diagnostic(`poll-to-apply latency: ${latency} ms, of which ${Date.parse(fetched.fetchedAt!) - pushedAt} ms until the fetch (poll interval 2 s)`);
    assert.ok(latency < 2_200 + 3_000, `${latency} ms`);

    // One malformed file: nothing of the commit is written, and the status names the file and the commit.
    const ecs = ecsClient();
    const before = await ecsInventory(ecs);
    const bad = commitImage(repo, '1.29', 'Break the web task definition', (text) => text.replace('essential: true', 'essential: yes please'), { name: 'Bob Builder', email: 'bob@example.com' });
    s = await eventually(async () => {
      const current = await status();
      return current.source.phase === 'Stalled' ? current : undefined;
    }, 10_000, 'source Stalled');
    assert.equal(s.source.lastFetched?.id, bad);
    assert.equal(s.source.lastFetched?.message, 'Break the web task definition');
    assert.equal(s.source.lastFetched?.author, 'Bob Builder <bob@example.com>');
    assert.equal(s.source.lastApplied?.id, good, 'the last good commit stays in force');
    assert.ok(s.source.errors.length > 0 && s.source.errors.every((e) => e.file === TASK_DEFINITION && e.line > 0 && e.col > 0), JSON.stringify(s.source.errors));
    await new Promise((r) => setTimeout(r, 4_500)); // polls and a resync pass
    assert.deepEqual(await ecsInventory(ecs), before, 'nothing created, registered or deleted');
    assert.match((await firstImage('web')) ?? '', /:1\.28$/);
    ecs.destroy();
    assert.match(op.out.stderr, new RegExp(`${TASK_DEFINITION.replace(/[./]/g, '\\$&')}:\\d+:\\d+`));
    assert.match(op.out.stderr, /revision not applied: the last good revision stays in force/);

    // A revert recovers: Ready again, the revert commit applied, the same content as before.
    repo.git('revert', '--no-edit', 'HEAD');
    repo.git('push', '--quiet', 'origin', 'HEAD:main');
    const revert = repo.git('rev-parse', 'HEAD');
    s = await eventually(async () => {
      const current = await status();
      return current.source.phase === 'Ready' && current.source.lastApplied?.id === revert ? current : undefined;
    }, 10_000, 'revert applied');
    assert.deepEqual(s.source.errors, []);
    assert.match(s.source.lastApplied?.message ?? '', /^Revert "Break the web task definition"/);
    assert.match((await firstImage('web')) ?? '', /:1\.28$/);
  } finally {
    await stopped(op, repo);
  }
});

test('run from Git with a long poll interval: a signed webhook applies a commit within seconds; unsigned ones are refused', async (t: TestContext) => {
  // A resync wave fetches too (a lost webhook is caught within one): a long one here, so only a webhook fetches.
  const { repo, base, op, status } = await startOperator(['--poll-interval', '1h', '--resync-interval', '1h']);
  const hook = (body: string, headers: Record<string, string>) =>
    fetch(`${base}/hooks/git`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  try {
    const sha = commitImage(repo, '1.28', 'Web on nginx 1.28');
    const body = JSON.stringify({ ref: 'refs/heads/main', after: sha });
    assert.equal((await hook(body, { 'x-github-event': 'push' })).status, 401, 'no signature');
    assert.equal((await hook(body, { 'x-github-event': 'push', 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` })).status, 401, 'wrong signature');
    assert.equal((await hook(body, { 'x-gitlab-event': 'Push Hook', 'x-gitlab-token': 'guess' })).status, 401, 'wrong token');
    await new Promise((r) => setTimeout(r, 1_500));
    assert.notEqual((await status()).source.lastApplied?.id, sha, 'a refused webhook fetches nothing');

    const signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
    const sentAt = Date.now();
    const res = await hook(body, { 'x-github-event': 'push', 'x-github-delivery': 'e2e-1', 'x-hub-signature-256': signature });
    assert.equal(res.status, 202);
    const latency = await imageApplied('1.28', sentAt, 10_000);
    t.diagnostic(`webhook-to-apply latency: ${latency} ms (poll interval 1 h)`);
    assert.ok(latency < 5_000, `${latency} ms`);
    assert.equal((await status()).source.lastApplied?.id, sha);
    assert.match(op.out.stderr, /webhook push accepted/);
  } finally {
    await stopped(op, repo);
  }
});
