// The controller: holds the desired state in force, one reconcile actor per resource, and the work
// queue that drives them. A key is reconciled when its manifest changes, when something it depends
// on changes what it exposes (a task definition's new revision reaches its service at once), on
// retry or rollout polling, and on every resync wave. Passes are level-triggered: the key is all a
// pass gets; it reads the desired and live state afresh.
import { randomUUID } from 'node:crypto';
import { createActor, type Actor } from 'xstate';
import type { Logger } from 'pino';
import type { DesiredResource, DesiredState, DriftPolicy, Kind, ResourceKey } from '../core/types.js';
import { systemClock, type Clock } from '../core/clock.js';
import { StatusStore } from '../status/store.js';
import { RESTING_STATES, summarize, type RestingState } from '../status/summarize.js';
import type { ResourceStatus } from '../status/types.js';
import { Backoff, type BackoffOptions } from './backoff.js';
import type { KindHandler, PassMode, ReconcileContext, ResourceOutputs } from './kind-handler.js';
import { createReconcileMachine, type ReconcileMachine, type ReconcileMachineContext } from './reconcile-machine.js';
import { WorkQueue } from './work-queue.js';
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

/** Reported after every pass, for progress output and events. */
export interface PassReport {
  key: ResourceKey;
  state: RestingState;
  status: ResourceStatus;
  previous: ResourceStatus | undefined;
  /** What the pass did: created, updated, registered, healed drift... Empty when nothing changed. */
  actions: string[];
  /** Why it applied a Git change: the revision, and the manifest or which reference changed. */
  cause?: string;
  durationMs: number;
  context: ReconcileMachineContext;
}

type ReconcileActor = Actor<ReconcileMachine>;

export class Controller {
  readonly status: StatusStore;
  private readonly machines = new Map<Kind, ReconcileMachine>();
  private readonly handlers = new Map<Kind, KindHandler>();
  private readonly actors = new Map<ResourceKey, ReconcileActor>();
  private readonly requestedAt = new Map<ResourceKey, number>();
  private readonly queue: WorkQueue<ResourceKey>;
  private readonly backoff: Backoff<ResourceKey>;
  private readonly clock: Clock;
  private readonly passListeners = new Set<(report: PassReport) => void>();
  private state: DesiredState | undefined;
  private dependents = new Map<ResourceKey, ResourceKey[]>();

  constructor(private readonly options: ControllerOptions) {
    this.clock = options.clock ?? systemClock;
    this.status = options.status ?? new StatusStore();
    this.queue = new WorkQueue({ concurrency: options.concurrency ?? 8, clock: this.clock });
    this.backoff = new Backoff(options.backoff);
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
      if (!this.actors.has(key)) {
        this.startActor(resource);
        added.push(key);
        this.request(key);
      } else if (behaviour(previous?.resources.get(key)) !== behaviour(resource)) {
        changed.push(key);
        this.request(key);
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
      this.backoff.reset(key);
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

  /** The resting state of every actor, for the CLI's wait logic. */
  states(): Map<ResourceKey, RestingState> {
    const out = new Map<ResourceKey, RestingState>();
    for (const [key, actor] of this.actors) out.set(key, actor.getSnapshot().value as RestingState);
    return out;
  }

  outputsOf(key: ResourceKey): ResourceOutputs | undefined {
    return this.actors.get(key)?.getSnapshot().context.outputs;
  }

  /** Asks for a pass of `key`; its reads must be no older than `at`. */
  request(key: ResourceKey, at = this.clock.now()): void {
    this.requestedAt.set(key, Math.max(at, this.requestedAt.get(key) ?? 0));
    this.queue.add(key);
  }

  private startActor(resource: DesiredResource): void {
    const machine = this.machines.get(resource.kind);
    if (!machine) throw new Error(`no handler for kind ${resource.kind}`);
    const actor = createActor(machine, { input: { key: resource.key } });
    actor.start();
    this.actors.set(resource.key, actor);
    this.status.set(summarize({ state: 'idle', context: actor.getSnapshot().context }));
  }

  /** A context for work outside a pass (prune, diff): reads no older than now. */
  contextFor(desired: DesiredState): ReconcileContext {
    return { ...this.context(undefined, this.clock.now()), desired, revision: desired.revision };
  }

  private context(resource: DesiredResource | undefined, notBefore: number, pass: Partial<Pick<ReconcileContext, 'appliedHash' | 'recordUnknown'>> = {}): ReconcileContext {
    const log = resource
      ? this.options.log.child({ kind: resource.kind, name: resource.name, reconcileId: randomUUID().slice(0, 8) })
      : this.options.log;
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
      log,
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
    const pass = before.pass + 1;
    const outputsBefore = JSON.stringify(before.outputs ?? null);
    // What Git asks for, references included, as this pass sees them.
    const effective = effectiveDesired(resource, (dep) => this.outputsOf(dep));
    const ctx = this.context(resource, notBefore, { appliedHash: effective.hash, recordUnknown: before.lastAppliedHash === undefined });

    const done = new Promise<unknown>((resolve) => {
      const sub = actor.subscribe({
        next: (snapshot) => {
          if (snapshot.context.completedPass >= pass && RESTING_STATES.has(snapshot.value as string)) {
            sub.unsubscribe();
            resolve(undefined);
          }
        },
        // The machine turns every kind error into a resting state; this is the net under that net.
        error: (err) => resolve(err ?? new Error('reconcile actor failed')),
        // Stopped because its manifest left the desired state (or the controller stops): the pass is over.
        complete: () => resolve(undefined),
      });
    });
    actor.send({
      type: 'RECONCILE',
      request: { desired: resource, ctx, waitingFor, effective },
    });
    const crashed = await done;
    // The resource was let go (or re-declared with a new actor) while this pass ran: nothing to report.
    if (this.actors.get(key) !== actor) return;
    if (crashed) {
      ctx.log.error({ err: (crashed as Error).message }, 'reconcile actor failed; it is restarted and the key retried');
      this.actors.delete(key);
      this.startActor(resource);
      this.queue.addAfter(key, this.backoff.next(key));
      return;
    }

    const snapshot = actor.getSnapshot();
    const state = snapshot.value as RestingState;
    const c = snapshot.context;
    let nextAttemptAt: number | undefined;
    if (c.outcome.retry) {
      const delay = c.outcome.retryAfterMs ?? this.backoff.next(key);
      nextAttemptAt = this.clock.now() + delay;
      this.queue.addAfter(key, delay);
    } else {
      this.backoff.reset(key);
      if (c.outcome.requeueAfterMs !== undefined) this.queue.addAfter(key, c.outcome.requeueAfterMs);
    }
    const previous = this.status.get(key);
    const current = summarize({ state, context: c, previous, nextAttemptAt });
    this.status.set(current);

    if (JSON.stringify(c.outputs ?? null) !== outputsBefore) {
      // The dependents' live state did not change with this one's: reads as fresh as this pass's do.
      for (const dependent of this.dependents.get(key) ?? []) this.request(dependent, notBefore);
    }
    const report: PassReport = {
      key, state, status: current, previous, actions: c.actions, durationMs: this.clock.now() - started, context: c,
      ...(c.cause ? { cause: c.cause } : {}),
    };
    const level = c.actions.length > 0 || previous?.sync !== current.sync || previous?.health !== current.health ? 'info' : 'debug';
    ctx.log[level](
      { state, sync: current.sync, health: current.health, actions: c.actions, ...(c.cause ? { cause: c.cause } : {}), durationMs: report.durationMs,
        ...(current.conditions.length ? { conditions: current.conditions.map((x) => `${x.type}: ${x.message}`) } : {}) },
      'reconciled',
    );
    for (const listener of this.passListeners) listener(report);
  }
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
