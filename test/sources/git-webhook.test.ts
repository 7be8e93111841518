// POST /hooks/git over real HTTP: GitHub and GitLab signatures, refusals (missing, wrong, wrong length,
// another body), pings, pushes to refs the source does not watch, the body cap, and webhooks off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { HttpServer } from '../../src/http/server.js';
import { constantTimeEqual, gitWebhookRoute, WEBHOOK_PATH } from '../../src/http/webhook.js';
import { fileSecret } from '../../src/core/secret.js';
import { UsageError } from '../../src/core/errors.js';

const SECRET = 'It\'s a Secret to Everybody';
const log = pino({ level: 'silent' });
const sign = (body: string | Buffer, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
const push = (ref = 'refs/heads/main') => JSON.stringify({ ref, after: 'a'.repeat(40), commits: [] });

async function withWebhook(secret: string | undefined, run: (post: (body: string | Buffer, headers: Record<string, string>) => Promise<Response>, pushes: () => number) => Promise<void>) {
  let pushes = 0;
  const route = gitWebhookRoute({ secret, log, onPush: () => (pushes += 1), watches: (ref) => ref === 'refs/heads/main' });
  const server = new HttpServer({ host: '127.0.0.1', port: 0, routes: [route], log });
  const { port } = await server.start();
  const post = (body: string | Buffer, headers: Record<string, string>) =>
    fetch(`http://127.0.0.1:${port}${WEBHOOK_PATH}`, { method: 'POST', body: typeof body === 'string' ? body : new Uint8Array(body), headers: { 'content-type': 'application/json', ...headers } });
  try {
    await run(post, () => pushes);
  } finally {
    await server.stop();
  }
}

test('GitHub and GitLab pushes with a valid signature are accepted (202) and ask for a fetch', () => withWebhook(SECRET, async (post, pushes) => {
  let res = await post(push(), { 'x-github-event': 'push', 'x-hub-signature-256': sign(push()) });
  assert.equal(res.status, 202);
  assert.deepEqual(await res.json(), { accepted: true, ref: 'refs/heads/main' });
  res = await post(push(), { 'x-gitlab-event': 'Push Hook', 'x-gitlab-token': SECRET });
  assert.equal(res.status, 202);
  // GitHub's form encoding, and a signed request from a script with no event header.
  const form = `payload=${encodeURIComponent(push())}`;
  res = await post(form, { 'content-type': 'application/x-www-form-urlencoded', 'x-github-event': 'push', 'x-hub-signature-256': sign(form) });
  assert.equal(res.status, 202);
  res = await post('', { 'x-hub-signature-256': sign('') });
  assert.equal(res.status, 202);
  assert.equal(pushes(), 4);
}));

test('no signature, a wrong one, one of another length or for another body: 401, no fetch', () => withWebhook(SECRET, async (post, pushes) => {
  const body = push();
  const refusals: Array<[Record<string, string>, string]> = [
    [{ 'x-github-event': 'push' }, 'missing signature'],
    [{ 'x-hub-signature-256': sign(body, 'wrong secret') }, 'invalid signature'],
    [{ 'x-hub-signature-256': 'sha256=abc' }, 'invalid signature'],
    [{ 'x-hub-signature-256': sign(body).replace('sha256=', 'sha1=') }, 'invalid signature'],
    [{ 'x-hub-signature-256': sign(push('refs/heads/other')) }, 'invalid signature'],
    [{ 'x-hub-signature-256': '' }, 'invalid signature'],
    [{ 'x-gitlab-token': 'wrong' }, 'invalid signature'],
    [{ 'x-gitlab-token': `${SECRET}x` }, 'invalid signature'],
    [{ 'x-gitlab-token': SECRET.slice(0, -1) }, 'invalid signature'],
  ];
  for (const [headers, message] of refusals) {
    const res = await post(body, headers);
    assert.equal(res.status, 401, JSON.stringify(headers));
    assert.equal(await res.text(), `${message}\n`);
  }
  assert.equal(pushes(), 0);
}));

test('pings, other events and pushes to refs not watched are acknowledged and ignored', () => withWebhook(SECRET, async (post, pushes) => {
  const ping = JSON.stringify({ zen: 'Keep it logically awesome.' });
  let res = await post(ping, { 'x-github-event': 'ping', 'x-hub-signature-256': sign(ping) });
  assert.equal(res.status, 200);
  res = await post(ping, { 'x-github-event': 'issues', 'x-hub-signature-256': sign(ping) });
  assert.equal(res.status, 200);
  assert.match(((await res.json()) as { reason: string }).reason, /not a push/);
  const other = push('refs/heads/feature');
  res = await post(other, { 'x-github-event': 'push', 'x-hub-signature-256': sign(other) });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { ignored: true, reason: 'ref refs/heads/feature is not watched' });
  res = await post('not json', { 'x-github-event': 'push', 'x-hub-signature-256': sign('not json') });
  assert.equal(res.status, 400);
  assert.equal(pushes(), 0);
}));

test('a body over 1 MiB is refused (413) before it is checked', () => withWebhook(SECRET, async (post, pushes) => {
  const big = JSON.stringify({ ref: 'refs/heads/main', padding: 'x'.repeat(1024 * 1024) });
  const res = await post(big, { 'x-github-event': 'push', 'x-hub-signature-256': sign(big) });
  assert.equal(res.status, 413);
  assert.equal(pushes(), 0);
}));

test('without a secret, webhooks are off: 404 even when signed', () => withWebhook(undefined, async (post, pushes) => {
  const res = await post(push(), { 'x-hub-signature-256': sign(push()) });
  assert.equal(res.status, 404);
  assert.match(await res.text(), /--webhook-secret-file/);
  assert.equal(pushes(), 0);
}));

test('constantTimeEqual and reading a --webhook-secret-file', async () => {
  assert.equal(constantTimeEqual('abc', 'abc'), true);
  assert.equal(constantTimeEqual('abc', 'abd'), false);
  assert.equal(constantTimeEqual('abc', 'abcd'), false);
  assert.equal(constantTimeEqual('', 'x'), false);
  const dir = mkdtempSync(join(tmpdir(), 'webhook-secret-'));
  const readWebhookSecret = (file: string) => fileSecret(file, '--webhook-secret-file').read();
  try {
    writeFileSync(join(dir, 'secret'), `  ${SECRET}\n`);
    assert.equal(await readWebhookSecret(join(dir, 'secret')), SECRET);
    writeFileSync(join(dir, 'empty'), '\n');
    await assert.rejects(readWebhookSecret(join(dir, 'empty')), (err) => err instanceof UsageError && /is empty/.test(err.message));
    await assert.rejects(readWebhookSecret(join(dir, 'absent')), /cannot read --webhook-secret-file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
