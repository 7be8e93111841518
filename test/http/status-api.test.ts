// GET /api/v1/status over HTTP: without parameters every resource, as before, now with the totals;
// with them one filtered page and the cursor of the next; a wrong parameter is a 400 with one line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { coreRoutes } from '../../src/http/routes.js';
import { HttpServer } from '../../src/http/server.js';
import { StatusStore } from '../../src/status/store.js';
import { KIND_ORDER } from '../../src/kinds/registry.js';

const log = pino({ level: 'silent' });

test('/api/v1/status: the full answer without parameters, a page with them, 400 for a wrong one', async () => {
  const status = new StatusStore(KIND_ORDER);
  status.setSource({ url: '/srv/manifests', phase: 'Ready', errors: [] });
  status.set({ key: 'Cluster/prod', kind: 'Cluster', name: 'prod', sync: 'Synced', health: 'Healthy', conditions: [] });
  for (let i = 0; i < 250; i++) {
    const name = `svc-${String(i).padStart(3, '0')}`;
    status.set({ key: `Service/${name}`, kind: 'Service', name, sync: 'Synced', health: i % 100 === 7 ? 'Degraded' : 'Healthy', conditions: [] });
  }
  const http = new HttpServer({ host: '127.0.0.1', port: 0, log, routes: coreRoutes({ status, ready: () => true, phase: () => 'ready' }) });
  const { port } = await http.start();
  const get = async (qs: string) => {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/status${qs}`);
    return { code: res.status, type: res.headers.get('content-type'), body: await res.json() };
  };
  try {
    const all = await get('');
    assert.equal(all.code, 200);
    assert.deepEqual(Object.keys(all.body), ['phase', 'ready', 'leader', 'source', 'totals', 'matched', 'resources']);
    assert.equal(all.body.resources.length, 251);
    assert.equal(all.body.matched, 251);
    assert.deepEqual([all.body.totals.resources, all.body.totals.health.Degraded, all.body.totals.kinds.Service], [251, 3, 250]);

    const page = await get('?kind=Service&limit=100');
    assert.deepEqual([page.body.resources.length, page.body.matched, page.body.next], [100, 250, 'Service/svc-099']);
    assert.equal(page.body.source.url, '/srv/manifests', 'every answer has the source and the totals');
    assert.equal(page.body.totals.resources, 251);
    const last = await get(`?kind=Service&limit=100&after=${encodeURIComponent('Service/svc-199')}`);
    assert.deepEqual([last.body.resources.length, last.body.resources[0].name, last.body.next], [50, 'svc-200', undefined]);

    const degraded = await get('?state=Degraded&name=svc-1');
    assert.deepEqual(degraded.body.resources.map((r: { name: string }) => r.name), ['svc-107']);

    const wrong = await get('?state=Broken');
    assert.equal(wrong.code, 400);
    assert.match(wrong.type!, /^application\/json/);
    assert.match(wrong.body.error, /^state: unknown value "Broken"; /);
  } finally {
    await http.stop();
  }
});
