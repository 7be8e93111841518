// The public record of one reconcile pass: where it left the resource and what it did, in the one
// vocabulary (core/errors.ts). It is all a pass hands back, as controller-runtime's reconcile hands
// back a Result and an error: the status (summarize.ts), alerts, metrics and the CLI read this and
// ResourceStatus, never the state machine that made it.
import type { Problem } from '../core/errors.js';
import type { MaskSpecs } from '../core/redact.js';
import type { DriftPolicy, ResourceKey } from '../core/types.js';
import type { Difference } from '../diff/types.js';
import type { Assessment, ResourceOutputs } from './kind-handler.js';

/** Where a pass came to rest. */
export type PassState = 'synced' | 'progressing' | 'degraded' | 'drifted' | 'stalled' | 'waiting' | 'retrying';

/** Every state a pass can end in (the label values of reconcile_total). */
export const PASS_STATES: readonly PassState[] = ['synced', 'progressing', 'degraded', 'drifted', 'stalled', 'waiting', 'retrying'];

/** A drift on record: since when, and its identity (the same fields at the same live values). */
export interface DriftRecord {
  differences: Difference[];
  firstSeen: number;
  fingerprint: string;
}

export interface PassRecord {
  key: ResourceKey;
  /** This resource's pass number: 1 for its first pass since the operator started. */
  pass: number;
  state: PassState;
  /** When the pass started (ms). */
  at: number;
  /** The drift policy in force for the resource. */
  policy: DriftPolicy;
  /** Stalled, Waiting or Retrying: what keeps the resource from its manifest. */
  problem?: Problem;
  /** Whether the resource exists live; undefined when the pass did not read it. */
  exists?: boolean;
  /** Whether the pass's last plan found differences (changes or replacements); undefined: no plan. */
  differs?: boolean;
  /** The health the pass assessed, or the last one known. */
  health?: Assessment;
  /** What the pass did: created, updated, registered, healed drift... Empty when it changed nothing. */
  actions: string[];
  /** Why it applied a Git change: the revision, and the manifest or which reference changed. */
  cause?: string;
  /** The drift on record (alerted, or healed and not yet seen in sync), with the heals of that drift. */
  drift?: DriftRecord & {
    /** When the operator healed this very drift within the fight window. */
    heals: number[];
    /** Held in alert-only mode: another actor keeps reverting the heal. */
    fighting: boolean;
  };
  /** The differences this pass healed (it wrote them back), when it healed a drift. */
  healed?: Difference[];
  /** The normalized specs of the last plan, so that masking can name a pair's value. */
  specs?: MaskSpecs;
  /** What dependents may read of the resource. */
  outputs?: ResourceOutputs;
  /** The live ARN, when known. */
  arn?: string;
  /** The revision last applied to the resource (or found live). */
  revision?: string;
  /** When a pass last found or made it Synced (ms). */
  lastSyncTime?: number;
  /**
   * When the resource asks for its next pass by itself (ms after it came to rest): polling a rollout,
   * a heal deferred by the heal backoff, a retry's backoff. Undefined: at the next resync or change.
   */
  requeueAfterMs?: number;
}
