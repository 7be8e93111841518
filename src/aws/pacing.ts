// Client-side token buckets that mirror AWS's per-account request budgets, so the operator paces its
// own calls and is never the cause of a ThrottlingException storm. Each operation draws from the
// bucket AWS publishes for it (published-buckets.ts: ECS and ELBv2), one bucket per category as AWS
// keeps them; operations without a published figure get a modest bucket each.
// When AWS throttles anyway (other clients share the account's budget), a bucket's refill rate is
// halved (at most once a second, down to a floor) and recovers a little with each success: the
// operator asks less often while AWS says it asks too often, as TCP does with a congested link.
import { publishedBucket } from './published-buckets.js';
import type { AwsApi } from './stats.js';

export interface BucketSpec {
  burst: number;
  perSecond: number;
}

/** Per operation, where AWS publishes no bucket (Application Auto Scaling). */
const DEFAULT_BUCKET: BucketSpec = { burst: 20, perSecond: 5 };
/**
 * Tokens a published bucket keeps back from its burst. Requests leave paced but can reach AWS closer
 * together than they left (a first request that opens a connection is slower than the next ones);
 * one token of margin absorbs up to one refill interval of that.
 */
const BURST_MARGIN = 1;

/** A throttle halves the refill rate, at most once per this long (one congestion, one decrease). */
const DECREASE_EVERY_MS = 1_000;
/** The rate never falls below this fraction of the bucket's budget. */
const FLOOR_FRACTION = 1 / 32;
/** Each success gives back this fraction of the budget: about 20 successes from the floor to full rate. */
const RECOVERY_FRACTION = 1 / 20;

export interface BucketClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

const systemBucketClock: BucketClock = {
  now: Date.now,
  sleep: (ms, signal) => new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  }),
};

export class TokenBucket {
  private tokens: number;
  private last: number;
  private chain: Promise<void> = Promise.resolve();
  private rate: number;
  private lastDecrease = -Infinity;

  constructor(
    /** The budget: the burst, and the refill rate the bucket returns to once AWS stops throttling. */
    readonly spec: BucketSpec,
    private readonly clock: BucketClock = systemBucketClock,
  ) {
    this.tokens = spec.burst;
    this.last = clock.now();
    this.rate = spec.perSecond;
  }

  /** The refill rate in force (per second): the budget's, or less while AWS throttles. */
  get perSecond(): number {
    return this.rate;
  }

  /** Resolves when a token is available; callers are served in order. Rejects once `signal` fires. */
  take(signal?: AbortSignal): Promise<void> {
    const turn = this.chain.then(() => this.waitForToken(signal));
    this.chain = turn.catch(() => {});
    return turn;
  }

  /**
   * AWS refused a request for throttling: its own bucket is empty, so ours is emptied too, and the
   * refill rate is halved (not below the floor; not again within DECREASE_EVERY_MS, so that the
   * requests in flight together count as one signal).
   */
  throttled(): void {
    const t = this.refill();
    this.tokens = Math.min(this.tokens, 0);
    if (t - this.lastDecrease < DECREASE_EVERY_MS) return;
    this.lastDecrease = t;
    this.rate = Math.max(this.spec.perSecond * FLOOR_FRACTION, this.rate / 2);
  }

  /** A request went through: the rate recovers by a small step, up to the budget. */
  succeeded(): void {
    if (this.rate >= this.spec.perSecond) return;
    this.refill();
    this.rate = Math.min(this.spec.perSecond, this.rate + this.spec.perSecond * RECOVERY_FRACTION);
  }

  private refill(): number {
    const t = this.clock.now();
    this.tokens = Math.min(this.spec.burst, this.tokens + ((t - this.last) / 1000) * this.rate);
    this.last = t;
    return t;
  }

  private async waitForToken(signal: AbortSignal | undefined): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      this.refill();
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      // The rate may change while waiting (a throttle, a success): the wait is checked again after.
      const waitMs = Math.ceil(((1 - this.tokens) / this.rate) * 1000);
      await this.clock.sleep(Math.min(waitMs, 1_000), signal);
    }
  }
}

/** One bucket's pacing, for the metrics. */
export interface PacingState {
  /** `ecs:service-read`, `application-autoscaling:PutScalingPolicy`... */
  bucket: string;
  /** The refill rate in force (requests per second). */
  perSecond: number;
  /** The budget's refill rate. */
  baseline: number;
}

/**
 * All buckets of one operator process. `scale` multiplies every refill rate: 1 = the published AWS
 * figures (the default), larger for emulators or raised account limits, Infinity to switch pacing off
 * (throttles are then not slowed down either: there is no rate to lower). Bursts are never scaled:
 * AWS's bucket holds what it publishes however fast it refills, so a scaled burst would let more
 * requests out at once than AWS lets in. `signal` ends every wait.
 */
export class RequestPacer {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly scale = 1,
    private readonly signal?: AbortSignal,
    private readonly clock?: BucketClock,
  ) {}

  async acquire(api: AwsApi, operation: string): Promise<void> {
    await this.bucket(api, operation)?.take(this.signal);
  }

  /** AWS throttled a request of this operation. */
  throttled(api: AwsApi, operation: string): void {
    this.bucket(api, operation)?.throttled();
  }

  /** AWS answered a request of this operation (with success or with an error other than throttling). */
  succeeded(api: AwsApi, operation: string): void {
    this.bucket(api, operation)?.succeeded();
  }

  /** Every bucket used so far, with its rate in force. */
  state(): PacingState[] {
    return [...this.buckets].map(([bucket, b]) => ({ bucket, perSecond: b.perSecond, baseline: b.spec.perSecond }));
  }

  private bucket(api: AwsApi, operation: string): TokenBucket | undefined {
    if (this.scale === Infinity) return undefined;
    const published = publishedBucket(api, operation);
    const name = published?.name ?? `${api}:${operation}`;
    let bucket = this.buckets.get(name);
    if (!bucket) {
      const spec = published
        ? { burst: Math.max(1, published.spec.burst - BURST_MARGIN), perSecond: published.spec.refill }
        : DEFAULT_BUCKET;
      bucket = new TokenBucket({ burst: spec.burst, perSecond: spec.perSecond * this.scale }, this.clock);
      this.buckets.set(name, bucket);
    }
    return bucket;
  }
}
