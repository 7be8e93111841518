// The status store's list order, filters, totals and cursor paging, and the query string they are
// asked with: a walk through the pages neither repeats nor skips what stays while other resources
// come and go, and a wrong parameter is one line naming it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusStore } from '../../src/status/store.js';
import { parseStatusQuery, StatusQueryError, type StatusQuery } from '../../src/status/query.js';
import type { Kind, ResourceKey } from '../../src/core/types.js';
import type { ResourceStatus } from '../../src/status/types.js';
import { KIND_ORDER } from '../../src/kinds/registry.js';

function resource(kind: Kind, name: string, extra: Partial<ResourceStatus> = {}): ResourceStatus {
  return { key: `${kind}/${name}`, kind, name, sync: 'Synced', health: 'Healthy', conditions: [], ...extra };
}

const since = '2030-01-01T00:00:00Z';

function fixture(): StatusStore {
  const status = new StatusStore(KIND_ORDER);
  // Set out of order on purpose: the store keeps its own.
  status.set(resource('Service', 'web', { sync: 'OutOfSync', drift: { differences: [], firstSeen: since, policy: 'ignore' } }));
  status.set(resource('Service', 'api', { health: 'Degraded', conditions: [{ type: 'Stalled', reason: 'RolloutFailed', message: 'm', since }] }));
  status.set(resource('Cluster', 'prod'));
  status.set(resource('TaskDefinition', 'web', { sync: 'Unknown', health: 'Missing', conditions: [
    { type: 'Retrying', reason: 'Throttled', message: 'm', since }, { type: 'Waiting', reason: 'DependencyNotReady', message: 'm', since }] }));
  status.set(resource('Service', 'Web-2'));
  status.set(resource('ServiceAutoScaling', 'web', { health: 'Progressing' }));
  status.set(resource('Service', 'web_old', { health: 'Suspended' }));
  return status;
}

const keys = (rs: ResourceStatus[]) => rs.map((r) => r.key);

test('list order: kind, then name by code unit (the same in every locale), kept as resources come and go', () => {
  const status = fixture();
  const expected = ['Cluster/prod', 'TaskDefinition/web', 'Service/Web-2', 'Service/api', 'Service/web', 'Service/web_old', 'ServiceAutoScaling/web'];
  assert.deepEqual(keys(status.list()), expected);
  assert.deepEqual(keys([...status.values()]), expected);
  status.delete('Service/api');
  status.set(resource('Service', 'web-1'));
  status.set({ ...status.get('Service/web')!, health: 'Degraded' }); // a change keeps the place
  assert.deepEqual(keys(status.list()), ['Cluster/prod', 'TaskDefinition/web', 'Service/Web-2', 'Service/web', 'Service/web-1', 'Service/web_old', 'ServiceAutoScaling/web']);
});

test('filters: kind, state on each axis (any of the listed), name prefix; totals count the whole store', () => {
  const status = fixture();
  const q = (query: StatusQuery) => keys(status.query(query).resources);
  assert.deepEqual(q({ kinds: ['Service'] }), ['Service/Web-2', 'Service/api', 'Service/web', 'Service/web_old']);
  assert.deepEqual(q({ kinds: ['Cluster', 'ServiceAutoScaling'] }), ['Cluster/prod', 'ServiceAutoScaling/web']);
  assert.deepEqual(q({ states: ['OutOfSync'] }), ['Service/web']);
  assert.deepEqual(q({ states: ['Degraded', 'Missing'] }), ['TaskDefinition/web', 'Service/api']);
  assert.deepEqual(q({ states: ['Stalled'] }), ['Service/api']);
  assert.deepEqual(q({ states: ['Waiting'] }), ['TaskDefinition/web']);
  assert.deepEqual(q({ states: ['Drifted'] }), ['Service/web'], 'drift under every policy, ignore included');
  assert.deepEqual(q({ states: ['Suspended', 'Progressing'] }), ['Service/web_old', 'ServiceAutoScaling/web']);
  assert.deepEqual(q({ namePrefix: 'web' }), ['TaskDefinition/web', 'Service/web', 'Service/web_old', 'ServiceAutoScaling/web'], 'case-sensitive');
  assert.deepEqual(q({ kinds: ['Service'], namePrefix: 'web', states: ['Healthy'] }), ['Service/web'], 'every filter at once');
  assert.deepEqual(q({ kinds: ['Service'], namePrefix: 'web', states: ['Suspended', 'OutOfSync'] }), ['Service/web', 'Service/web_old']);

  const page = status.query({ kinds: ['Cluster'] });
  assert.equal(page.matched, 1);
  assert.deepEqual(page.totals, {
    resources: 7,
    kinds: { Cluster: 1, TaskDefinition: 1, Service: 4, ServiceAutoScaling: 1 },
    sync: { Synced: 5, OutOfSync: 1, Unknown: 1 },
    health: { Healthy: 3, Progressing: 1, Degraded: 1, Missing: 1, Suspended: 1 },
    conditions: { Stalled: 1, Waiting: 1, Retrying: 1 },
    drifted: 1,
  });
  assert.equal(page.next, undefined);
});

test('pages: limit and next; the page holds the stored statuses themselves, not copies', () => {
  const status = fixture();
  const first = status.query({ limit: 3 });
  assert.deepEqual(keys(first.resources), ['Cluster/prod', 'TaskDefinition/web', 'Service/Web-2']);
  assert.equal(first.next, 'Service/Web-2');
  assert.equal(first.matched, 7);
  assert.equal(first.resources[0], status.get('Cluster/prod'));
  const second = status.query({ limit: 3, after: first.next });
  assert.deepEqual(keys(second.resources), ['Service/api', 'Service/web', 'Service/web_old']);
  const last = status.query({ limit: 3, after: second.next });
  assert.deepEqual(keys(last.resources), ['ServiceAutoScaling/web']);
  assert.equal(last.next, undefined, 'no more');
  assert.equal(status.query({ limit: 1, after: 'ServiceAutoScaling/web' }).resources.length, 0);
  // Exactly the limit left: no next page to ask for.
  assert.equal(status.query({ limit: 4, after: 'Service/Web-2' }).next, undefined);
  // A filtered walk pages through the matches only.
  const services = status.query({ kinds: ['Service'], limit: 2 });
  assert.deepEqual([keys(services.resources), services.next, services.matched], [['Service/Web-2', 'Service/api'], 'Service/api', 4]);
  assert.deepEqual(keys(status.query({ kinds: ['Service'], limit: 2, after: services.next }).resources), ['Service/web', 'Service/web_old']);
});

test('a walk neither repeats nor skips what stays while resources come and go between pages', () => {
  const status = new StatusStore(KIND_ORDER);
  const name = (i: number) => `svc-${String(i).padStart(4, '0')}`;
  for (let i = 0; i < 500; i += 2) status.set(resource('Service', name(i)));
  const seen: ResourceKey[] = [];
  let after: ResourceKey | undefined;
  let round = 0;
  for (;;) {
    const page = status.query({ kinds: ['Service'], limit: 37, ...(after ? { after } : {}) });
    seen.push(...page.resources.map((r) => r.key));
    if (!page.next) break;
    after = page.next;
    // Between pages: the cursor's own resource goes, one seen goes, and new ones come on both sides.
    status.delete(after);
    status.delete(seen[0]!);
    status.set(resource('Service', name(2 * round + 1)));
    status.set(resource('Service', name(499 - 2 * round)));
    round++;
  }
  assert.equal(new Set(seen).size, seen.length, 'no repeat');
  const stayed = status.list().map((r) => r.key).filter((k) => Number(k.slice(-4)) % 2 === 0);
  assert.deepEqual(stayed.filter((k) => !seen.includes(k)), [], 'nothing that stayed was skipped');
});

test('the query string: names, comma-separated lists, repeated parameters, and one line for each mistake', () => {
  const parse = (qs: string) => parseStatusQuery(new URLSearchParams(qs), KIND_ORDER);
  assert.deepEqual(parse(''), {});
  assert.deepEqual(parse('kind=Service,Cluster&state=Degraded&state=Stalled,Drifted&name=web&limit=50&after=Service/web'), {
    kinds: ['Service', 'Cluster'], states: ['Degraded', 'Stalled', 'Drifted'], namePrefix: 'web', limit: 50, after: 'Service/web',
  });
  const refused = (qs: string, message: RegExp) => assert.throws(() => parse(qs), (e: Error) => e instanceof StatusQueryError && message.test(e.message) && !e.message.includes('\n'), qs);
  refused('status=Degraded', /^unknown parameter "status"; the status takes kind, state, name, limit, after$/);
  refused('kind=Services', /^kind: unknown value "Services"; one or more \(comma-separated\) of Cluster, TaskDefinition, Service, ServiceAutoScaling$/);
  refused('state=degraded', /^state: unknown value "degraded"; .* of Synced, OutOfSync, Unknown, Healthy, Progressing, Degraded, Missing, Suspended, Stalled, Waiting, Retrying, Drifted$/);
  for (const limit of ['0', '-1', '1.5', 'ten', '']) refused(`limit=${limit}`, /^limit: ".*" is not a whole number of 1 or more$/);
  for (const after of ['web', 'Bucket/web', 'Service/']) refused(`after=${encodeURIComponent(after)}`, /^after: ".*" is not Kind\/name/);
});
