// Fan-out of alert events to the sinks without ever making the caller wait: publish() only queues.
// Each sink has its own bounded queue and one delivery at a time (events reach a sink in order); a
// slow or failing sink fills its own queue, whose oldest events are then dropped and counted, and
// never delays reconciliation or the other sinks.
import type { Logger } from 'pino';
import type { AlertEvent } from './events.js';

export interface AlertSink {
  /** Short and stable: the `sink` label of the alert metrics (log, webhook). */
  readonly name: string;
  /** Delivers one event, retrying as the sink sees fit; rejects when it gives up. Should honour `signal`. */
  send(event: AlertEvent, signal: AbortSignal): Promise<void>;
}

export interface DispatcherOptions {
  sinks: AlertSink[];
  /** Events waiting per sink before the oldest is dropped. Default 100. */
  queueSize?: number;
  log?: Logger;
  onSent?: (event: AlertEvent, sink: string) => void;
  onFailed?: (event: AlertEvent, sink: string, error: Error) => void;
  onDropped?: (event: AlertEvent, sink: string) => void;
}

export interface SinkStats {
  sent: number;
  failed: number;
  dropped: number;
  queued: number;
}

class Lane {
  readonly queue: AlertEvent[] = [];
  readonly stats: SinkStats = { sent: 0, failed: 0, dropped: 0, queued: 0 };
  busy: Promise<void> | undefined;
  constructor(readonly sink: AlertSink) {}
}

/** Sinks, each behind its own bounded queue (default 100 events); see the file header. */
export class AlertDispatcher {
  private readonly lanes: Lane[];
  private readonly queueSize: number;
  private readonly abort = new AbortController();

  constructor(private readonly options: DispatcherOptions) {
    this.lanes = options.sinks.map((sink) => new Lane(sink));
    this.queueSize = Math.max(1, options.queueSize ?? 100);
  }

  /** Queues `event` for every sink and returns at once. */
  publish(event: AlertEvent): void {
    if (this.abort.signal.aborted) return;
    for (const lane of this.lanes) {
      lane.queue.push(event);
      if (lane.queue.length > this.queueSize) {
        const dropped = lane.queue.shift()!;
        lane.stats.dropped++;
        this.options.log?.warn({ sink: lane.sink.name, dropped: dropped.key }, 'alert queue full: oldest alert dropped');
        this.options.onDropped?.(dropped, lane.sink.name);
      }
      lane.stats.queued = lane.queue.length;
      lane.busy ??= this.drain(lane);
    }
  }

  /** Per-sink counts since start. */
  stats(): Record<string, SinkStats> {
    return Object.fromEntries(this.lanes.map((lane) => [lane.sink.name, { ...lane.stats, queued: lane.queue.length }]));
  }

  /** Resolves when every queue is empty and no delivery is in flight. */
  async idle(): Promise<void> {
    while (this.lanes.some((lane) => lane.busy)) await Promise.all(this.lanes.map((lane) => lane.busy));
  }

  /** Stops taking events, waits up to `graceMs` for queued ones, then aborts what is left. */
  async close(graceMs = 5_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([this.idle(), grace]);
    clearTimeout(timer);
    this.abort.abort();
    for (const lane of this.lanes) lane.queue.length = 0;
  }

  private async drain(lane: Lane): Promise<void> {
    try {
      for (let event = lane.queue.shift(); event; event = lane.queue.shift()) {
        lane.stats.queued = lane.queue.length;
        try {
          // A sink that throws synchronously is a failed delivery like any other.
          await Promise.resolve().then(() => lane.sink.send(event!, this.abort.signal));
          lane.stats.sent++;
          this.options.onSent?.(event, lane.sink.name);
        } catch (err) {
          lane.stats.failed++;
          const error = err instanceof Error ? err : new Error(String(err));
          this.options.log?.warn({ sink: lane.sink.name, alert: event.key, err: error.message }, 'alert delivery failed');
          this.options.onFailed?.(event, lane.sink.name, error);
        }
      }
    } finally {
      lane.busy = undefined;
    }
  }
}
