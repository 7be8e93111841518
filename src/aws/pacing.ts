// Client-side token buckets that mirror ECS's per-account request budgets, so the operator paces its
// own calls and is never the cause of a ThrottlingException storm. Burst / refill per second follow
// the published ECS throttling figures; operations without a published figure share a modest bucket.
import type { AwsApi } from './stats.js';

export interface BucketSpec {
  burst: number;
  perSecond: number;
}

/** The ECS budgets: operation -> bucket name. */
const ECS_BUCKETS: Record<string, { bucket: string } & BucketSpec> = {
  DescribeServices: { bucket: 'service-read', burst: 100, perSecond: 20 },
  ListServices: { bucket: 'service-read', burst: 100, perSecond: 20 },
  CreateService: { bucket: 'service-write', burst: 50, perSecond: 5 },
  UpdateService: { bucket: 'service-write', burst: 50, perSecond: 5 },
  DeleteService: { bucket: 'service-write', burst: 50, perSecond: 5 },
  RegisterTaskDefinition: { bucket: 'task-definition-register', burst: 20, perSecond: 1 },
  DescribeTaskDefinition: { bucket: 'task-definition-read', burst: 50, perSecond: 20 },
  ListTaskDefinitions: { bucket: 'task-definition-read', burst: 50, perSecond: 20 },
  ListTaskDefinitionFamilies: { bucket: 'task-definition-read', burst: 50, perSecond: 20 },
  DescribeClusters: { bucket: 'cluster-read', burst: 50, perSecond: 20 },
  ListClusters: { bucket: 'cluster-read', burst: 50, perSecond: 20 },
};
const DEFAULT_BUCKET: BucketSpec = { burst: 20, perSecond: 5 };

export class TokenBucket {
  private tokens: number;
  private last: number;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    readonly spec: BucketSpec,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = spec.burst;
    this.last = now();
  }

  /** Resolves when a token is available; callers are served in order. */
  take(): Promise<void> {
    const turn = this.chain.then(() => this.waitForToken());
    this.chain = turn.catch(() => {});
    return turn;
  }

  private async waitForToken(): Promise<void> {
    for (;;) {
      const t = this.now();
      this.tokens = Math.min(this.spec.burst, this.tokens + ((t - this.last) / 1000) * this.spec.perSecond);
      this.last = t;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      const waitMs = Math.ceil(((1 - this.tokens) / this.spec.perSecond) * 1000);
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}

/**
 * All buckets of one operator process. `scale` multiplies every budget: 1 = the real AWS figures
 * (the default), larger for emulators or raised account limits, Infinity to switch pacing off.
 */
export class RequestPacer {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly scale = 1) {}

  async acquire(api: AwsApi, operation: string): Promise<void> {
    if (this.scale === Infinity) return;
    const known = api === 'ecs' ? ECS_BUCKETS[operation] : undefined;
    const name = known ? `ecs:${known.bucket}` : `${api}:${operation}`;
    let bucket = this.buckets.get(name);
    if (!bucket) {
      const spec = known ?? DEFAULT_BUCKET;
      bucket = new TokenBucket({ burst: Math.max(1, spec.burst * this.scale), perSecond: spec.perSecond * this.scale });
      this.buckets.set(name, bucket);
    }
    await bucket.take();
  }
}
