// Prune (DESIGN.md "What the operator owns, and prune"): deletes what this instance owns and Git no
// longer declares, only after a fully valid revision (the manager never calls it for a broken one).
// Candidates come from manifests that left the desired state, or from the ownership tags of live
// resources (after a restart). A candidate is deleted only if the live resource is tagged as this
// instance's and as that very manifest's, is not protected by `ecs-operator.dev/prune: "false"`, was
// created by the operator (an adopted one only with --prune-adopted or `prune: "true"`), and the
// whole batch is within --prune-max (else nothing is deleted and PruneBlocked is reported).
// Order: auto scaling, services (scaled to 0, then deleted), task definition revisions, clusters.
import type { Logger } from 'pino';
import { KINDS, parseResourceKey, type DesiredResource, type DesiredState, type Kind, type ResourceKey } from '../core/types.js';
import { originOf, ownedBy, TAG_MANAGED_BY, TAG_PRUNE } from '../core/tags.js';
import { classifyError } from '../core/errors.js';
import type { StatusStore } from '../status/store.js';
import type { ResourceStatus } from '../status/types.js';
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

export interface PruneOutcome {
  deleted: ResourceKey[];
  blocked: ResourceKey[];
  /** Kept: `ecs-operator.dev/prune: "false"`. */
  kept: ResourceKey[];
  /** Kept: adopted, not created, and neither --prune-adopted nor `prune: "true"` says to delete it. */
  adopted: ResourceKey[];
  waiting: ResourceKey[];
}

/** Deletion order: the reverse of creation order. */
const ORDER: Kind[] = [...KINDS].reverse();

export class Pruner {
  private readonly pending = new Map<ResourceKey, Candidate>();
  private readonly handlers: Map<Kind, KindHandler>;
  private running: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: PrunerOptions) {
    this.handlers = new Map(options.handlers.map((h) => [h.kind, h]));
  }

  /** Resources whose manifests left the desired state (with the state they were declared in). */
  consider(removed: DesiredResource[], formerState: DesiredState): void {
    for (const resource of removed) this.pending.set(resource.key, { key: resource.key, former: { resource, state: formerState } });
  }

  /** Live resources owned by this instance that `desired` does not declare. */
  async discover(desired: DesiredState): Promise<void> {
    const ctx = this.options.context(desired);
    for (const handler of this.handlers.values()) {
      for (const owned of (await handler.discoverOwned?.(ctx)) ?? []) {
        if (!desired.resources.has(owned.key) && !this.pending.has(owned.key)) this.pending.set(owned.key, { key: owned.key, owned });
      }
    }
  }

  get size(): number {
    return this.pending.size;
  }

  /** Deletes what can be deleted now, against the desired state in force when it runs; runs are serialized. */
  run(): Promise<PruneOutcome> {
    const next = this.running.then(() => this.runOnce());
    this.running = next.catch(() => undefined);
    return next;
  }

  private async runOnce(): Promise<PruneOutcome> {
    const outcome: PruneOutcome = { deleted: [], blocked: [], kept: [], adopted: [], waiting: [] };
    const desired = this.options.current();
    if (!desired) return outcome;
    const ctx = this.options.context(desired);
    const deletable: Array<Candidate & { owned: OwnedResource }> = [];
    for (const candidate of [...this.pending.values()]) {
      if (desired.resources.has(candidate.key)) {
        this.forget(candidate.key); // declared again: nothing to prune
        continue;
      }
      let owned: OwnedResource | undefined;
      try {
        owned = candidate.owned ?? (await this.locate(candidate, ctx));
      } catch (err) {
        this.options.log.warn({ key: candidate.key, err: classifyError(err).message }, 'cannot read a resource to prune; retried later');
        outcome.waiting.push(candidate.key);
        continue;
      }
      if (!owned || !owned.observation.exists) {
        this.forget(candidate.key);
        continue;
      }
      const handler = this.handlers.get(parseResourceKey(candidate.key).kind);
      if (owned.observation.tags?.[TAG_MANAGED_BY] === undefined && handler?.liveTags) {
        owned = { ...owned, observation: { ...owned.observation, tags: await handler.liveTags(owned.observation, ctx) } };
      }
      if (!ownedBy(owned.observation.tags, ctx.instance, candidate.key)) {
        this.options.log.info({ key: candidate.key, arn: owned.observation.arn }, 'manifest removed; the live resource is not owned by this instance: left alone');
        this.forget(candidate.key);
        continue;
      }
      if (candidate.former?.resource.policy.prune === false || owned.observation.tags?.[TAG_PRUNE] === 'false') {
        this.options.log.info({ key: candidate.key }, 'manifest removed; kept: ecs-operator.dev/prune is "false"');
        outcome.kept.push(candidate.key);
        this.forget(candidate.key);
        continue;
      }
      if (!this.mayDeleteAdopted(candidate, owned) && originOf(owned.observation.tags) !== 'created') {
        this.options.log.info({ key: candidate.key, arn: owned.observation.arn }, 'manifest removed; kept: the resource was adopted, not created by ecs-operator (--prune-adopted or ecs-operator.dev/prune: "true" deletes it)');
        outcome.adopted.push(candidate.key);
        this.forget(candidate.key);
        continue;
      }
      deletable.push({ ...candidate, owned });
    }
    const empty = desired.resources.size === 0 && !this.options.allowEmpty && deletable.length > 0;
    if (empty || deletable.length > this.options.maxDeletes) {
      const keys = deletable.map((c) => c.key);
      const message = empty
        ? `prune blocked: the revision declares no resources, so everything this instance owns would be deleted (${keys.join(', ')}); check the source and path, or use --prune-allow-empty`
        : `prune blocked: ${keys.length} resources would be deleted (${keys.join(', ')}), more than --prune-max ${this.options.maxDeletes}; restore the manifests or raise --prune-max`;
      this.options.log.warn({ keys, max: this.options.maxDeletes }, message);
      for (const c of deletable) this.setStatus(c, ctx, { type: 'Stalled', reason: 'PruneBlocked', message });
      outcome.blocked.push(...keys);
      return outcome;
    }
    deletable.sort((a, b) => ORDER.indexOf(parseResourceKey(a.key).kind) - ORDER.indexOf(parseResourceKey(b.key).kind));
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

  private setStatus(candidate: Candidate & { owned: OwnedResource }, ctx: ReconcileContext, condition?: { type: 'Stalled' | 'Retrying'; reason: string; message: string }, healthMessage?: string): void {
    const { kind, name } = parseResourceKey(candidate.key);
    const previous = this.options.status.get(candidate.key);
    const since = previous?.conditions.find((c) => c.reason === condition?.reason)?.since ?? new Date(ctx.now).toISOString();
    const status: ResourceStatus = {
      key: candidate.key, kind, name, sync: 'OutOfSync', health: 'Progressing', pruning: true,
      conditions: condition ? [{ ...condition, since }] : [],
    };
    if (healthMessage) status.healthMessage = healthMessage;
    if (candidate.owned.observation.arn) status.liveArn = candidate.owned.observation.arn;
    this.options.status.set(status);
  }
}
