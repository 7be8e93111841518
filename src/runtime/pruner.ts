// Prune (DESIGN.md "What the operator owns, and prune"): deletes what this instance owns and Git no
// longer declares, only after a fully valid revision (the manager never calls it for a broken one).
// Candidates come from manifests that left the desired state, or from the ownership tags of live
// resources (after a restart). A candidate is deleted only if the live resource is tagged as this
// instance's and as that very manifest's, is not protected by `ecs-operator.dev/prune: "false"`, was
// created by the operator (an adopted one only with --prune-adopted or `prune: "true"`), and the
// whole batch is within --prune-max (else nothing is deleted and PruneBlocked is reported).
// Order: auto scaling, services (scaled to 0, then deleted), task definition revisions, clusters.
// `plan` is the same selection without a write, for `diff` and for `apply` before it acts. Whatever
// stops a prune (an owned-resource listing or a read that failed, a refused batch) is reported in the
// outcome, in the status and in the log, never dropped: while what this instance owns cannot be
// listed in full, nothing is deleted, as --prune-max could not be trusted on a partial list.
import { parseResourceKey, type DesiredResource, type DesiredState, type Kind, type ResourceKey } from '../core/types.js';
import { classifyError } from '../core/errors.js';
import type { Condition, ResourceStatus } from '../status/types.js';
import type { RetryingReason, StalledReason } from '../core/errors.js';
import type { KindHandler, OwnedResource, ReconcileContext } from './kind-handler.js';
import { firstLine, mayDeleteAdopted, selectCandidates } from './prune-selection.js';
import type { Candidate, PruneError, PruneOutcome, PrunePlan, PrunerOptions, Selection } from './prune-types.js';

export type { PruneError, PruneOutcome, PrunePlan, PrunerOptions } from './prune-types.js';

export class Pruner {
  private readonly pending = new Map<ResourceKey, Candidate>();
  private readonly listeners = new Set<(outcome: PruneOutcome) => void>();
  private readonly handlers: Map<Kind, KindHandler>;
  private running: Promise<unknown> = Promise.resolve();
  /** Listing errors of the last discovery; while any remain, runs discover again first and delete nothing. */
  private discoveryErrors: PruneError[] = [];

  /** Deletion order: the reverse of creation order (the handlers' order). */
  private readonly order: Kind[];

  constructor(private readonly options: PrunerOptions) {
    this.handlers = new Map(options.handlers.map((h) => [h.kind, h]));
    this.order = options.handlers.map((h) => h.kind).reverse();
  }

  /** Resources whose manifests left the desired state (with the state they were declared in). */
  consider(removed: DesiredResource[], formerState: DesiredState): void {
    for (const resource of removed) this.pending.set(resource.key, { key: resource.key, former: { resource, state: formerState } });
  }

  /**
   * Live resources owned by this instance that `desired` does not declare, kind by kind. A kind whose
   * listing fails is returned (and logged), never thrown: the next run lists again before it deletes.
   */
  async discover(desired: DesiredState): Promise<PruneError[]> {
    const ctx = this.options.context(desired);
    const errors: PruneError[] = [];
    for (const handler of this.handlers.values()) {
      let found: OwnedResource[];
      try {
        found = (await handler.discoverOwned?.(ctx)) ?? [];
      } catch (err) {
        const message = `cannot list the ${handler.kind} resources this instance owns: ${firstLine(classifyError(err).message)}`;
        this.options.log.warn({ kind: handler.kind, err: message }, 'prune discovery failed; nothing is pruned until it succeeds');
        errors.push({ kind: handler.kind, message });
        continue;
      }
      for (const owned of found) {
        if (!desired.resources.has(owned.key) && !this.pending.has(owned.key)) this.pending.set(owned.key, { key: owned.key, owned });
      }
    }
    this.discoveryErrors = errors;
    return errors;
  }

  /** Candidates waiting, plus a failed discovery to retry: while positive, runs are needed. */
  get size(): number {
    return this.pending.size + this.discoveryErrors.length;
  }

  /** What a run would delete, keep or refuse now against `desired`, without a write or a status change. */
  async plan(desired: DesiredState): Promise<PrunePlan> {
    const selection = await this.select(desired, this.options.context(desired));
    const order = this.sortForDeletion(selection.deletable);
    const plan: PrunePlan = { deletions: order.map((c) => c.owned), kept: selection.kept, adopted: selection.adopted, errors: [...this.discoveryErrors, ...selection.errors] };
    const refusal = this.refusal(desired, order.map((c) => c.key));
    if (refusal) plan.blocked = `prune blocked: ${refusal}`;
    return plan;
  }

  /** Deletes what can be deleted now, against the desired state in force when it runs; runs are serialized. */
  run(): Promise<PruneOutcome> {
    const next = this.running.then(() => this.runOnce()).then((outcome) => {
      for (const listener of this.listeners) listener(outcome);
      return outcome;
    });
    this.running = next.catch(() => undefined);
    return next;
  }

  /** Every run's outcome, as it ends (alerts follow refusals here). */
  onPrune(listener: (outcome: PruneOutcome) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async runOnce(): Promise<PruneOutcome> {
    const outcome: PruneOutcome = { deleted: [], blocked: [], kept: [], adopted: [], waiting: [], errors: [] };
    const desired = this.options.current();
    if (!desired) return outcome;
    const ctx = this.options.context(desired);
    if (this.discoveryErrors.length > 0) await this.discover(desired);
    const selection = await this.select(desired, ctx);
    for (const key of selection.dropped) this.forget(key);
    for (const key of [...selection.kept, ...selection.adopted]) this.forget(key);
    outcome.kept.push(...selection.kept);
    outcome.adopted.push(...selection.adopted);
    for (const e of selection.errors) {
      this.setStatus({ key: e.key! }, ctx, { type: 'Retrying', reason: 'PruneFailed', message: e.message });
      outcome.waiting.push(e.key!);
    }
    outcome.errors.push(...this.discoveryErrors, ...selection.errors);
    this.setOverall(ctx);
    // A partial listing could hide resources past --prune-max: nothing is deleted until it is complete.
    if (this.discoveryErrors.length > 0) return outcome;
    const deletable = this.sortForDeletion(selection.deletable);
    const refusal = this.refusal(desired, deletable.map((c) => c.key));
    if (refusal) {
      const keys = deletable.map((c) => c.key);
      const message = `prune blocked: ${refusal}`;
      this.options.log.warn({ keys, max: this.options.maxDeletes }, message);
      for (const c of deletable) this.setStatus(c, ctx, { type: 'Stalled', reason: 'PruneBlocked', message });
      outcome.blocked.push(...keys);
      outcome.refusal = refusal;
      return outcome;
    }
    for (const candidate of deletable) {
      const handler = this.handlers.get(parseResourceKey(candidate.key).kind);
      if (!handler?.remove) continue;
      // Deletions take time: a revision that declares it again may have arrived meanwhile.
      if (this.options.current()?.resources.has(candidate.key)) {
        this.forget(candidate.key);
        continue;
      }
      this.setStatus(candidate, ctx, undefined, 'being deleted: its manifest is gone');
      try {
        const result = await handler.remove(candidate.owned, ctx, { pruneAdopted: mayDeleteAdopted(this.options, candidate, candidate.owned) });
        this.options.log.info({ key: candidate.key, action: result.action, writes: result.writes, ...(result.message ? { detail: result.message } : {}) }, result.gone ? 'pruned' : 'prune pending');
        if (result.gone) {
          this.forget(candidate.key);
          outcome.deleted.push(candidate.key);
        } else {
          this.setStatus(candidate, ctx, undefined, result.message ?? 'deletion in progress');
          outcome.waiting.push(candidate.key);
        }
      } catch (err) {
        const e = classifyError(err);
        this.options.log.warn({ key: candidate.key, err: e.message }, 'prune failed; retried later');
        this.setStatus(candidate, ctx, { type: 'Retrying', reason: 'PruneFailed', message: e.message });
        outcome.waiting.push(candidate.key);
      }
    }
    return outcome;
  }

  /** The candidates sorted against `desired` (see selectCandidates). */
  private select(desired: DesiredState, ctx: ReconcileContext): Promise<Selection> {
    return selectCandidates([...this.pending.values()], desired, ctx, this.handlers, this.options);
  }

  /** Deletion order: dependents first (the reverse of creation). */
  private sortForDeletion<T extends { key: ResourceKey }>(candidates: T[]): T[] {
    const rank = (key: ResourceKey) => this.order.indexOf(parseResourceKey(key).kind);
    return [...candidates].sort((a, b) => rank(a.key) - rank(b.key));
  }

  /** Why deleting `keys` at once is refused, if it is (an empty revision, or more than --prune-max), in words that follow "prune blocked: ". */
  private refusal(desired: DesiredState, keys: ResourceKey[]): string | undefined {
    if (keys.length === 0) return undefined;
    if (desired.resources.size === 0 && !this.options.allowEmpty) {
      return `the revision declares no resources, so everything this instance owns would be deleted (${keys.join(', ')}); check the source and path, or use --prune-allow-empty`;
    }
    if (keys.length > this.options.maxDeletes) {
      return `${keys.length} resources would be deleted (${keys.join(', ')}), more than --prune-max ${this.options.maxDeletes}; restore the manifests or raise --prune-max`;
    }
    return undefined;
  }

  /** The prune-wide condition in the status: Retrying (PruneDiscoveryFailed) while a listing fails. */
  private setOverall(ctx: ReconcileContext): void {
    const previous = this.options.status.prune?.conditions[0];
    const conditions: Condition[] = this.discoveryErrors.length === 0 ? [] : [{
      type: 'Retrying', reason: 'PruneDiscoveryFailed', since: previous?.since ?? new Date(ctx.now).toISOString(),
      message: `nothing is pruned until every owned resource can be listed: ${this.discoveryErrors.map((e) => e.message).join('; ')}`,
    }];
    this.options.status.setPrune({ conditions, lastRunTime: new Date(ctx.now).toISOString() });
  }

  private forget(key: ResourceKey): void {
    this.pending.delete(key);
    if (this.options.status.get(key)?.pruning) this.options.status.delete(key);
  }

  private setStatus(candidate: { key: ResourceKey; owned?: OwnedResource }, ctx: ReconcileContext, condition?: { type: 'Stalled'; reason: StalledReason; message: string } | { type: 'Retrying'; reason: RetryingReason; message: string }, healthMessage?: string): void {
    const { kind, name } = parseResourceKey(candidate.key);
    const previous = this.options.status.get(candidate.key);
    const since = previous?.conditions.find((c) => c.reason === condition?.reason)?.since ?? new Date(ctx.now).toISOString();
    const status: ResourceStatus = {
      key: candidate.key, kind, name, sync: 'OutOfSync', health: 'Progressing', pruning: true,
      conditions: condition ? [{ ...condition, since }] : [],
    };
    if (healthMessage) status.healthMessage = healthMessage;
    const arn = candidate.owned?.observation.arn ?? previous?.liveArn;
    if (arn) status.liveArn = arn;
    this.options.status.set(status);
  }
}
