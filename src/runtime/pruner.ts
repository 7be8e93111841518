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
import type { Logger } from 'pino';
import { KINDS, parseResourceKey, type DesiredResource, type DesiredState, type Kind, type ResourceKey } from '../core/types.js';
import { originOf, ownedBy, TAG_MANAGED_BY, TAG_PRUNE } from '../core/tags.js';
import { classifyError } from '../core/errors.js';
import type { StatusStore } from '../status/store.js';
import type { Condition, ResourceStatus } from '../status/types.js';
import type { RetryingReason, StalledReason } from '../core/errors.js';
import type { KindHandler, OwnedResource, ReconcileContext } from './kind-handler.js';

export interface PrunerOptions {
  handlers: KindHandler[];
  status: StatusStore;
  log: Logger;
  /** Most deletions allowed in one run; more is refused as a whole (PruneBlocked). */
  maxDeletes: number;
  /**
   * Prune even when the revision declares no resource at all. Off by default: an empty revision is far
   * more often a wrong --path or a bad checkout than a wish to delete everything.
   */
  allowEmpty?: boolean;
  /**
   * Also delete resources the operator adopted (--prune-adopted). Off by default: only what it
   * created (tagged origin=created) is deleted, unless the manifest said `ecs-operator.dev/prune: "true"`.
   */
  pruneAdopted?: boolean;
  /** The desired state in force now: checked again right before every deletion. */
  current: () => DesiredState | undefined;
  /** A fresh context for a run (reads no older than now, the desired state in force). */
  context: (desired: DesiredState) => ReconcileContext;
}

interface Candidate {
  key: ResourceKey;
  /** The manifest it came from, when it left the desired state while the operator ran. */
  former?: { resource: DesiredResource; state: DesiredState };
  owned?: OwnedResource;
}

/** Something that kept prune from seeing all it must: a kind's owned-resource listing, or one candidate's read. */
export interface PruneError {
  /** The candidate that could not be read; absent when a kind's listing failed. */
  key?: ResourceKey;
  kind: Kind;
  message: string;
}

export interface PruneOutcome {
  deleted: ResourceKey[];
  blocked: ResourceKey[];
  /** Kept: `ecs-operator.dev/prune: "false"`. */
  kept: ResourceKey[];
  /** Kept: adopted, not created, and neither --prune-adopted nor `prune: "true"` says to delete it. */
  adopted: ResourceKey[];
  waiting: ResourceKey[];
  /** What could not be read: a listing error stops the whole run, a candidate's read that candidate. */
  errors: PruneError[];
  /** Why the whole batch (`blocked`) was refused: an empty revision, or more than --prune-max. */
  refusal?: string;
}

/** What a run would do now, without a write (Pruner.plan). */
export interface PrunePlan {
  /** Would be deleted, in deletion order. */
  deletions: OwnedResource[];
  /** Owned and no longer declared, but kept by `ecs-operator.dev/prune: "false"`. */
  kept: ResourceKey[];
  /** Owned and no longer declared, but kept because it was adopted (see PruneOutcome.adopted). */
  adopted: ResourceKey[];
  /** Set when the whole batch would be refused (more than --prune-max, or an empty revision). */
  blocked?: string;
  /** What could not be read: the plan is incomplete, and a run would delete nothing while a listing failed. */
  errors: PruneError[];
}

interface Selection {
  deletable: Array<Candidate & { owned: OwnedResource }>;
  kept: ResourceKey[];
  adopted: ResourceKey[];
  /** Declared again, gone, or not this instance's: nothing to do, forgotten. */
  dropped: ResourceKey[];
  errors: PruneError[];
}

/** Deletion order: the reverse of creation order. */
const ORDER: Kind[] = [...KINDS].reverse();

export class Pruner {
  private readonly pending = new Map<ResourceKey, Candidate>();
  private readonly listeners = new Set<(outcome: PruneOutcome) => void>();
  private readonly handlers: Map<Kind, KindHandler>;
  private running: Promise<unknown> = Promise.resolve();
  /** Listing errors of the last discovery; while any remain, runs discover again first and delete nothing. */
  private discoveryErrors: PruneError[] = [];

  constructor(private readonly options: PrunerOptions) {
    this.handlers = new Map(options.handlers.map((h) => [h.kind, h]));
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
    const order = sortForDeletion(selection.deletable);
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
    const deletable = sortForDeletion(selection.deletable);
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
        const result = await handler.remove(candidate.owned, ctx, { pruneAdopted: this.mayDeleteAdopted(candidate, candidate.owned) });
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

  /**
   * Sorts the candidates against `desired`: what may be deleted (owned by this instance as that very
   * manifest), what is kept (prune "false"), what is no longer a candidate, and what could not be read.
   * No write, no status change.
   */
  private async select(desired: DesiredState, ctx: ReconcileContext): Promise<Selection> {
    const selection: Selection = { deletable: [], kept: [], adopted: [], dropped: [], errors: [] };
    for (const candidate of [...this.pending.values()]) {
      if (desired.resources.has(candidate.key)) {
        selection.dropped.push(candidate.key); // declared again: nothing to prune
        continue;
      }
      const handler = this.handlers.get(parseResourceKey(candidate.key).kind);
      let owned: OwnedResource | undefined;
      try {
        owned = candidate.owned ?? (await this.locate(candidate, ctx));
        if (owned?.observation.exists && owned.observation.tags?.[TAG_MANAGED_BY] === undefined && handler?.liveTags) {
          owned = { ...owned, observation: { ...owned.observation, tags: await handler.liveTags(owned.observation, ctx) } };
        }
      } catch (err) {
        const message = `cannot read ${candidate.key} to prune it: ${firstLine(classifyError(err).message)}`;
        this.options.log.warn({ key: candidate.key, err: message }, 'cannot read a resource to prune; retried later');
        selection.errors.push({ key: candidate.key, kind: parseResourceKey(candidate.key).kind, message });
        continue;
      }
      if (!owned || !owned.observation.exists) {
        selection.dropped.push(candidate.key);
        continue;
      }
      if (!ownedBy(owned.observation.tags, ctx.instance, candidate.key)) {
        this.options.log.info({ key: candidate.key, arn: owned.observation.arn }, 'manifest removed; the live resource is not owned by this instance: left alone');
        selection.dropped.push(candidate.key);
        continue;
      }
      if (candidate.former?.resource.policy.prune === false || owned.observation.tags?.[TAG_PRUNE] === 'false') {
        this.options.log.info({ key: candidate.key }, 'manifest removed; kept: ecs-operator.dev/prune is "false"');
        selection.kept.push(candidate.key);
        continue;
      }
      if (!this.mayDeleteAdopted(candidate, owned) && originOf(owned.observation.tags) !== 'created') {
        this.options.log.info({ key: candidate.key, arn: owned.observation.arn }, 'manifest removed; kept: the resource was adopted, not created by ecs-operator (--prune-adopted or ecs-operator.dev/prune: "true" deletes it)');
        selection.adopted.push(candidate.key);
        continue;
      }
      selection.deletable.push({ ...candidate, owned });
    }
    return selection;
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

  /** Whether an adopted resource may go too: the flag, or the prune annotation (as written, or as tagged). */
  private mayDeleteAdopted(candidate: Candidate, owned: OwnedResource): boolean {
    return this.options.pruneAdopted === true || candidate.former?.resource.policy.pruneAdopted === true || owned.observation.tags?.[TAG_PRUNE] === 'true';
  }

  private async locate(candidate: Candidate, ctx: ReconcileContext): Promise<OwnedResource | undefined> {
    const former = candidate.former;
    const handler = this.handlers.get(parseResourceKey(candidate.key).kind);
    if (!former || !handler) return undefined;
    // Observe in the state the manifest was declared in, so its references resolve as they did.
    const observation = await handler.observe(former.resource, { ...ctx, desired: former.state, outputsOf: () => ({ arn: 'unused' }) });
    return { key: candidate.key, observation };
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

/** Deletion order: auto scaling, services, task definitions, clusters (the reverse of creation). */
function sortForDeletion<T extends { key: ResourceKey }>(candidates: T[]): T[] {
  return [...candidates].sort((a, b) => ORDER.indexOf(parseResourceKey(a.key).kind) - ORDER.indexOf(parseResourceKey(b.key).kind));
}

const firstLine = (text: string) => text.split('\n')[0]!;
