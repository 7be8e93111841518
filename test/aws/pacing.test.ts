// The pacing bucket under throttling, on a simulated clock: a throttle empties it and halves its
// refill rate (once per second at most, never below 1/32 of the budget), successes bring the rate
// back in small steps, and a wait ends when the shutdown signal fires. And at any --aws-rate-scale
// the pacer lets out no more than AWS's buckets (as the AWS-faithful proxy keeps them) let in, even
// when requests reach AWS closer together than they left.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RequestPacer, TokenBucket, type BucketClock } from '../../src/aws/pacing.js';
import { ECS_CATEGORIES, ELBV2_CATEGORIES } from '../../src/aws/published-buckets.js';
import type { AwsApi } from '../../src/aws/stats.js';
import { AccountBuckets } from '../../src/tools/aws-proxy/buckets.js';

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

/**
 * `n` requests of `operation` sent as fast as a pacer at `scale` lets them out, each reaching AWS after
 * a delay: the first after `lateMs`, the others at once (the worst case for AWS's bucket). How many
 * AWS refuses, and when the last one left.
 */
async function throughAws(api: AwsApi, operation: string, scale: number, n: number, lateMs: number) {
  const clock = simulated();
  const pacer = new RequestPacer(scale, undefined, clock);
  const released: number[] = [];
  for (let i = 0; i < n; i++) {
    await pacer.acquire(api, operation);
    released.push(clock.t);
  }
  let now = 0;
  const aws = new AccountBuckets({ scale, now: () => now });
  const arrivals = released.map((t, i) => t + (i === 0 ? lateMs : 0)).sort((a, b) => a - b);
  let refused = 0;
  for (const t of arrivals) {
    now = t;
    if (!aws.take(api === 'elbv2' ? 'elasticloadbalancing' : api, operation)) refused++;
  }
  return { refused, lastMs: released[n - 1]! };
}

test('at any scale the pacer lets out no more than each published bucket lets in: bursts as published, refill scaled', async () => {
  const tables: Array<[AwsApi, typeof ECS_CATEGORIES]> = [['ecs', ECS_CATEGORIES], ['elbv2', ELBV2_CATEGORIES]];
  for (const [api, table] of tables) {
    for (const [category, { burst, refill, actions }] of Object.entries(table)) {
      for (const scale of [0.5, 1, 10, 37]) {
        const n = burst + 3 * Math.ceil(refill * scale) + 5;
        // The first request is late by 90% of a refill interval, the rest arrive as they left.
        const { refused, lastMs } = await throughAws(api, actions[0]!, scale, n, (0.9 * 1000) / (refill * scale));
        assert.equal(refused, 0, `${api} ${category} x${scale}: ${refused} of ${n} refused`);
        // And no slower than the bucket allows, less the one token kept back.
        const floorMs = ((n - burst) / (refill * scale)) * 1000;
        assert.ok(lastMs <= floorMs + 1000 / (refill * scale) + 1, `${api} ${category} x${scale}: last left at ${lastMs} ms, floor ${floorMs} ms`);
      }
    }
  }
});

test('a scale raises refill rates only: x10 sends 19 registrations at once, then 10 a second', async () => {
  const clock = simulated();
  const pacer = new RequestPacer(10, undefined, clock);
  const at: number[] = [];
  for (let i = 0; i < 40; i++) {
    await pacer.acquire('ecs', 'RegisterTaskDefinition');
    at.push(clock.t);
  }
  assert.equal(at.filter((t) => t === 0).length, 19);
  assert.equal(at[39], 2100);
  // Deregistrations share the bucket, as AWS keeps them.
  await pacer.acquire('ecs', 'DeregisterTaskDefinition');
  assert.equal(clock.t, 2200);
  assert.deepEqual(pacer.state(), [{ bucket: 'ecs:task-definition-modify', perSecond: 10, baseline: 10 }]);
});
