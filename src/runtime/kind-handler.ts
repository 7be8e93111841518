// What the runtime needs from a kind. runtime/ imports no kind: each kind implements this interface in
// kinds/<kind>/handler.ts over its own types of live state and facts (KindHandler<Live, Facts>); the
// kind registry erases them to KindHandler once, and the runtime hands each handler back only what
// it observed itself.
import type { Logger } from 'pino';
import type { Blocked } from '../core/errors.js';
import type { DesiredResource, DesiredState, DriftPolicy, JsonObject, Kind, ResourceKey, RevisionInfo } from '../core/types.js';
import type { Difference } from '../diff/types.js';
import type { HealthStatus } from '../status/types.js';

/** What other resources may read of this one once it exists (e.g. a task definition's ARN). */
export interface ResourceOutputs {
  arn?: string;
  [name: string]: string | undefined;
}

/**
 * The live state a pass found. `exists: false` covers deleted, INACTIVE and never created. `Live` is
 * the kind's description of the resource, `Facts` what else its observe learnt (what its references
 * resolve to).
 */
export interface Observation<Live = unknown, Facts = unknown> {
  exists: boolean;
  arn?: string;
  /** The AWS description, as the kind's observe returned it (present when it exists). */
  live?: Live;
  /** Live tags, flattened; undefined when not read. */
  tags?: Record<string, string>;
  /** What observe learnt beyond the description (always there for a kind whose observe finds any). */
  facts?: Facts;
}

export interface Plan {
  /** What must change, after normalization and ignore-differences. Empty: in sync. */
  differences: Difference[];
  /** Differences in fields that cannot change in place: the resource is Stalled, never replaced silently. */
  requiresReplacement: Difference[];
  /** Normalized specs, for printing a diff. */
  desiredSpec?: JsonObject;
  liveSpec?: JsonObject;
  /** A reason this resource must not be touched (e.g. exists but owned by another instance). */
  blocked?: Blocked;
}

export interface ApplyResult<Live = unknown, Facts = unknown> {
  /** What was done, for logs and events: created, updated, registered, adopted... */
  action: string;
  /** AWS write calls made. */
  writes: number;
  /** The live state right after the write, when the write returned it; otherwise observe runs again. */
  observation?: Observation<Live, Facts>;
}

export interface Assessment {
  health: HealthStatus;
  message?: string;
  /**
   * The rollout of what the manifest asks for failed (or was rolled back). The operator then does not
   * apply the same manifest again until it changes: re-applying would only repeat the failure.
   */
  rolloutFailed?: boolean;
}

export type PassMode = 'run' | 'apply';

/** Everything a kind may use during one reconcile pass. */
export interface ReconcileContext {
  /** Pass start time (ms). */
  readonly now: number;
  /** Live reads must be made at or after this time (the moment the pass was asked for). */
  readonly notBefore: number;
  readonly mode: PassMode;
  /** Value of the managed-by tag. */
  readonly instance: string;
  /** Adopt existing resources with the manifest's name that this instance does not own yet. */
  readonly adopt: boolean;
  /** Drift policy of resources without the annotation. */
  readonly driftDefault: DriftPolicy;
  readonly revision: RevisionInfo;
  readonly desired: DesiredState;
  outputsOf(key: ResourceKey): ResourceOutputs | undefined;
  /**
   * In a pass: the effective desired hash of the resource (its manifest with what its references
   * resolve to, see runtime/effective-desired.ts), which the applied-hash tag records. Outside a
   * pass (prune, diff) absent: the manifest's own hash stands for it.
   */
  readonly appliedHash?: string;
  /**
   * In a pass: the runtime does not know what it last applied to this resource (its first pass
   * since the operator started), so observe should read the applied-hash tag even where it would
   * not otherwise.
   */
  readonly recordUnknown?: boolean;
  readonly log: Logger;
  readonly signal: AbortSignal;
}

/**
 * A kind's reconcile logic over its own live description (`Live`) and facts (`Facts`). Methods (not
 * function properties), so that a KindHandler<Live, Facts> is a KindHandler: the runtime passes each
 * handler only observations it made.
 */
export interface KindHandler<Live = unknown, Facts = unknown> {
  readonly kind: Kind;
  /**
   * The kind records the applied-hash on the live resource with every change, and its apply, given
   * a plan without differences, only brings the operator's tags up to date: the runtime then keeps
   * the record current on an in-sync resource too. (Not TaskDefinition: a revision's tags are set
   * once, when it is registered, and an apply always registers.)
   */
  readonly refreshesRecord?: boolean;
  /** Reads the live state. Must not write. */
  observe(resource: DesiredResource, ctx: ReconcileContext): Promise<Observation<Live, Facts>>;
  /** Pure: what differs between the manifest and the live state. */
  plan(resource: DesiredResource, observation: Observation<Live, Facts>, ctx: ReconcileContext): Plan;
  /** Creates or updates toward the manifest. Safe to repeat. */
  apply(resource: DesiredResource, observation: Observation<Live, Facts>, plan: Plan, ctx: ReconcileContext): Promise<ApplyResult<Live, Facts>>;
  /** Pure: health of an existing, in-sync resource (rollout state, running counts...). */
  assess(resource: DesiredResource, observation: Observation<Live, Facts>, ctx: ReconcileContext): Assessment;
  /** Pure: what dependents may read once it exists. */
  outputs(resource: DesiredResource, observation: Observation<Live, Facts>): ResourceOutputs;
  /** Reads every resource of a resync wave in as few calls as possible, so that observe hits a cache. */
  prefetch?(resources: DesiredResource[], ctx: ReconcileContext): Promise<void>;
  /** Live resources of this kind tagged as managed by `ctx.instance` (for prune after a restart). */
  discoverOwned?(ctx: ReconcileContext): Promise<Array<OwnedResource<Live, Facts>>>;
  /** The live tags, for kinds whose observe does not read them (prune checks ownership with them). */
  liveTags?(observation: Observation<Live, Facts>, ctx: ReconcileContext): Promise<Record<string, string>>;
  /**
   * Deletes a resource whose manifest is gone (prune). Safe to repeat; `gone: false` means "call again
   * later". A kind whose resource is made of parts with their own tags (task definition revisions)
   * deletes an adopted part (see originOf) only with `options.pruneAdopted`.
   */
  remove?(owned: OwnedResource<Live, Facts>, ctx: ReconcileContext, options: RemoveOptions): Promise<RemoveResult>;
}

export interface RemoveOptions {
  /** Adopted parts may be deleted too. */
  pruneAdopted: boolean;
}

/** A live resource this instance owns, found by its ownership tags or by its former manifest. */
export interface OwnedResource<Live = unknown, Facts = unknown> {
  key: ResourceKey;
  observation: Observation<Live, Facts>;
}

export interface RemoveResult {
  /** What was done: "deleted", "scaled to 0", "deregistered 3 revisions"... */
  action: string;
  writes: number;
  /** False while the deletion cannot finish yet (a cluster with services still draining). */
  gone: boolean;
  message?: string;
}
