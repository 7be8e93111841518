// The webhook sink against a local HTTP receiver: the signature checks out with the shared secret,
// 5xx answers are retried, a 4xx is final, a receiver that hangs never blocks the publisher or the
// other sinks, and a full queue drops its oldest events and counts them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AlertDispatcher, type AlertSink } from '../../src/alerts/dispatcher.js';
import { makeEvent, type AlertEvent } from '../../src/alerts/events.js';
import { SIGNATURE_HEADER, WebhookSink } from '../../src/alerts/webhook-sink.js';

interface Received { headers: IncomingHttpHeaders; body: string }

/** A receiver answering each request with the next status of `answers` (the last one repeats); 0 = hang. */
async function receiver(answers: number[]) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      const status = answers[Math.min(received.length - 1, answers.length - 1)]!;
      if (status !== 0) res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/ecs`;
  return { url, received, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

const event = (n = 1): AlertEvent => makeEvent({
  type: 'DriftDetected', resource: { kind: 'Service', name: `web-${n}` }, message: 'differs from Git in 1 field: healing',
  at: Date.parse('2030-01-01T00:00:00Z'), revision: { id: 'abc123', message: 'Scale web <fast>', author: 'Ada' },
  differences: [{ path: '/desiredCount', desired: 2, live: 1 }],
});

test('webhook: JSON body with a Slack text, signed with HMAC-SHA256 of the exact body', async () => {
  const r = await receiver([200]);
  const sink = new WebhookSink({ url: r.url, secret: 's3cret' });
  await sink.send(event(), new AbortController().signal);
  await r.close();
  const [got] = r.received;
  const expected = 'sha256=' + createHmac('sha256', 's3cret').update(got!.body).digest('hex');
  const header = String(got!.headers[SIGNATURE_HEADER]);
  assert.ok(timingSafeEqual(Buffer.from(header), Buffer.from(expected)), 'signature verifies');
  assert.equal(got!.headers['content-type'], 'application/json; charset=utf-8');
  assert.equal(got!.headers['x-ecs-operator-event'], 'DriftDetected');
  const body = JSON.parse(got!.body);
  assert.equal(body.key, 'Service/web-1/DriftDetected');
  assert.equal(body.text, '*DriftDetected* Service/web-1: differs from Git in 1 field: healing\n_revision abc123 "Scale web &lt;fast&gt;" by Ada_\n```\n/desiredCount: 1 -&gt; 2\n```');
  assert.deepEqual(body.differences, [{ path: '/desiredCount', desired: 2, live: 1 }]);
});

test('webhook: no secret, no signature header', async () => {
  const r = await receiver([204]);
  await new WebhookSink({ url: r.url }).send(event(), new AbortController().signal);
  await r.close();
  assert.equal(r.received[0]!.headers[SIGNATURE_HEADER], undefined);
});

test('webhook: 5xx is retried with backoff until delivered; a 4xx is final', async () => {
  const flaky = await receiver([500, 503, 200]);
  await new WebhookSink({ url: flaky.url, baseDelayMs: 10 }).send(event(), new AbortController().signal);
  await flaky.close();
  assert.equal(flaky.received.length, 3);
  assert.equal(new Set(flaky.received.map((x) => x.headers['x-ecs-operator-delivery'])).size, 1, 'one delivery id');

  const refused = await receiver([400]);
  // A Slack-style URL carries its secret in the path: errors (and so logs) name only the origin.
  const secretUrl = `${refused.url.replace(/\/$/, '')}/services/T000/B000/XXXXSECRETXXXX`;
  await assert.rejects(new WebhookSink({ url: secretUrl, baseDelayMs: 10 }).send(event(), new AbortController().signal), (err: Error) => {
    assert.match(err.message, /answered HTTP 400/);
    assert.doesNotMatch(err.message, /XXXXSECRETXXXX|services/);
    return true;
  });
  await refused.close();
  assert.equal(refused.received.length, 1);
});

test('webhook: a hanging receiver neither blocks publish nor the log sink, and fails after its timeouts', async () => {
  const r = await receiver([0]);
  const logged: string[] = [];
  const failed: string[] = [];
  const log: AlertSink = { name: 'log', send: async (e) => void logged.push(e.key) };
  const dispatcher = new AlertDispatcher({
    sinks: [new WebhookSink({ url: r.url, timeoutMs: 200, attempts: 2, baseDelayMs: 10 }), log],
    onFailed: (_e, sink) => failed.push(sink),
  });
  const started = performance.now();
  dispatcher.publish(event());
  assert.ok(performance.now() - started < 20, 'publish returns at once');
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.deepEqual(logged, ['Service/web-1/DriftDetected'], 'the log sink is not held up');
  await dispatcher.idle();
  const took = performance.now() - started;
  assert.deepEqual(failed, ['webhook']);
  assert.ok(took >= 400 && took < 2_000, `two attempts of 200 ms, took ${took}`);
  assert.equal(dispatcher.stats().webhook!.failed, 1);
  await r.close();
});

test('dispatcher: a full queue drops the oldest events and counts them', async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const delivered: string[] = [];
  const slow: AlertSink = { name: 'slow', send: async (e) => { await gate; delivered.push(e.resource.name); } };
  const dropped: string[] = [];
  const dispatcher = new AlertDispatcher({ sinks: [slow], queueSize: 3, onDropped: (e) => dropped.push(e.resource.name) });
  for (let n = 1; n <= 10; n++) dispatcher.publish(event(n));
  assert.equal(dispatcher.stats().slow!.dropped, 6);
  assert.equal(dispatcher.stats().slow!.queued, 3);
  release();
  await dispatcher.idle();
  assert.deepEqual(delivered, ['web-1', 'web-8', 'web-9', 'web-10'], 'the one in flight, then the newest');
  assert.deepEqual(dropped, ['web-2', 'web-3', 'web-4', 'web-5', 'web-6', 'web-7']);
});
