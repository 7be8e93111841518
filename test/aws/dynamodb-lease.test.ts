// The DynamoDB lease store against moto: the table is created when missing (on-demand, keyed by
// leaseName) and found when present; a table with another key is refused with the command that makes
// the right one; conditional writes let exactly one of many acquirers win; renewals and
// releases need the same holder and token; the token only ever grows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoLeaseStore } from '../../src/aws/dynamodb-lease.js';
import { useMoto } from '../support/moto.js';

useMoto();

test('prepare: creates the missing table on demand, finds it the next time, refuses a table with another key', async () => {
  const store = new DynamoLeaseStore({ table: 'leases-created' });
  const ddb = new DynamoDBClient({});
  try {
    await store.prepare();
    const table = (await ddb.send(new DescribeTableCommand({ TableName: 'leases-created' }))).Table!;
    assert.equal(table.TableStatus, 'ACTIVE');
    assert.equal(table.BillingModeSummary?.BillingMode, 'PAY_PER_REQUEST');
    assert.deepEqual(table.KeySchema, [{ AttributeName: 'leaseName', KeyType: 'HASH' }]);
    assert.deepEqual(table.AttributeDefinitions, [{ AttributeName: 'leaseName', AttributeType: 'S' }]);
    await store.prepare(); // already there: nothing to do
    // Two operators starting at once both find it missing: the second CreateTable's "in use" is fine.
    const racing = [new DynamoLeaseStore({ table: 'leases-race' }), new DynamoLeaseStore({ table: 'leases-race' })];
    await Promise.all(racing.map((s) => s.prepare()));
    racing.forEach((s) => s.destroy());

    await ddb.send(new CreateTableCommand({
      TableName: 'not-leases', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    }));
    await assert.rejects(new DynamoLeaseStore({ table: 'not-leases' }).prepare(), /the lease table not-leases has the partition key id, not leaseName \(a string\): use another table, or create it with: aws dynamodb create-table --table-name not-leases/);
  } finally {
    store.destroy();
    ddb.destroy();
  }
});

test('conditional writes: one winner among acquirers; renew and release need the same term; the token grows', async () => {
  const store = new DynamoLeaseStore({ table: 'leases-writes' });
  try {
    await store.prepare();
    const now = 1_000_000;
    // One after the other: DynamoDB serializes conditional writes to an item, moto's threaded server
    // does not (two simultaneous ones can both pass there), so it is the condition that is tested.
    const attempts = [];
    for (const holder of ['a', 'b', 'c', 'd', 'e']) attempts.push(await store.acquire('default', holder, now, 15_000));
    const winners = attempts.filter((w) => w.ok);
    assert.equal(winners.length, 1, 'exactly one acquisition');
    const lease = (winners[0] as Extract<typeof winners[0], { ok: true }>).lease;
    assert.deepEqual({ ...lease, holder: '' }, { name: 'default', holder: '', token: 1, expiresAt: now + 15_000, acquiredAt: now, renewedAt: now });
    for (const lost of attempts.filter((w) => !w.ok)) assert.equal((lost as { current?: { holder: string } }).current?.holder, lease.holder, 'the loser sees who won');

    // Held: nobody else gets it before it lapses; the holder renews it.
    assert.equal((await store.acquire('default', 'other', now + 14_999, 15_000)).ok, false);
    const renewed = await store.renew(lease, now + 5_000, 15_000);
    assert.ok(renewed.ok && renewed.lease.expiresAt === now + 20_000 && renewed.lease.token === 1);
    assert.equal((await store.renew({ ...lease, token: 7 }, now + 5_000, 15_000)).ok, false, 'another term cannot renew');
    assert.equal((await store.renew({ ...lease, holder: 'other' }, now + 5_000, 15_000)).ok, false, 'another holder cannot renew');

    // Lapsed: taken over with the next token; the old holder can neither renew nor release.
    const taken = await store.acquire('default', 'other', now + 20_001, 15_000);
    assert.ok(taken.ok && taken.lease.holder === 'other' && taken.lease.token === 2);
    assert.equal((await store.renew(lease, now + 20_002, 15_000)).ok, false);
    assert.equal((await store.release(lease, now + 20_002)).ok, false);

    // Released: free at once, and the token is kept for the next term.
    assert.ok((await store.release(taken.lease, now + 21_000)).ok);
    assert.deepEqual(await store.read('default').then((r) => [r?.expiresAt, r?.token]), [0, 2]);
    const next = await store.acquire('default', lease.holder, now + 21_001, 15_000);
    assert.ok(next.ok && next.lease.token === 3);
    assert.equal(await store.read('absent'), undefined);
  } finally {
    store.destroy();
  }
});
