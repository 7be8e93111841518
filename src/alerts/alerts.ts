// The alerting service of a running operator: turns every reconcile pass, prune run, removal and
// source change into events (derive.ts, derive-source.ts), reminds of drifts that stay
// (reminders.ts), keeps the recent events for the status page and /api/v1/events, and hands each
// event to the dispatcher.
// Nothing here waits on a sink: reconciliation never slows down because a receiver does.
import type { Logger } from 'pino';
import type { ResourceKey } from '../core/types.js';
import { systemClock, type Clock } from '../core/clock.js';
import { formatDuration } from '../core/duration.js';
import type { PassReport } from '../runtime/controller.js';
import type { PruneOutcome } from '../runtime/pruner.js';
import type { StatusStore } from '../status/store.js';
import { deriveResourceEvents, subjectOf, type ResourceMemory, type ResourceTransition } from './derive.js';
import { deriveSourceEvents, pruneBlockedEvent, revisionOf, type PruneBlockedInput, type SourceMemory } from './derive-source.js';
import type { AlertDispatcher } from './dispatcher.js';
import { makeEvent, type AlertEvent, type AlertRevision } from './events.js';
import { DriftReminders, type Reminder } from './reminders.js';

export interface AlertsOptions {
  status: StatusStore;
  dispatcher: AlertDispatcher;
  log?: Logger;
  clock?: Clock;
  /** Recent events kept for the API and the page. Default 200. */
  keep?: number;
  /** See DeriveOptions.retryingAfterMs. Default 5 min. */
  retryingAfterMs?: number;
  /** Reminder schedule overrides (reminders.ts defaults: 15 min, 1 h, 4 h, then daily). */
  reminderSteps?: readonly number[];
  reminderRepeatMs?: number;
}

/** One per process; see the file header. Feed it with observePass and observePrune, and start(). */
export class Alerts {
  private readonly memories = new Map<ResourceKey, ResourceMemory>();
  private sourceMemory: SourceMemory = {};
  private readonly events: AlertEvent[] = [];
  private readonly reminders: DriftReminders;
  private readonly clock: Clock;
  /** The resources of the last PruneBlocked, until one of them is deleted or no longer blocked. */
  private lastPruneBlocked = new Set<ResourceKey>();

  constructor(private readonly options: AlertsOptions) {
    this.clock = options.clock ?? systemClock;
    this.reminders = new DriftReminders({
      clock: this.clock, onDue: (r) => this.remind(r),
      ...(options.reminderSteps ? { steps: options.reminderSteps } : {}),
      ...(options.reminderRepeatMs ? { repeatMs: options.reminderRepeatMs } : {}),
    });
  }

  /** Follows the status store (removed resources, the source) and starts the reminder timer. */
  start(): () => void {
    const { status } = this.options;
    // Store listeners run inside whoever changed the status: a failure here is logged, never thrown.
    const offChange = status.onChange((change) => this.safely(() => {
      if (!change.current) {
        this.lastPruneBlocked.delete(change.key);
        this.observe({ key: change.key, previous: change.previous, current: undefined, at: this.clock.now() });
      }
    }));
    const offSource = status.onSourceChange((_previous, current) => this.safely(() => {
      const { events, memory } = deriveSourceEvents(current, this.sourceMemory, this.clock.now());
      this.sourceMemory = memory;
      events.forEach((e) => this.emit(e));
    }));
    this.reminders.start();
    return () => {
      offChange();
      offSource();
      this.reminders.stop();
    };
  }

  /** Feed of Controller.onPass: every pass, with what it did. */
  observePass(report: PassReport): void {
    const { healed, specs, at, health } = report.record;
    // The last plan's normalized specs name the pairs a healed or reported drift points into.
    this.observe({
      key: report.key, previous: report.previous, current: report.status, at,
      ...(healed ? { healed } : {}),
      ...(specs ? { specs } : {}),
      ...(health?.rolloutFailed ? { rolloutFailed: true } : {}),
    });
  }

  /**
   * Feed of Pruner.onPrune: a refused batch is a PruneBlocked; what was deleted or is being deleted
   * is no longer blocked.
   */
  observePrune(outcome: PruneOutcome): void {
    for (const key of [...outcome.deleted, ...outcome.waiting]) this.lastPruneBlocked.delete(key);
    if (outcome.refusal !== undefined && outcome.blocked.length > 0) this.pruneBlocked({ resources: outcome.blocked, reason: outcome.refusal });
  }

  /** Reports that prune refused to delete. The same set of resources refused again is alerted once. */
  pruneBlocked(input: Omit<PruneBlockedInput, 'at'>): AlertEvent | undefined {
    const same = input.resources.length === this.lastPruneBlocked.size && input.resources.every((k) => this.lastPruneBlocked.has(k));
    if (same) return undefined;
    this.lastPruneBlocked = new Set(input.resources);
    const revision = input.revision ?? revisionOf(this.options.status.source?.lastApplied);
    const event = pruneBlockedEvent({ ...input, at: this.clock.now(), ...(revision ? { revision } : {}) });
    this.emit(event);
    return event;
  }

  /** Records an event among the recent ones and queues it for every sink. */
  emit(event: AlertEvent): void {
    this.events.push(event);
    const keep = this.options.keep ?? 200;
    if (this.events.length > keep) this.events.splice(0, this.events.length - keep);
    this.options.dispatcher.publish(event);
  }

  /** The most recent events, newest first. */
  recent(limit = this.options.keep ?? 200): AlertEvent[] {
    return this.events.slice(-Math.max(0, limit)).reverse();
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.options.log?.error({ err: (err as Error).message }, 'deriving alerts failed');
    }
  }

  private observe(transition: Omit<ResourceTransition, 'revision'>): void {
    const { key } = transition;
    const revision = this.revisionFor(transition.current?.revision ?? transition.previous?.revision);
    const { events, memory } = deriveResourceEvents(
      { ...transition, ...(revision ? { revision } : {}) },
      this.memories.get(key) ?? {},
      this.options.retryingAfterMs === undefined ? {} : { retryingAfterMs: this.options.retryingAfterMs },
    );
    if (transition.current && (memory.drift || memory.failure)) this.memories.set(key, memory);
    else this.memories.delete(key);
    const drift = transition.current?.drift;
    if (memory.drift && drift) this.reminders.track(key, Date.parse(drift.firstSeen));
    else this.reminders.untrack(key);
    events.forEach((e) => this.emit(e));
  }

  /** The revision with its subject and author when it is the one the source last applied. */
  private revisionFor(id: string | undefined): AlertRevision | undefined {
    const applied = this.options.status.source?.lastApplied;
    if (applied && (id === undefined || id === applied.id)) return revisionOf(applied);
    return id ? { id } : undefined;
  }

  private remind(reminder: Reminder): void {
    const key = reminder.key as ResourceKey;
    const memory = this.memories.get(key);
    const status = this.options.status.get(key);
    if (!memory?.drift || !status?.drift) {
      this.reminders.untrack(key);
      return;
    }
    const age = this.clock.now() - reminder.firstSeen;
    const revision = this.revisionFor(status.revision);
    this.emit(makeEvent({
      type: 'DriftPersisting',
      resource: subjectOf(key, status),
      message: `${key} has differed from Git for ${humanAge(age)} (since ${status.drift.firstSeen}), ${status.drift.fighting ? 'healing is held back by a fight' : 'left as it is'}; reminder ${reminder.number}`,
      at: this.clock.now(),
      differences: memory.drift.differences,
      details: { reminder: reminder.number, firstSeen: status.drift.firstSeen, policy: status.drift.policy ?? 'heal', fighting: memory.drift.fighting },
      ...(revision ? { revision } : {}),
    }));
  }
}

/** 15m, 1h, 4h, 2d: a drift's age as people say it. */
export function humanAge(ms: number): string {
  if (ms < 3_600_000) return formatDuration(Math.round(ms / 60_000) * 60_000);
  if (ms < 2 * 86_400_000) return `${Math.round(ms / 3_600_000)}h`;
  return `${Math.round(ms / 86_400_000)}d`;
}
