// The status page at 5,000 resources in headless Chromium: it asks for one page of them, never the
// whole list, shows the totals by state, and reaches any resource through its filter (a count, a
// kind, a state, a name prefix) or page by page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { StatusStore } from '../../src/status/store.js';
import { launchBrowser, SCREENSHOTS } from '../support/browser.js';
import { startStatusServer } from '../support/status-server.js';
import { KIND_ORDER } from '../../src/kinds/registry.js';

const SERVICES = 4999;
const name = (i: number) => `svc-${String(i).padStart(4, '0')}`;

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

function store(): StatusStore {
  const status = new StatusStore(KIND_ORDER);
  status.setSource({ url: '/srv/manifests', phase: 'Ready', errors: [], lastApplied: { id: '3b4ba9e0c1d2e3f4', source: '/srv/manifests' } });
  status.set({ key: 'Cluster/prod', kind: 'Cluster', name: 'prod', sync: 'Synced', health: 'Healthy', conditions: [] });
  const at = new Date().toISOString();
  for (let i = 0; i < SERVICES; i++) {
    const degraded = i % 2000 === 42;
    const drifted = i === 7 || i === 4444;
    status.set({
      key: `Service/${name(i)}`, kind: 'Service', name: name(i), sync: drifted ? 'OutOfSync' : 'Synced', health: degraded ? 'Degraded' : 'Healthy',
      healthMessage: degraded ? 'rollout failed' : undefined, conditions: [], lastSyncTime: at, revision: '3b4ba9e0c1d2e3f4',
      ...(drifted ? { drift: { differences: [{ path: '/desiredCount', desired: 2, live: 3 }], firstSeen: at, policy: 'alert' as const } } : {}),
    });
  }
  return status;
}

test('status page at 5,000 resources: totals, one page at a time, any resource found by filter or paging', async () => {
  const http = await startStatusServer(store());
  const { port } = http;
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const problems: string[] = [];
  const answers: Array<{ url: string; bytes: number }> = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('response', async (r) => {
    if (r.url().includes('/api/')) answers.push({ url: r.url(), bytes: (await r.body()).length });
  });
  const names = () => page.$$eval('#resources tbody tr', (trs) => trs.map((tr) => tr.children[0]!.textContent + '/' + tr.children[1]!.textContent));
  const range = () => page.textContent('#page-range');
  try {
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForSelector('#resources tbody tr:nth-child(100)');
    assert.equal((await names()).length, 100);
    assert.deepEqual((await names()).slice(0, 2), ['Cluster/prod', 'Service/svc-0000']);
    assert.equal(await range(), '1–100 of 5000');
    assert.match(await page.textContent('#totals') ?? '', /^5000 resources: 4998 Synced, 2 OutOfSync; 4997 Healthy, 3 Degraded; 2 Drifted$/);
    assert.deepEqual(await page.$$eval('#drift article h3', (hs) => hs.map((h) => h.textContent)), ['Service/svc-0007 alert', 'Service/svc-4444 alert']);

    // A count is a filter: the 3 degraded ones, wherever they are in the list.
    await page.click('#totals button[data-state="Degraded"]');
    await page.waitForFunction(() => document.querySelectorAll('#resources tbody tr').length === 3);
    assert.deepEqual(await names(), ['Service/svc-0042', 'Service/svc-2042', 'Service/svc-4042']);
    assert.equal(await range(), '1–3 of 3 matching');
    assert.equal(await page.inputValue('#filter-state'), 'Degraded');

    // A name prefix, with any state.
    await page.selectOption('#filter-state', '');
    await page.fill('#filter-name', 'svc-4999');
    await page.waitForFunction(() => document.querySelector('#resources tbody')!.textContent === 'No resource matches the filter.');
    assert.equal(await range(), '');
    await page.fill('#filter-name', 'svc-4998');
    await page.waitForFunction(() => document.querySelector('#page-range')!.textContent === '1–1 of 1 matching');
    assert.deepEqual(await names(), ['Service/svc-4998']);

    // Page by page: next and previous.
    await page.fill('#filter-name', '');
    await page.selectOption('#filter-kind', 'Service');
    await page.waitForFunction(() => document.querySelector('#page-range')!.textContent === '1–100 of 4999 matching');
    await page.click('#page-next');
    await page.waitForFunction(() => document.querySelector('#page-range')!.textContent === '101–200 of 4999 matching');
    assert.deepEqual([(await names())[0], (await names())[99]], ['Service/svc-0100', 'Service/svc-0199']);
    assert.equal(await page.isDisabled('#page-prev'), false);
    await page.click('#page-prev');
    await page.waitForFunction(() => document.querySelector('#page-range')!.textContent === '1–100 of 4999 matching');
    assert.equal(await page.isDisabled('#page-prev'), true);

    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${SCREENSHOTS}status-page-5000.png` });

    // Never the whole list: each answer is a page of at most 100 (the full one is megabytes).
    assert.ok(answers.length >= 8, JSON.stringify(answers));
    for (const a of answers) assert.ok(a.bytes < 150_000, `${a.url}: ${a.bytes} bytes`);
    assert.ok(answers.every((a) => /[?&]limit=\d+/.test(a.url)), answers.map((a) => a.url).join('\n'));
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
    await http.stop();
  }
});
