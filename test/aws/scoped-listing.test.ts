// The cheaper of one namespace listing and one call per resource: the listing's last size prices the
// next one, and while it is unknown a listing is tried for at most as many pages as there are
// resources. The shared piece (ScopedListing) and the task definition cache built on it, on fake
// paged APIs that count their calls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ScopedListing } from '../../src/aws/scoped-listing.js';
import { TaskDefinitionCache } from '../../src/aws/ecs/task-definition-cache.js';

/** A namespace of `total` items over resources r0..r(n-1), `pageSize` a page; calls counted. */
function fakeApi(total: number, resources: number, pageSize: number) {
  const items = Array.from({ length: total }, (_, i) => ({ id: `r${i % resources}`, n: i }));
  const calls = { pages: 0, single: 0 };
  const listing = new ScopedListing<{ id: string; n: number }>({
    async *namespace() {
      for (let from = 0; from < total; from += pageSize) {
        calls.pages++;
        yield { items: items.slice(from, from + pageSize), more: from + pageSize < total };
      }
    },
    async list(id) {
      calls.single++;
      return items.filter((item) => item.id === id);
    },
    resourceOf: (item) => item.id,
  });
  return { listing, calls };
}

test('unknown size: a listing longer than one call per resource is given up after that many pages', async () => {
  const { listing, calls } = fakeApi(1000, 100, 10); // 100 pages
  const read = await listing.read(['r1', 'r2', 'r3']);
  assert.deepEqual([...read.keys()], ['r1', 'r2', 'r3']);
  assert.equal(read.get('r2')!.length, 10);
  assert.deepEqual(calls, { pages: 3, single: 3 });
  await listing.read(['r1', 'r2', 'r3', 'r4']);
  assert.deepEqual(calls, { pages: 3, single: 7 }, 'known to be longer: one call per resource at once');
});

test('a listing that fits serves every resource; its size prices the next read', async () => {
  const { listing, calls } = fakeApi(25, 10, 10); // 3 pages
  const read = await listing.read(['r0', 'r1', 'r2', 'r3', 'missing']);
  assert.equal(read.get('r0')!.length, 3);
  assert.deepEqual(read.get('missing'), []);
  assert.deepEqual(calls, { pages: 3, single: 0 });
  await listing.read(['r0', 'r1']);
  assert.deepEqual(calls, { pages: 3, single: 2 }, 'two resources: cheaper one by one than three pages');
  await listing.read(['r0', 'r1', 'r2', 'r3']);
  assert.deepEqual(calls, { pages: 6, single: 2 });
  assert.equal((await listing.all()).length, 25);
});

/** ListTaskDefinitions over `revisions` ACTIVE ARNs (family f<i % families>), DescribeTaskDefinition by family. */
function fakeEcs(revisions: number, families: number) {
  const arn = (i: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/f${i % families}:${Math.floor(i / families) + 1}`;
  const arns = Array.from({ length: revisions }, (_, i) => arn(i));
  const calls: string[] = [];
  const client = {
    async send(command: { constructor: { name: string }; input: { nextToken?: string; taskDefinition?: string } }) {
      const operation = command.constructor.name.replace(/Command$/, '');
      calls.push(operation);
      if (operation === 'ListTaskDefinitions') {
        const from = Number(command.input.nextToken ?? 0);
        return { taskDefinitionArns: arns.slice(from, from + 100), nextToken: from + 100 < arns.length ? String(from + 100) : undefined };
      }
      const family = command.input.taskDefinition!;
      const latest = arns.filter((a) => a.includes(`/${family}:`)).at(-1)!;
      return { taskDefinition: { taskDefinitionArn: latest, family, revision: Number(latest.split(':').at(-1)), status: 'ACTIVE' }, tags: [] };
    },
  };
  return { cache: new TaskDefinitionCache(scriptedClient(client)), calls };
}

test('task definitions: a large account is not listed whole to prefetch a few families', async () => {
  const { cache, calls } = fakeEcs(2000, 400); // 20 pages of ARNs
  await cache.prefetch(['f1', 'f2', 'f3']);
  const count = (op: string) => calls.filter((c) => c === op).length;
  assert.deepEqual([count('ListTaskDefinitions'), count('DescribeTaskDefinition')], [3, 3]);
  assert.equal(await cache.latestActiveArn('f2', 0), 'arn:aws:ecs:us-east-1:123456789012:task-definition/f2:5');
  await cache.prefetch(['f1', 'f2', 'f3']);
  assert.deepEqual([count('ListTaskDefinitions'), count('DescribeTaskDefinition')], [3, 6], 'known to be long: by family');
});

test('task definitions: a small account is listed once for every family', async () => {
  const { cache, calls } = fakeEcs(150, 50); // 2 pages
  await cache.prefetch(['f1', 'f2', 'f3', 'gone']);
  assert.deepEqual(calls, ['ListTaskDefinitions', 'ListTaskDefinitions']);
  assert.equal(await cache.latestActiveArn('f3', 0), 'arn:aws:ecs:us-east-1:123456789012:task-definition/f3:3');
  assert.equal(await cache.latestActiveArn('gone', 0), undefined);
  assert.equal(calls.length, 2);
});

/** A scripted client as an ECSClient (the SDK's paginators take nothing else), answering with its own `send`. */
function scriptedClient(client: { send: unknown }): ECSClient {
  return Object.assign(Object.create(ECSClient.prototype) as ECSClient, client);
}
