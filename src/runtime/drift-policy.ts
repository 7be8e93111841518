// Deciding what a pass does with a difference: apply it (a change Git asked for, a first create, a
// heal) or only report it as drift (alert and ignore policies, or while fighting another actor).
// "Git asked for it" is judged on the effective desired state (effective-desired.ts): the manifest
// with what its references resolve to. Pure, so that every rule has a table test.
import { createHash } from 'node:crypto';
import type { DriftPolicy } from '../core/types.js';
import type { Difference } from '../diff/types.js';
import type { PassMode } from './kind-handler.js';

/** Heals within this window count toward a fight. */
export const FIGHT_WINDOW_MS = 10 * 60_000;
/** This many heals of the same drift within the window is a fight with another actor. */
export const FIGHT_HEALS = 3;

/**
 * How long after its n-th heal the same drift may be healed again: 15 s, then 1 min, then 4 min (capped
 * at 5). The first heal is immediate; a drift that keeps coming back is healed ever less eagerly until
 * the third heal makes it a fight.
 */
export function healBackoffMs(healsOfThisDrift: number): number {
  return healsOfThisDrift <= 0 ? 0 : Math.min(300_000, 15_000 * 4 ** (healsOfThisDrift - 1));
}

export interface PassFacts {
  exists: boolean;
  differences: Difference[];
  mode: PassMode;
  policy: DriftPolicy;
  /** Whether what was last made live is the effective desired state of this pass (see lastApplied). */
  lastAppliedMatches: boolean;
  /**
   * In sync, but the applied-hash recorded on the resource is not the effective desired hash (a
   * change reached the resource without a write of ours, or a write of the record was cut short).
   */
  recordStale?: boolean;
  seenExisting: boolean;
  writesThisPass: number;
  /** The fight held, for the effective desired hash of this pass (`current`) or another. */
  fight?: { current: boolean; fingerprint: string };
  /** Recent heals (time, drift fingerprint), for the heal backoff. */
  heals?: ReadonlyArray<{ at: number; fingerprint: string }>;
  now?: number;
}

/**
 * - In sync: nothing, or, when the record on the resource is stale, a write of that record alone
 *   (whatever the policy: it is the operator's bookkeeping, not a change to the resource).
 * - `apply` (the CLI) applies every difference: a person asked for it.
 * - A missing resource is created, unless it existed before and the policy is not heal (a deletion
 *   out of band is drift like any other).
 * - A difference when the effective desired state changed since it was last applied (the manifest,
 *   or what a reference resolves to) is Git's: always applied.
 * - Otherwise it is drift: healed under `heal` (unless the operator is fighting another actor over
 *   this very drift), only reported under `alert` and `ignore`.
 * - Writes already made in this pass continue until nothing differs (convergence).
 */
export function decidePass(f: PassFacts): Verdict {
  if (f.exists && f.differences.length === 0) return f.recordStale ? { action: 'apply', reason: 'record' } : { action: 'none' };
  if (f.writesThisPass > 0) return { action: 'apply', reason: 'converge' };
  if (f.mode === 'apply') return { action: 'apply', reason: f.exists ? 'change' : 'create' };
  if (!f.exists && !f.seenExisting) return { action: 'apply', reason: 'create' };
  if (f.exists && !f.lastAppliedMatches) return { action: 'apply', reason: 'change' };
  if (f.policy !== 'heal') return { action: 'drift' };
  const fingerprint = driftFingerprint(f.differences);
  if (f.fight?.current && f.fight.fingerprint === fingerprint) return { action: 'drift' };
  const previous = (f.heals ?? []).filter((h) => h.fingerprint === fingerprint);
  const last = previous.reduce((t, h) => Math.max(t, h.at), -Infinity);
  const wait = last + healBackoffMs(previous.length) - (f.now ?? 0);
  if (previous.length > 0 && wait > 0) return { action: 'drift', retryAfterMs: wait };
  return { action: 'apply', reason: 'heal' };
}

export type Verdict =
  | { action: 'none' }
  /** Reported, not applied; `retryAfterMs` when a heal is only deferred by the heal backoff. */
  | { action: 'drift'; retryAfterMs?: number }
  /** `record`: only the applied-hash recorded on the resource is written (see PassFacts.recordStale). */
  | { action: 'apply'; reason: 'create' | 'change' | 'heal' | 'converge' | 'record' };

/** A stable identity of a drift: the same fields at the same live values. */
export function driftFingerprint(differences: Difference[]): string {
  const canonical = JSON.stringify(differences.map((d) => [d.path, d.live ?? null]));
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}
