// One leadership term of `run`: a fresh controller, pruner and manager that reconcile while this
// process is the leader, and are stopped (passes in flight finish, within the shutdown grace) when it
// is not any more. Without leader election there is one term, for the life of the process. What
// outlives a term (the status store, alerts, metrics, the source, the AWS clients) is shared.
import type { Logger } from 'pino';
import { loadRevision } from '../desired/load.js';
import { Controller, type PassReport } from '../runtime/controller.js';
import { Manager } from './manager.js';
import { Pruner, type PruneOutcome } from '../runtime/pruner.js';
import type { Source } from '../sources/source.js';
import type { StatusStore } from '../status/store.js';
import type { DriftPolicy } from '../core/types.js';
import type { KindRulebook } from '../desired/kind-rules.js';
import type { KindHandler } from '../runtime/kind-handler.js';
import { refuseEnvironments } from '../environments/refuse.js';

/**
 * Passes and prune runs of every term, for listeners that outlive terms (alerts, metrics), in the
 * shapes of Controller.onPass and Pruner.onPrune.
 */
export class PassRelay {
  private readonly passListeners = new Set<(report: PassReport) => void>();
  private readonly pruneListeners = new Set<(outcome: PruneOutcome) => void>();

  onPass(listener: (report: PassReport) => void): () => void {
    this.passListeners.add(listener);
    return () => this.passListeners.delete(listener);
  }

  onPrune(listener: (outcome: PruneOutcome) => void): () => void {
    this.pruneListeners.add(listener);
    return () => this.pruneListeners.delete(listener);
  }

  emit(report: PassReport): void {
    for (const listener of this.passListeners) listener(report);
  }

  emitPrune(outcome: PruneOutcome): void {
    for (const listener of this.pruneListeners) listener(outcome);
  }
}

/** The `run` flags a term reads (see cli/run-options.ts). */
export interface TermFlags {
  instance: string;
  adopt: boolean;
  drift: DriftPolicy;
  concurrency: number;
  resyncInterval: number;
  shutdownGrace: number;
  prune: boolean;
  pruneMax: number;
  pruneAllowEmpty: boolean;
  pruneAdopted?: boolean;
}

/** What a term reconciles with: every kind's handler (in creation order) and the kinds' rules to load revisions. */
export interface TermKinds {
  handlers: KindHandler[];
  rules: KindRulebook;
}

export interface TermDeps {
  flags: TermFlags;
  app: TermKinds;
  source: Source;
  status: StatusStore;
  log: Logger;
  passes: PassRelay;
  /** Aborts every AWS call in flight: fired only when the process stops, once its grace is over. */
  cutoff: AbortController;
  /** True once the process is stopping (SIGTERM, SIGINT), false when only leadership was lost. */
  processStopping: () => boolean;
}

export interface Term {
  manager: Manager;
  /** Reconciles until `signal` aborts, then stops gracefully. */
  run(signal: AbortSignal): Promise<void>;
}

export function createTerm(deps: TermDeps): Term {
  const { flags, app, source, status, log, passes } = deps;
  // Cuts the passes of this term short; the AWS clients' own cutoff only when the process stops, as
  // after a lost lease the fence already refuses every write and the reads may finish.
  const passCutoff = new AbortController();
  const controller = new Controller({
    handlers: app.handlers, mode: 'run', log, status, instance: flags.instance, adopt: flags.adopt,
    driftDefault: flags.drift, concurrency: flags.concurrency, signal: passCutoff.signal,
  });
  controller.onPass((report) => passes.emit(report));
  const pruner = flags.prune
    ? new Pruner({
      handlers: app.handlers, status, log, maxDeletes: flags.pruneMax, allowEmpty: flags.pruneAllowEmpty, pruneAdopted: Boolean(flags.pruneAdopted),
      current: () => controller.desired, context: (state) => controller.contextFor(state),
    })
    : undefined;
  pruner?.onPrune((outcome) => passes.emitPrune(outcome));
  const manager = new Manager({
    controller, source, log, load: (revision) => refuseEnvironments(revision, app.rules) ?? loadRevision(revision, app.rules),
    resyncIntervalMs: flags.resyncInterval, shutdownGraceMs: flags.shutdownGrace, ...(pruner ? { pruner } : {}),
    abortInFlight: () => {
      passCutoff.abort();
      if (deps.processStopping()) deps.cutoff.abort();
    },
  });
  return { manager, run: (signal) => manager.run(signal) };
}
