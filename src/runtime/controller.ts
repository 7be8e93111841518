// The controller: holds the desired state in force, one reconcile actor per resource, and the work
// queue that drives them. A key is reconciled when its manifest changes, when something it depends
// on changes what it exposes (a task definition's new revision reaches its service at once), on
// retry or rollout polling, and on every resync wave. Passes are level-triggered: the key is all a
// pass gets; it reads the desired and live state afresh.
import { randomUUID } from 'node:crypto';
import { createActor, waitFor, type Actor } from 'xstate';
import type { Logger } from 'pino';
import type { DesiredResource, DesiredState, DriftPolicy, Kind, ResourceKey } from '../core/types.js';
import { systemClock, type Clock } from '../core/clock.js';
import { StatusStore } from '../status/store.js';
import type { ResourceStatus } from '../status/types.js';
import { Backoff, type BackoffOptions } from './backoff.js';
import type { KindHandler, PassMode, ReconcileContext, ResourceOutputs } from './kind-handler.js';
import type { PassRecord } from './pass-record.js';
import { createReconcileMachine, type ReconcileMachine } from './reconcile-machine.js';
import { pendingStatus, summarize } from './summarize.js';
import { PRIORITY_CHANGED, PRIORITY_NORMAL, PRIORITY_UNBLOCKED, WorkQueue } from './work-queue.js';
import { prefetchAll } from './prefetch.js';
import { effectiveDesired } from './effective-desired.js';

export interface ControllerOptions {
  handlers: KindHandler[];
  mode: PassMode;
  log: Logger;
  /** Value of the managed-by tag. Default `default`. */
  instance?: string;
  /** Adopt existing resources with a manifest's name. Default true. */
  adopt?: boolean;
  /** Drift policy for resources without the annotation. Default heal. */
  driftDefault?: DriftPolicy;
  /** Keys reconciled at once. Default 8. */
  concurrency?: number;
  backoff?: BackoffOptions;
  clock?: Clock;
  status?: StatusStore;
  /** Fires when work in flight must stop now (a shutdown past its grace period): every pass's ctx.signal. */
  signal?: AbortSignal;
}

/** Reported after every pass, for progress output, events and metrics: the pass's record and the status it left. */
export interface PassReport {
  key: ResourceKey;
  record: PassRecord;
  status: ResourceStatus;
  previous: ResourceStatus | undefined;
  durationMs: number;
}

type ReconcileActor = Actor<ReconcileMachine>;

export class Controller {
  readonly status: StatusStore;
  private readonly machines = new Map<Kind, ReconcileMachine>();
  private readonly handlers = new Map<Kind, KindHandler>();
  private readonly actors = new Map<ResourceKey, ReconcileActor>();
  private readonly requestedAt = new Map<ResourceKey, number>();
  private readonly queue: WorkQueue<ResourceKey>;
  /** Restarts of a crashed actor (see reconcile); retries after a failed pass are the actor's own (reconcile-machine.ts). */
  private readonly crashes: Backoff<ResourceKey>;
  private readonly clock: Clock;
  private readonly passListeners = new Set<(report: PassReport) => void>();
  private state: DesiredState | undefined;
  private dependents = new Map<ResourceKey, ResourceKey[]>();

  constructor(private readonly options: ControllerOptions) {
    this.clock = options.clock ?? systemClock;
    this.status = options.status ?? new StatusStore(options.handlers.map((h) => h.kind));
    this.queue = new WorkQueue({ concurrency: options.concurrency ?? 8, clock: this.clock });
    this.crashes = new Backoff(options.backoff);
    for (const handler of options.handlers) {
      this.handlers.set(handler.kind, handler);
      this.machines.set(handler.kind, createReconcileMachine(handler));
    }
  }

  get desired(): DesiredState | undefined {
    return this.state;
  }

  /** Installs a fully valid revision. New and changed resources are reconciled; removed ones are let go. */
  setDesired(next: DesiredState): { added: ResourceKey[]; changed: ResourceKey[]; removed: ResourceKey[] } {
    const previous = this.state;
    this.state = next;
    this.dependents = indexDependents(next);
    const added: ResourceKey[] = [];
    const changed: ResourceKey[] = [];
    const removed: ResourceKey[] = [];
    for (const key of next.order) {
      const resource = next.resources.get(key)!;
      // A change from Git goes before the rechecks of a resync wave that may be under way.
      if (!this.actors.has(key)) {
        this.startActor(resource);
        added.push(key);
        this.request(key, this.clock.now(), PRIORITY_CHANGED);
      } else if (behaviour(previous?.resources.get(key)) !== behaviour(resource)) {
        changed.push(key);
        this.request(key, this.clock.now(), PRIORITY_CHANGED);
      }
    }
    for (const key of [...this.actors.keys()]) {
      if (next.resources.has(key)) continue;
      removed.push(key);
      const actor = this.actors.get(key)!;
      this.actors.delete(key);
      actor.stop();
      this.queue.cancelDelay(key);
      this.requestedAt.delete(key);
      this.crashes.reset(key);
      this.status.delete(key);
    }
    return { added, changed, removed };
  }

  /** A resync wave: reads every resource's live state in batches, then reconciles every key. */
  async resync(): Promise<void> {
    const state = this.state;
    if (!state) return;
    const at = this.clock.now();
    await prefetchAll(state, this.handlers, this.context(undefined, at));
    for (const key of state.order) this.request(key, at);
  }

  /** Starts the workers. */
  start(): void {
    this.queue.start((key) => this.reconcile(key));
  }

  /** Stops taking work and waits for the passes in flight; options.signal is what cuts them short. */
  async stop(): Promise<void> {
    await this.queue.shutdown();
    for (const actor of this.actors.values()) actor.stop();
  }

  /** Resolves when no key is queued or in process (delayed retries and polls may remain). */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  onPass(listener: (report: PassReport) => void): () => void {
    this.passListeners.add(listener);
    return () => this.passListeners.delete(listener);
  }

  /** What `key` exposes to its dependents, once it exists. */
  outputsOf(key: ResourceKey): ResourceOutputs | undefined {
    return this.actors.get(key)?.getSnapshot().context.memory.outputs;
  }

  /**
   * Asks for a pass of `key`; its reads must be no older than `at`. A higher `priority` serves it
   * before queued work of lower priority (see work-queue.ts).
   */
  request(key: ResourceKey, at = this.clock.now(), priority = PRIORITY_NORMAL): void {
    this.requestedAt.set(key, Math.max(at, this.requestedAt.get(key) ?? 0));
    this.queue.add(key, priority);
  }

  private startActor(resource: DesiredResource): void {
    const machine = this.machines.get(resource.kind);
    if (!machine) throw new Error(`no handler for kind ${resource.kind}`);
    const key = resource.key;
    const actor = createActor(machine, {
      input: { key, backoff: (failures) => this.crashes.delay(failures), due: () => this.request(key) },
      clock: this.clock,
    });
    actor.start();
    this.actors.set(key, actor);
    this.status.set(pendingStatus(key));
  }

  /** A context for work outside a pass (prune, diff): reads no older than now. */
  contextFor(desired: DesiredState): ReconcileContext {
    return { ...this.context(undefined, this.clock.now()), desired, revision: desired.revision };
  }

  private context(resource: DesiredResource | undefined, notBefore: number, pass: Partial<Pick<ReconcileContext, 'appliedHash' | 'recordUnknown'>> = {}): ReconcileContext {
    const parent = this.options.log;
    let child: Logger | undefined;
    // A pass's logger is made when something is logged: most passes log nothing at the level in force.
    const log = resource ? () => (child ??= parent.child({ kind: resource.kind, name: resource.name, reconcileId: randomUUID().slice(0, 8) })) : () => parent;
    return {
      now: this.clock.now(),
      notBefore,
      mode: this.options.mode,
      instance: this.options.instance ?? 'default',
      adopt: this.options.adopt ?? true,
      driftDefault: this.options.driftDefault ?? 'heal',
      revision: this.state!.revision,
      desired: this.state!,
      outputsOf: (key) => this.outputsOf(key),
      get log() {
        return log();
      },
      signal: this.options.signal ?? NEVER,
      ...pass,
    };
  }

  private async reconcile(key: ResourceKey): Promise<void> {
    const resource = this.state?.resources.get(key);
    const actor = this.actors.get(key);
    if (!resource || !actor) return;
    const started = this.clock.now();
    const notBefore = this.requestedAt.get(key) ?? started;
    this.requestedAt.delete(key);
    const waitingFor = resource.dependsOn.filter((dep) => this.outputsOf(dep)?.arn === undefined);
    const before = actor.getSnapshot().context;
    const pass = (before.pass?.pass ?? 0) + 1;
    // What Git asks for, references included, as this pass sees them.
    const effective = effectiveDesired(resource, (dep) => this.outputsOf(dep));
    const ctx = this.context(resource, notBefore, { appliedHash: effective.hash, recordUnknown: before.memory.lastAppliedHash === undefined });

    const rested = waitFor(actor, (snapshot) => (snapshot.context.record?.pass ?? 0) >= pass);
    actor.send({ type: 'RECONCILE', request: { desired: resource, ctx, waitingFor, effective } });
    let record: PassRecord | undefined;
    let crashed: unknown;
    try {
      ({ record } = (await rested).context);
    } catch (err) {
      crashed = err;
    }
    // The resource was let go (or re-declared with a new actor) while this pass ran: nothing to report.
    if (this.actors.get(key) !== actor) return;
    if (!record) {
      // The machine turns every kind error into a resting state; this is the net under that net.
      ctx.log.error({ err: crashed instanceof Error ? crashed.message : String(crashed) }, 'reconcile actor failed; it is restarted and the key retried');
      this.actors.delete(key);
      this.startActor(resource);
      this.queue.addAfter(key, this.crashes.next(key));
      return;
    }
    this.crashes.reset(key);
    const previous = this.status.get(key);
    const nextAttemptAt = record.state === 'retrying' && record.requeueAfterMs !== undefined ? this.clock.now() + record.requeueAfterMs : undefined;
    const current = summarize(record, previous, nextAttemptAt);
    this.status.set(current);

    if (!sameOutputs(before.memory.outputs, actor.getSnapshot().context.memory.outputs)) {
      // The dependents' live state did not change with this one's: reads as fresh as this pass's do.
      // They go before queued ordinary work: a service whose new task definition revision was just
      // registered is updated before the registrations still queued wait on their bucket.
      for (const dependent of this.dependents.get(key) ?? []) this.request(dependent, notBefore, PRIORITY_UNBLOCKED);
    }
    const report: PassReport = { key, record, status: current, previous, durationMs: this.clock.now() - started };
    const { actions, cause } = record;
    const level = actions.length > 0 || previous?.sync !== current.sync || previous?.health !== current.health ? 'info' : 'debug';
    if (this.options.log.isLevelEnabled(level)) {
      ctx.log[level](
        { state: record.state, sync: current.sync, health: current.health, actions, ...(cause ? { cause } : {}), durationMs: report.durationMs,
          ...(current.conditions.length ? { conditions: current.conditions.map((x) => `${x.type}: ${x.message}`) } : {}) },
        'reconciled',
      );
    }
    for (const listener of this.passListeners) listener(report);
  }
}

/** Whether two outputs say the same (a flat map of strings). */
function sameOutputs(a: ResourceOutputs | undefined, b: ResourceOutputs | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/** A signal that never fires, for controllers nobody cuts short (tests, one-shot commands). */
const NEVER = new AbortController().signal;

/** What a pass does with a resource: its spec (hash), its policy annotations and its dependencies. */
function behaviour(resource: DesiredResource | undefined): string {
  return resource ? JSON.stringify([resource.hash, resource.policy, resource.dependsOn]) : '';
}

function indexDependents(state: DesiredState): Map<ResourceKey, ResourceKey[]> {
  const out = new Map<ResourceKey, ResourceKey[]>();
  for (const resource of state.resources.values()) {
    for (const dep of resource.dependsOn) {
      const list = out.get(dep);
      if (list) list.push(resource.key);
      else out.set(dep, [resource.key]);
    }
  }
  return out;
}
