// The operator's Prometheus metrics (prom-client), in a registry of its own rather than the global
// one, so tests and embedders can run several. Every name starts with `ecs_operator_`. Counters and
// the histogram are fed by the controller, the AWS accounting and the alert dispatcher; the status
// gauges are computed at scrape time (status-gauges.ts); Node process metrics come with the prefix.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { systemClock, type Clock } from '../core/clock.js';
import type { ResourceKey } from '../core/types.js';
import { parseResourceKey } from '../core/types.js';
import type { CallRecord } from '../aws/stats.js';
import type { PacingState } from '../aws/pacing.js';
import type { StatusStore } from '../status/store.js';
import { registerStatusGauges } from './status-gauges.js';

export const METRIC_PREFIX = 'ecs_operator_';

const HEAP_SPACE_METRICS = ['nodejs_heap_space_size_total_bytes', 'nodejs_heap_space_size_used_bytes', 'nodejs_heap_space_size_available_bytes'];

export interface MetricsOptions {
  status: StatusStore;
  /** For drift age. Default the system clock. */
  clock?: Clock;
  /** Node process metrics (CPU, memory, event loop lag, GC). Default true. */
  processMetrics?: boolean;
  /** Whether this process is the leader (leader election), read at scrape time. Default always. */
  leader?: () => boolean;
}

/** What the histogram needs of a reconcile pass (Controller's PassReport fits). */
export interface PassTiming {
  key: ResourceKey;
  /** The resting state the pass ended in: synced, progressing, drifted, stalled, retrying... */
  state: string;
  durationMs: number;
}

export class OperatorMetrics {
  readonly registry = new Registry();
  private readonly reconcileDuration: Histogram<'kind'>;
  private readonly reconciles: Counter<'kind' | 'result'>;
  private readonly awsRequests: Counter<'api' | 'operation' | 'outcome'>;
  private readonly awsThrottles: Counter<'api' | 'operation'>;
  private readonly alertsSent: Counter<'type' | 'sink'>;
  private readonly alertsFailed: Counter<'sink'>;
  private readonly alertsDropped: Counter<'sink'>;
  private pacing: () => PacingState[] = () => [];

  constructor(options: MetricsOptions) {
    const registers = [this.registry];
    const p = METRIC_PREFIX;
    // Time by kind, outcomes counted apart (as controller-runtime does): a histogram by kind and result
    // would repeat its 16 lines for every resting state of every kind.
    this.reconcileDuration = new Histogram({
      name: `${p}reconcile_duration_seconds`, help: 'Duration of reconcile passes, by kind.',
      labelNames: ['kind'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60], registers,
    });
    this.reconciles = new Counter({
      name: `${p}reconcile_total`, help: 'Reconcile passes, by kind and the state they ended in.',
      labelNames: ['kind', 'result'], registers,
    });
    this.awsRequests = new Counter({
      name: `${p}aws_requests_total`, help: 'AWS API requests (each attempt), by API, operation and outcome (ok, throttled, error).',
      labelNames: ['api', 'operation', 'outcome'], registers,
    });
    this.awsThrottles = new Counter({
      name: `${p}aws_throttles_total`, help: 'AWS requests refused by throttling, by API and operation.',
      labelNames: ['api', 'operation'], registers,
    });
    this.alertsSent = new Counter({
      name: `${p}alerts_sent_total`, help: 'Alerts delivered, by event type and sink.', labelNames: ['type', 'sink'], registers,
    });
    this.alertsFailed = new Counter({
      name: `${p}alerts_failed_total`, help: 'Alerts a sink gave up on after its retries.', labelNames: ['sink'], registers,
    });
    this.alertsDropped = new Counter({
      name: `${p}alerts_dropped_total`, help: 'Alerts dropped because the sink\'s queue was full (slow receiver).', labelNames: ['sink'], registers,
    });
    // Read at scrape time: a bucket's rate falls while AWS throttles and climbs back after.
    const pacing = () => this.pacing();
    const pacingGauge = (metric: string, help: string, pick: (s: PacingState) => number) => new Gauge({
      name: `${p}${metric}`, help, labelNames: ['bucket'], registers,
      collect() {
        this.reset();
        for (const state of pacing()) this.set({ bucket: state.bucket }, pick(state));
      },
    });
    pacingGauge('aws_paced_rate', 'Requests per second each client-side pacing bucket allows now (lowered while AWS throttles).', (s) => s.perSecond);
    pacingGauge('aws_paced_rate_baseline', 'Requests per second each pacing bucket allows when AWS does not throttle.', (s) => s.baseline);
    const leader = options.leader ?? (() => true);
    new Gauge({
      name: `${p}leader`, help: '1 while this process is the leader and reconciles, 0 while it stands by (leader election with --lease-table).',
      registers, collect() {
        this.set(leader() ? 1 : 0);
      },
    });
    registerStatusGauges(this.registry, p, options.status, options.clock ?? systemClock);
    if (options.processMetrics ?? true) {
      collectDefaultMetrics({ register: this.registry, prefix: p });
      // V8's heap by space is 24 series (8 spaces, 3 gauges) of engine internals, an eighth of what
      // /metrics serves besides the resources; the heap's total and used size stay.
      for (const m of HEAP_SPACE_METRICS) this.registry.removeSingleMetric(`${p}${m}`);
    }
  }

  /** Feed of Controller.onPass. */
  observePass(pass: PassTiming): void {
    const { kind } = parseResourceKey(pass.key);
    this.reconcileDuration.observe({ kind }, pass.durationMs / 1000);
    this.reconciles.inc({ kind, result: pass.state });
  }

  /** Feed of AwsCallStats.onRecord. */
  recordAwsCall(record: CallRecord): void {
    this.awsRequests.inc({ api: record.api, operation: record.operation, outcome: record.outcome });
    if (record.outcome === 'throttled') this.awsThrottles.inc({ api: record.api, operation: record.operation });
  }

  /** Where the pacing gauges read each bucket's rate (AwsClients.pacing). */
  followPacing(state: () => PacingState[]): void {
    this.pacing = state;
  }

  /** Feeds of the alert dispatcher (onSent, onFailed, onDropped). */
  alertSent(type: string, sink: string): void {
    this.alertsSent.inc({ type, sink });
  }

  alertFailed(sink: string): void {
    this.alertsFailed.inc({ sink });
  }

  alertDropped(sink: string): void {
    this.alertsDropped.inc({ sink });
  }

  /** The exposition text for GET /metrics. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
