// The account's token buckets as AWS keeps them: a request takes a token or is refused at once (AWS
// answers ThrottlingException; it never queues). Unlike the operator's pacer, which waits for a token,
// these only say yes or no, and they are the ground truth the operator is measured against.
import { publishedBucket, type BucketSpec } from '../../aws/published-buckets.js';
import type { AwsApi } from '../../aws/stats.js';

/** The operator's name of each API by its SigV4 signing name (ELB signs as elasticloadbalancing; v1 is never called). */
const API_OF_SIGNING_NAME: Record<string, AwsApi> = { ecs: 'ecs', elasticloadbalancing: 'elbv2', 'application-autoscaling': 'application-autoscaling' };

export interface BucketOptions {
  /** Multiplies every refill rate; bursts stay as published (a raised limit refills faster, it does not let more through at once). */
  scale?: number;
  /** Extra or overriding buckets by `api:Operation`, e.g. for an API AWS publishes no figures for. */
  extra?: Record<string, BucketSpec>;
  now?: () => number;
}

interface State {
  spec: BucketSpec;
  tokens: number;
  at: number;
}

export class AccountBuckets {
  private readonly states = new Map<string, State>();
  private readonly now: () => number;
  scale: number;

  constructor(private readonly options: BucketOptions = {}) {
    this.now = options.now ?? (() => performance.now());
    this.scale = options.scale ?? 1;
  }

  /** The bucket a request draws from (`api` is the SigV4 signing name), or undefined when it is not throttled. */
  bucketFor(api: string, operation: string): { name: string; spec: BucketSpec } | undefined {
    const extra = this.options.extra?.[`${api}:${operation}`];
    if (extra) return { name: `${api}:${operation}`, spec: extra };
    const known = API_OF_SIGNING_NAME[api];
    return known ? publishedBucket(known, operation) : undefined;
  }

  /** Takes one token for the request; false means AWS would refuse it now. */
  take(api: string, operation: string): boolean {
    const bucket = this.bucketFor(api, operation);
    if (!bucket) return true;
    const state = this.refilled(bucket.name, bucket.spec);
    if (state.tokens < 1) return false;
    state.tokens -= 1;
    return true;
  }

  /** Tokens left in a bucket now (its burst when untouched). */
  tokens(name: string): number | undefined {
    const state = this.states.get(name);
    return state ? this.refilled(name, state.spec).tokens : undefined;
  }

  /** Fills every bucket to its burst, as after a long quiet time. */
  refillAll(): void {
    this.states.clear();
  }

  private refilled(name: string, spec: BucketSpec): State {
    const t = this.now();
    let state = this.states.get(name);
    if (!state) {
      state = { spec, tokens: spec.burst, at: t };
      this.states.set(name, state);
    }
    state.tokens = Math.min(spec.burst, state.tokens + ((t - state.at) / 1000) * spec.refill * this.scale);
    state.at = t;
    return state;
  }
}
