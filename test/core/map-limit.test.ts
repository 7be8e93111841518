import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mapLimit } from '../../src/core/map-limit.js';
import { BatchReader } from '../../src/aws/batch-reader.js';

test('mapLimit: results in order, never more calls in flight than the limit, the first rejection ends it', async () => {
  let inFlight = 0;
  let peak = 0;
  const out = await mapLimit([...Array(50).keys()], 4, async (n) => {
    peak = Math.max(peak, ++inFlight);
    await new Promise((r) => setTimeout(r, n % 3));
    inFlight--;
    return n * 2;
  });
  assert.deepEqual(out, [...Array(50).keys()].map((n) => n * 2));
  assert.equal(peak, 4);
  const started: number[] = [];
  await assert.rejects(mapLimit([...Array(20).keys()], 2, async (n) => {
    started.push(n);
    if (n === 3) throw new Error('boom');
  }), /boom/);
  assert.ok(started.length < 20, `${started.length} calls started after a rejection`);
});

test('a prefetch of 1,000 items keeps at most 16 batch calls in flight, and reads each item once', async () => {
  let inFlight = 0;
  let peak = 0;
  let calls = 0;
  const reader = new BatchReader<string>({
    maxBatch: 10,
    async fetch(_group, ids) {
      calls++;
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, 1));
      inFlight--;
      return new Map(ids.map((id) => [id, `v-${id}`]));
    },
  });
  const ids = Array.from({ length: 1_000 }, (_, i) => `s${i}`);
  await reader.prefetch('c', ids);
  assert.equal(calls, 100);
  assert.equal(peak, 16);
  assert.equal(await reader.get('c', 's999', 0), 'v-s999');
  assert.equal(calls, 100);
});
