// The pruner's vocabulary: its options, what a run did (PruneOutcome), what a run would do (PrunePlan)
// and what kept it from seeing all it must (PruneError). See pruner.ts.
import type { Logger } from 'pino';
import type { DesiredResource, DesiredState, Kind, ResourceKey } from '../core/types.js';
import type { StatusStore } from '../status/store.js';
import type { KindHandler, OwnedResource, ReconcileContext } from './kind-handler.js';

export interface PrunerOptions {
  /** In creation order (the kind registry's): deletions go in its reverse. */
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

export interface Candidate {
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

export interface Selection {
  deletable: Array<Candidate & { owned: OwnedResource }>;
  kept: ResourceKey[];
  adopted: ResourceKey[];
  /** Declared again, gone, or not this instance's: nothing to do, forgotten. */
  dropped: ResourceKey[];
  errors: PruneError[];
}
