// The pacing bucket under throttling, on a simulated clock: a throttle empties it and halves its
// refill rate (once per second at most, never below 1/32 of the budget), successes bring the rate
// back in small steps, and a wait ends when the shutdown signal fires.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RequestPacer, TokenBucket, type BucketClock } from '../../src/aws/pacing.js';

function simulated(): BucketClock & { t: number } {
  const clock = {
    t: 0,
    now: () => clock.t,
    sleep: async (ms: number, signal?: AbortSignal) => {
      signal?.throwIfAborted();
      clock.t += ms;
    },
  };
  return clock;
}

/** How many tokens the bucket hands out in `ms` of simulated time, starting empty. */
async function takenWithin(bucket: TokenBucket, clock: { t: number }, ms: number): Promise<number> {
  const end = clock.t + ms;
  let n = 0;
  while (clock.t < end) {
    await bucket.take();
    if (clock.t <= end) n++;
  }
  return n;
}

test('a throttle empties the bucket and halves its rate, once per second, down to a floor', async () => {
  const clock = simulated();
  const bucket = new TokenBucket({ burst: 100, perSecond: 20 }, clock);
  bucket.throttled();
  assert.equal(bucket.perSecond, 10);
  bucket.throttled(); // the same congestion: the requests in flight together
  assert.equal(bucket.perSecond, 10);
  assert.equal(await takenWithin(bucket, clock, 1_000), 10, 'no burst left: the halved rate');
  for (let i = 0; i < 10; i++) {
    clock.t += 1_000;
    bucket.throttled();
  }
  assert.equal(bucket.perSecond, 20 / 32, 'floor');
  clock.t += 1_000;
  bucket.throttled();
  assert.equal(bucket.perSecond, 20 / 32);
});

test('successes bring the rate back in steps of 1/20 of the budget, never above it', () => {
  const clock = simulated();
  const bucket = new TokenBucket({ burst: 100, perSecond: 20 }, clock);
  for (let i = 0; i < 6; i++) {
    bucket.throttled();
    clock.t += 1_000;
  }
  assert.equal(bucket.perSecond, 20 / 32);
  bucket.succeeded();
  assert.equal(bucket.perSecond, 20 / 32 + 1);
  for (let i = 0; i < 30; i++) bucket.succeeded();
  assert.equal(bucket.perSecond, 20);
});

test('the pacer slows only the bucket that was throttled, reports every bucket, and ends waits on abort', async () => {
  const clock = simulated();
  const abort = new AbortController();
  const pacer = new RequestPacer(1, abort.signal, clock);
  await pacer.acquire('ecs', 'DescribeServices');
  await pacer.acquire('ecs', 'UpdateService');
  pacer.throttled('ecs', 'ListServices'); // same bucket as DescribeServices
  assert.deepEqual(pacer.state(), [
    { bucket: 'ecs:service-read', perSecond: 10, baseline: 20 },
    { bucket: 'ecs:service-modify', perSecond: 5, baseline: 5 },
  ]);
  abort.abort(new Error('shutting down'));
  await assert.rejects(pacer.acquire('ecs', 'DescribeServices'), /shutting down/);
  assert.deepEqual(new RequestPacer(Infinity).state(), [], 'pacing off: no bucket');
});

