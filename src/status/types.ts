// The one status vocabulary for every kind (Argo CD's two axes plus conditions).
import type { ConditionType, Reason } from '../core/errors.js';
import type { Kind, ResourceKey, RevisionInfo, Diagnostic } from '../core/types.js';
import type { Difference } from '../diff/types.js';

export type SyncStatus = 'Synced' | 'OutOfSync' | 'Unknown';
export type HealthStatus = 'Healthy' | 'Progressing' | 'Degraded' | 'Missing' | 'Suspended';

export type { ConditionType, Reason };

export interface Condition {
  type: ConditionType;
  /** RequiresReplacement, AccessDenied, Throttled, DependencyNotReady... (core/errors.ts). */
  reason: Reason;
  message: string;
  /** ISO time the condition was first set. */
  since: string;
  /** Retrying only: ISO time of the next attempt. */
  nextAttemptAt?: string;
}

export interface DriftStatus {
  differences: Difference[];
  /** ISO time this drift was first seen. */
  firstSeen: string;
  /** Drift healed by the operator within the fight window, with ISO times. */
  heals?: string[];
  /** True while held in alert-only mode because another actor keeps reverting the heal. */
  fighting?: boolean;
  /** The drift policy in force for this resource. */
  policy?: 'heal' | 'alert' | 'ignore';
}

export interface ResourceStatus {
  key: ResourceKey;
  kind: Kind;
  name: string;
  sync: SyncStatus;
  health: HealthStatus;
  healthMessage?: string;
  conditions: Condition[];
  /** The source revision last applied to this resource. */
  revision?: string;
  /** ISO time of the last pass that found or made the resource Synced. */
  lastSyncTime?: string;
  /** ISO time of the last completed reconcile pass. */
  lastReconcileTime?: string;
  liveArn?: string;
  drift?: DriftStatus;
  /** Set while the resource's manifest is gone and it is being (or refused to be) pruned. */
  pruning?: boolean;
}

/** Prune as a whole (when --prune is on): what keeps every run from deleting anything. */
export interface PruneStatus {
  /** Retrying (PruneDiscoveryFailed) while the resources this instance owns cannot all be listed. */
  conditions: Condition[];
  /** ISO time of the last prune run. */
  lastRunTime?: string;
}

export type SourcePhase = 'Pending' | 'Ready' | 'Stalled' | 'Failed';

export interface SourceStatus {
  url: string;
  ref?: string;
  path?: string;
  phase: SourcePhase;
  lastFetched?: RevisionInfo;
  lastApplied?: RevisionInfo;
  /** ISO time of the last successful fetch or read of the source (a revision with manifest errors counts: it was read). */
  lastFetchTime?: string;
  /** Consecutive failed fetches or reads since the last successful one; absent after a success. */
  failures?: number;
  /** ISO time of the first of those failures. */
  failingSince?: string;
  /**
   * Set while the source has been failing and nothing was read for two resync intervals: the revision
   * in force may be out of date. The operator is not ready meanwhile (/readyz answers 503).
   */
  stale?: boolean;
  /** Every error of the last fetched revision when it was not applied. */
  errors: Diagnostic[];
  message?: string;
}
