// The long-running operator's lifecycle: starting -> syncing (first good revision handed to the
// controller, workers started after its first batched read) -> ready (every resource had a pass) ->
// stopping -> stopped. A revision that fails to load is never applied: the last good one stays in
// force and the source is marked Stalled with every error. Each resync wave also asks the source to
// read again; a source that keeps failing turns stale, and the operator not ready, until it recovers.
import type { Logger } from 'pino';
import { formatDiagnostic, type Diagnostic, type DesiredState, type ResourceKey, type Revision } from '../core/types.js';
import { systemClock, untilAborted, type Clock } from '../core/clock.js';
import { jittered } from '../core/backoff.js';
import type { Source } from '../sources/source.js';
import type { SourceStatus } from '../status/types.js';
import type { Controller } from '../runtime/controller.js';
import type { Pruner } from '../runtime/pruner.js';

export type Phase = 'starting' | 'syncing' | 'ready' | 'stopping' | 'stopped';

export interface LoadOutcome {
  state?: DesiredState;
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

export interface ManagerOptions {
  controller: Controller;
  source: Source;
  /** Turns a revision into a desired state or its errors (desired/load.ts, wired by main). */
  load: (revision: Revision) => LoadOutcome;
  log: Logger;
  /** Every this long, every resource is re-read (in batches) and reconciled. */
  resyncIntervalMs: number;
  /** Fraction of the interval by which each wave is moved, at random. Default 0.1. */
  resyncJitter?: number;
  /** Longest wait for passes in flight on shutdown. Default 30 s. */
  shutdownGraceMs?: number;
  /**
   * Aborts the work still in flight (AWS calls included): called once the controller has stopped, or
   * when the grace period ends first. What remains then (a resync wave's batched reads, a prune)
   * would otherwise keep the process alive until AWS answers.
   */
  abortInFlight?: () => void;
  /** Set when prune is on (--prune): deletes what this instance owns and Git no longer declares. */
  pruner?: Pruner;
  clock?: Clock;
}

export class Manager {
  private phaseValue: Phase = 'starting';
  /** The source phase the last revision's load left: what a recovered fetch failure returns to. */
  private loadPhase: SourceStatus['phase'] = 'Pending';
  private resyncTimer: unknown;
  private readonly clock: Clock;
  private readonly startedAt: number;

  constructor(private readonly options: ManagerOptions) {
    this.clock = options.clock ?? systemClock;
    this.startedAt = this.clock.now();
  }

  get phase(): Phase {
    return this.phaseValue;
  }

  /**
   * True after the first full sync (every resource of the first applied revision has had a pass),
   * unless the source is stale (see onSourceError).
   */
  get ready(): boolean {
    return this.phaseValue === 'ready' && !this.sourceStatus().stale;
  }

  /** Runs until `signal` aborts, then stops gracefully. */
  async run(signal: AbortSignal): Promise<void> {
    const { controller, source, log } = this.options;
    const described = source.describe();
    this.setSource({ ...described, phase: 'Pending', errors: [] });
    controller.onPass(() => {
      if (this.phaseValue === 'syncing' && this.fullySynced()) this.setPhase('ready');
    });
    const sourceDone = source.start(
      signal,
      (revision) => this.onRevision(revision),
      (err) => this.onSourceError(err),
      (at) => this.onFetched(at),
    );
    await untilAborted(signal);
    this.setPhase('stopping');
    this.clock.clearTimeout(this.resyncTimer);
    const stopped = Promise.all([controller.stop(), sourceDone]).then(() => true);
    const grace = new Promise<false>((resolve) => this.clock.setTimeout(() => resolve(false), this.options.shutdownGraceMs ?? 30_000));
    const clean = await Promise.race([stopped, grace]);
    if (!clean) log.warn({ graceMs: this.options.shutdownGraceMs ?? 30_000 }, 'shutdown grace period over: work in flight is aborted');
    this.options.abortInFlight?.();
    // Aborted calls fail at once; give the passes a moment to come to rest.
    if (!clean) await Promise.race([stopped, new Promise<void>((resolve) => this.clock.setTimeout(resolve, 5_000))]);
    this.setPhase('stopped');
  }

  /** A fetch found nothing new: the source is alive, and recovered if it had failed. */
  private onFetched(at: string): void {
    const current = this.sourceStatus();
    const recovered = current.phase === 'Failed' ? { phase: this.loadPhase, message: undefined } : {};
    this.setSource({ ...current, lastFetchTime: at, ...recovered, ...HEALTHY_SOURCE });
  }

  /**
   * A fetch or read failed: the source is Failed at once (status and alerts say so), and stale once
   * nothing was read for two resync intervals, which makes the operator not ready. One failed read
   * never does: a resync re-reads the source, so two intervals without a good read are at least two
   * failed reads in a row.
   */
  private onSourceError(err: Error): void {
    const current = this.sourceStatus();
    const now = this.clock.now();
    this.options.log.error({ err: err.message, source: current.url, failures: (current.failures ?? 0) + 1 }, 'source failed');
    const lastGood = current.lastFetchTime ? Date.parse(current.lastFetchTime) : this.startedAt;
    const stale = now - lastGood >= 2 * this.options.resyncIntervalMs;
    if (stale && !current.stale) this.options.log.error({ since: current.lastFetchTime ?? 'start-up' }, 'source stale: nothing read for two resync intervals; not ready until a read succeeds');
    this.setSource({
      ...current, phase: 'Failed', message: err.message, failures: (current.failures ?? 0) + 1,
      failingSince: current.failingSince ?? new Date(now).toISOString(), stale: stale || undefined,
    });
  }

  private async onRevision(revision: Revision): Promise<void> {
    const { controller, log } = this.options;
    const info = { ...revision.info, fetchedAt: revision.info.fetchedAt ?? new Date(this.clock.now()).toISOString() };
    const result = this.options.load(revision);
    for (const w of result.warnings) log.warn({ revision: info.id }, formatDiagnostic(w));
    if (!result.state) {
      for (const e of result.errors) log.error({ revision: info.id }, formatDiagnostic(e));
      log.error({ revision: info.id, errors: result.errors.length }, 'revision not applied: the last good revision stays in force');
      this.loadPhase = 'Stalled';
      this.setSource({ ...this.sourceStatus(), phase: 'Stalled', lastFetched: info, lastFetchTime: info.fetchedAt, errors: result.errors, message: `${result.errors.length} manifest error(s) in revision ${info.id}`, ...HEALTHY_SOURCE });
      return;
    }
    const previous = controller.desired;
    const first = previous === undefined;
    const changes = controller.setDesired(result.state);
    if (previous && this.options.pruner) {
      this.options.pruner.consider(changes.removed.map((key) => previous.resources.get(key)!), previous);
    }
    log.info({ revision: info.id, resources: result.state.resources.size, ...summarizeChanges(changes) }, 'revision applied');
    this.loadPhase = 'Ready';
    this.setSource({ ...this.sourceStatus(), phase: 'Ready', lastFetched: info, lastApplied: info, lastFetchTime: info.fetchedAt, errors: [], message: undefined, ...HEALTHY_SOURCE });
    if (first) {
      this.setPhase('syncing');
      // The first wave reads everything in batches before any worker starts.
      await controller.resync();
      controller.start();
      if (this.fullySynced()) this.setPhase('ready');
      this.scheduleResync();
      // After a restart, what this instance owns and the revision no longer declares is found by its tags.
      await this.options.pruner?.discover(result.state).catch((err) => log.warn({ err: (err as Error).message }, 'prune discovery failed'));
    }
    // A key let go before its first pass never reports one: readiness is re-checked here too.
    if (this.phaseValue === 'syncing' && this.fullySynced()) this.setPhase('ready');
    this.prune();
  }

  /** Every resource of the desired state in force has had a pass (a key let go meanwhile does not count). */
  private fullySynced(): boolean {
    const { controller } = this.options;
    return (controller.desired?.order ?? []).every((key) => controller.status.get(key)?.lastReconcileTime !== undefined);
  }

  /** Prunes only while the newest revision is the one in force, and never while stopping. */
  private prune(): void {
    const { pruner, log } = this.options;
    if (!pruner || pruner.size === 0 || this.loadPhase !== 'Ready' || this.stopping()) return;
    pruner.run().catch((err) => log.warn({ err: (err as Error).message }, 'prune failed'));
  }

  private stopping(): boolean {
    return this.phaseValue === 'stopping' || this.phaseValue === 'stopped';
  }

  private scheduleResync(): void {
    const { resyncIntervalMs, resyncJitter = 0.1 } = this.options;
    const delay = jittered(resyncIntervalMs, resyncJitter);
    this.resyncTimer = this.clock.setTimeout(() => {
      if (this.stopping()) return;
      // The source is read again too: a change whose file event was lost is caught within one wave.
      this.options.source.refresh();
      void this.options.controller.resync().finally(() => {
        if (this.stopping()) return;
        this.prune();
        this.scheduleResync();
      });
    }, delay);
  }

  private sourceStatus(): SourceStatus {
    return this.options.controller.status.source ?? { ...this.options.source.describe(), phase: 'Pending', errors: [] };
  }

  private setSource(status: SourceStatus): void {
    const clean = Object.fromEntries(Object.entries(status).filter(([, v]) => v !== undefined)) as unknown as SourceStatus;
    this.options.controller.status.setSource(clean);
  }

  private setPhase(phase: Phase): void {
    this.phaseValue = phase;
    this.options.log.info({ phase }, `operator ${phase}`);
  }
}

/** What a successful read clears. */
const HEALTHY_SOURCE = { failures: undefined, failingSince: undefined, stale: undefined } as const;

function summarizeChanges(c: { added: ResourceKey[]; changed: ResourceKey[]; removed: ResourceKey[] }) {
  return { added: c.added.length, changed: c.changed.length, removed: c.removed.length };
}
