// The status page in headless Chromium against an in-process server: source, resources, drift as a
// git-style diff and events are rendered; hostile text from manifests or AWS stays text; the strict
// Content-Security-Policy lets the page's own script run and nothing else; the page refreshes itself.
// A screenshot is written to .cache/screenshots/ for a look.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import pino from 'pino';
import type { Browser } from 'playwright-core';
import { Alerts } from '../../src/alerts/alerts.js';
import { AlertDispatcher } from '../../src/alerts/dispatcher.js';
import { makeEvent } from '../../src/alerts/events.js';
import { HttpServer } from '../../src/http/server.js';
import { telemetryRoutes } from '../../src/http/telemetry-routes.js';
import { OperatorMetrics } from '../../src/metrics/metrics.js';
import { StatusStore } from '../../src/status/store.js';
import { launchBrowser, SCREENSHOTS } from '../support/browser.js';
import { startStatusServer } from '../support/status-server.js';
import { KIND_ORDER } from '../../src/kinds/registry.js';

const log = pino({ level: 'silent' });
const HOSTILE = '<img src=x onerror="window.pwned=1">';

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

function fixture() {
  const status = new StatusStore(KIND_ORDER);
  const ago = (s: number) => new Date(Date.now() - s * 1000).toISOString();
  status.setSource({
    url: '/srv/manifests', phase: 'Stalled', message: '1 manifest error(s) in revision 9f1c2d3e4b5a',
    lastApplied: { id: '3b4ba9e0c1d2e3f4', source: '/srv/manifests', message: 'Scale web to 3', author: 'Ada Lovelace' },
    lastFetched: { id: '9f1c2d3e4b5a6978', source: '/srv/manifests', message: 'Break the worker', author: 'Bob' },
    lastFetchTime: ago(4), errors: [{ file: 'worker/service.yaml', line: 12, col: 7, severity: 'error', path: '/spec/desiredCount', message: `must be integer ${HOSTILE}` }],
  });
  status.set({ key: 'Cluster/prod', kind: 'Cluster', name: 'prod', sync: 'Synced', health: 'Healthy', conditions: [], lastSyncTime: ago(30), revision: '3b4ba9e0c1d2e3f4' });
  status.set({
    key: 'Service/web', kind: 'Service', name: 'web', sync: 'OutOfSync', health: 'Healthy', conditions: [], lastSyncTime: ago(300), revision: '3b4ba9e0c1d2e3f4',
    drift: { differences: [{ path: '/desiredCount', desired: 3, live: 1 }, { path: '/containerDefinitions/0/image', desired: 'nginx:1.27', live: HOSTILE }], firstSeen: ago(120), policy: 'alert' },
  });
  status.set({
    key: 'Service/worker', kind: 'Service', name: 'worker', sync: 'OutOfSync', health: 'Degraded', healthMessage: `rollout of worker:4 failed: ${HOSTILE}`,
    conditions: [{ type: 'Stalled', reason: 'RolloutFailed', message: 'the rollout failed; not retried until the manifest changes', since: ago(60) }], revision: '3b4ba9e0c1d2e3f4',
  });
  const dispatcher = new AlertDispatcher({ sinks: [] });
  const alerts = new Alerts({ status, dispatcher, log });
  alerts.emit(makeEvent({ type: 'DriftDetected', resource: { kind: 'Service', name: 'web' }, at: Date.now() - 120_000, message: 'Service/web differs from Git in 2 fields: left as it is (drift: alert)', differences: [{ path: '/desiredCount', desired: 3, live: 1 }] }));
  alerts.emit(makeEvent({ type: 'RolloutFailed', resource: { kind: 'Service', name: 'worker' }, at: Date.now() - 60_000, message: `Service/worker rollout failed: ${HOSTILE}` }));
  return { status, alerts };
}

test('status page: renders every section, keeps hostile text as text, refreshes itself', async () => {
  const { status, alerts } = fixture();
  const http = await startStatusServer(status, { alerts });
  const { port } = http;
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const problems: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
  try {
    const response = await page.goto(`http://127.0.0.1:${port}/`);
    assert.match(response!.headers()['content-security-policy']!, /script-src 'sha256-/);
    await page.waitForSelector('#resources tbody tr:nth-child(3)');
    await page.waitForSelector('#events tbody tr:nth-child(2)');

    assert.match(await page.textContent('#source') ?? '', /Stalled.*3b4ba9e0c1d2 Scale web to 3 by Ada Lovelace/s);
    assert.match(await page.textContent('#source') ?? '', /worker\/service\.yaml:12:7: must be integer/);
    const rows = await page.$$eval('#resources tbody tr', (trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td,th')).map((c) => c.textContent!.trim())));
    assert.deepEqual(rows.map((r) => r.slice(0, 3)), [['Cluster', 'prod', 'Synced'], ['Service', 'web', 'OutOfSync drift'], ['Service', 'worker', 'OutOfSync']]);
    assert.match(rows[2]![3]!, /Degraded.*rollout of worker:4 failed: <img src=x/);
    assert.match(rows[2]![4]!, /Stalled \(RolloutFailed\)/);

    const diff = await page.$$eval('#drift-Service-web pre.diff span', (spans) => spans.map((s) => `${s.className} ${s.textContent!.trimEnd()}`));
    assert.deepEqual(diff, [
      'file --- live Service/web', 'file +++ desired Service/web',
      'hunk @@ /desiredCount @@', 'del -1', 'add +3',
      'hunk @@ /containerDefinitions/0/image @@', `del -${JSON.stringify(HOSTILE)}`, 'add +"nginx:1.27"',
    ]);
    const events = await page.$$eval('#events tbody tr', (trs) => trs.map((tr) => tr.textContent));
    assert.match(events[0]!, /RolloutFailed/, 'newest first');
    assert.match(events[1]!, /DriftDetected.*Service\/web.*1 field/);

    assert.equal(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned), undefined, 'no injected handler ran');
    assert.equal(await page.locator('img').count(), 0, 'no injected element');
    assert.deepEqual(problems, [], 'no script error and no CSP violation');

    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: `${SCREENSHOTS}status-page.png`, fullPage: true });

    // It refreshes itself: a healed drift disappears without a reload.
    status.set({ ...status.get('Service/web')!, sync: 'Synced', drift: undefined });
    await page.waitForFunction(() => document.querySelector('#drift')!.textContent!.includes('No drift'), undefined, { timeout: 12_000 });
  } finally {
    await page.close();
    await http.stop();
  }
});

test('status page with an API token: asks for it once, keeps it in the tab, sends it as a header, never in the URL', async () => {
  const { status, alerts } = fixture();
  const token = 'page-token-0123456789';
  const http = await startStatusServer(status, { alerts, token });
  const { port } = http;
  const page = await browser.newPage();
  const problems: string[] = [];
  const requests: Array<{ url: string; authorization?: string }> = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('request', (r) => requests.push({ url: r.url(), ...(r.headers().authorization ? { authorization: r.headers().authorization } : {}) }));
  try {
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForSelector('#auth:not([hidden])');
    assert.equal(await page.locator('#resources tbody tr').count(), 0, 'no data without the token');
    await page.fill('#token', 'wrong');
    await page.click('#auth button');
    await page.waitForFunction(() => document.querySelector('#auth-error')!.textContent === 'that token was refused');
    await page.fill('#token', token);
    await page.click('#auth button');
    await page.waitForSelector('#resources tbody tr:nth-child(3)');
    assert.equal(await page.isHidden('#auth'), true);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('ecs-operator-api-token')), token);
    // A reload in the same tab keeps the token: no second prompt.
    await page.reload();
    await page.waitForSelector('#resources tbody tr:nth-child(3)');
    assert.equal(await page.isHidden('#auth'), true);
    const api = requests.filter((r) => r.url.includes('/api/'));
    assert.ok(api.some((r) => r.authorization === `Bearer ${token}`), 'sent as a Bearer header');
    assert.ok(requests.every((r) => !r.url.includes(token)), 'never in a URL');
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
    await http.stop();
  }
});

test('telemetry routes: /metrics is Prometheus text, /api/v1/events is bounded by limit', async () => {
  const { status, alerts } = fixture();
  const metrics = new OperatorMetrics({ status, processMetrics: false });
  const http = new HttpServer({ host: '127.0.0.1', port: 0, log, routes: telemetryRoutes({ metrics, alerts, kinds: KIND_ORDER }) });
  const { port } = await http.start();
  try {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    assert.match(res.headers.get('content-type')!, /^text\/plain; version=0\.0\.4/);
    assert.match(await res.text(), /^ecs_operator_drift_resources 1$/m);
    const one = await (await fetch(`http://127.0.0.1:${port}/api/v1/events?limit=1`)).json();
    assert.deepEqual(one.events.map((e: { type: string }) => e.type), ['RolloutFailed']);
    const all = await (await fetch(`http://127.0.0.1:${port}/api/v1/events?limit=nonsense`)).json();
    assert.equal(all.events.length, 2);
  } finally {
    await http.stop();
  }
});
