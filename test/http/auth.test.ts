// The read API's token: with one set, /api/*, /metrics and any route not listed as open answer 401
// without `Authorization: Bearer <token>` (or with a wrong one); /healthz, /readyz, the git webhook
// and the page's document stay open; without a token nothing changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { requireToken } from '../../src/http/auth.js';
import { coreRoutes } from '../../src/http/routes.js';
import { HttpServer, type Route } from '../../src/http/server.js';
import { StatusStore } from '../../src/status/store.js';
import { KIND_ORDER } from '../../src/kinds/registry.js';

const log = pino({ level: 'silent' });
const TOKEN = 's3cr3t-api-token';

async function serve(token: string | undefined) {
  const routes: Route[] = [
    ...coreRoutes({ status: new StatusStore(KIND_ORDER), ready: () => true, phase: () => 'ready' }),
    { method: 'GET', path: '/metrics', handle: () => ({ status: 200, body: 'm 1\n' }) },
    { method: 'GET', path: '/api/v1/events', handle: () => ({ status: 200, body: '{"events":[]}' }) },
    { method: 'GET', path: '/', handle: () => ({ status: 200, body: '<!doctype html>' }) },
    { method: 'POST', path: '/hooks/git', handle: () => ({ status: 404, body: 'webhooks off' }) },
  ];
  const http = new HttpServer({ host: '127.0.0.1', port: 0, log, routes: requireToken(routes, token) });
  const { port } = await http.start();
  const get = (path: string, headers: Record<string, string> = {}, method = 'GET') => fetch(`http://127.0.0.1:${port}${path}`, { method, headers });
  return { http, get };
}

test('api token: protected routes need the bearer token, open ones do not', async () => {
  const { http, get } = await serve(TOKEN);
  try {
    for (const path of ['/api/v1/status', '/api/v1/events', '/metrics']) {
      const none = await get(path);
      assert.equal(none.status, 401, path);
      assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="ecs-operator"');
      assert.equal((await get(path, { authorization: 'Bearer wrong' })).status, 401, `${path} wrong token`);
      assert.equal((await get(path, { authorization: `Basic ${TOKEN}` })).status, 401, `${path} other scheme`);
      assert.equal((await get(path, { authorization: `Bearer ${TOKEN}x` })).status, 401, `${path} longer token`);
      assert.equal((await get(path, { authorization: `Bearer ${TOKEN}` })).status, 200, `${path} with the token`);
      assert.equal((await get(path, { authorization: `bearer ${TOKEN}` })).status, 200, `${path} scheme in any case`);
    }
    for (const path of ['/healthz', '/readyz', '/']) assert.equal((await get(path)).status, 200, path);
    assert.equal((await get('/hooks/git', {}, 'POST')).status, 404, 'the webhook keeps its own check');
    assert.doesNotMatch(await (await get('/api/v1/status')).text(), /"resources"/, 'a refusal says nothing of the status');
  } finally {
    await http.stop();
  }
});

test('api token: without one, every route is open as before', async () => {
  const { http, get } = await serve(undefined);
  try {
    for (const path of ['/api/v1/status', '/metrics', '/healthz']) assert.equal((await get(path)).status, 200, path);
  } finally {
    await http.stop();
  }
});
