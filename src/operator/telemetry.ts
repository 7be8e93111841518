// Alerts, metrics and the status page of a running operator, built from the `run` flags and
// attached to the controller, the status store and the AWS accounting: the one place `run` calls,
// so that its wiring stays a few lines.
import type { Logger } from 'pino';
import { Alerts } from '../alerts/alerts.js';
import { AlertDispatcher, type AlertSink } from '../alerts/dispatcher.js';
import { logSink } from '../alerts/log-sink.js';
import { WebhookSink } from '../alerts/webhook-sink.js';
import type { Secret } from '../core/secret.js';
import type { AwsCallStats } from '../aws/stats.js';
import type { PacingState } from '../aws/pacing.js';
import type { Clock } from '../core/clock.js';
import { UsageError } from '../core/errors.js';
import { OperatorMetrics } from '../metrics/metrics.js';
import type { PassReport } from '../runtime/controller.js';
import type { PruneOutcome } from '../runtime/pruner.js';
import type { StatusStore } from '../status/store.js';
import type { Route } from '../http/server.js';
import { telemetryRoutes } from '../http/telemetry-routes.js';

export interface TelemetryOptions {
  log: Logger;
  status: StatusStore;
  /** --alert-webhook: where alerts are POSTed (http or https). None: alerts go to the log only. */
  webhookUrl?: string;
  /** --alert-webhook-secret-file (or ECS_OPERATOR_ALERT_WEBHOOK_SECRET): the HMAC-SHA256 key, read once at start-up. */
  webhookSecret?: Secret;
  /** Whether this process is the leader now (leader election); default always. */
  leader?: () => boolean;
  clock?: Clock;
}

export interface Telemetry {
  alerts: Alerts;
  metrics: OperatorMetrics;
  dispatcher: AlertDispatcher;
  routes: Route[];
  /** Follows the controller's passes and prune runs, the AWS requests and the pacing buckets' rates; starts alerting. */
  attach(sources: {
    controller: { onPass(listener: (report: PassReport) => void): () => void };
    pruner?: { onPrune(listener: (outcome: PruneOutcome) => void): () => void };
    aws: AwsCallStats;
    pacing?: () => PacingState[];
  }): void;
  /** Stops following, then gives queued alerts up to `graceMs` (default 5 s) to go out. */
  close(graceMs?: number): Promise<void>;
}

function checkUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`invalid --alert-webhook "${url}": expected an http or https URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UsageError(`invalid --alert-webhook "${url}": expected an http or https URL`);
}

/** The listeners run inside a reconcile pass or an AWS call: a bug here must not fail those. */
export function guarded<T>(log: Logger, what: string, listener: (value: T) => void): (value: T) => void {
  return (value) => {
    try {
      listener(value);
    } catch (err) {
      log.error({ err: (err as Error).message, what }, 'telemetry listener failed');
    }
  };
}

export async function createTelemetry(options: TelemetryOptions): Promise<Telemetry> {
  const { log, status } = options;
  if (options.webhookSecret && !options.webhookUrl) throw new UsageError(`${options.webhookSecret.origin} needs --alert-webhook`);
  const sinks: AlertSink[] = [logSink(log)];
  if (options.webhookUrl) {
    checkUrl(options.webhookUrl);
    const secret = await options.webhookSecret?.read();
    sinks.push(new WebhookSink({ url: options.webhookUrl, ...(secret ? { secret } : {}) }));
  }
  const clock = options.clock ? { clock: options.clock } : {};
  const metrics = new OperatorMetrics({ status, ...clock, ...(options.leader ? { leader: options.leader } : {}) });
  const dispatcher = new AlertDispatcher({
    sinks, log,
    onSent: (event, sink) => metrics.alertSent(event.type, sink),
    onFailed: (_event, sink) => metrics.alertFailed(sink),
    onDropped: (_event, sink) => metrics.alertDropped(sink),
  });
  const alerts = new Alerts({ status, dispatcher, log, ...clock });
  const stops: Array<() => void> = [];
  return {
    alerts, metrics, dispatcher,
    routes: telemetryRoutes({ metrics, alerts, kinds: status.kinds }),
    attach({ controller, pruner, aws, pacing }) {
      stops.push(alerts.start());
      if (pacing) metrics.followPacing(pacing);
      stops.push(controller.onPass(guarded(log, 'pass', (report) => {
        metrics.observePass({ key: report.key, state: report.record.state, durationMs: report.durationMs });
        alerts.observePass(report);
      })));
      if (pruner) stops.push(pruner.onPrune(guarded(log, 'prune', (outcome) => alerts.observePrune(outcome))));
      stops.push(aws.onRecord(guarded(log, 'aws call', (record) => metrics.recordAwsCall(record))));
    },
    async close(graceMs = 5_000) {
      stops.splice(0).forEach((stop) => stop());
      await dispatcher.close(graceMs);
    },
  };
}
