// Deciding what a pass does with a difference: apply it (a change Git asked for, a first create, a
// heal) or only report it as drift (alert and ignore policies, or while fighting another actor).
// Pure, so that every rule has a table test.
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
  desiredHash: string;
  /** The manifest hash last made live, from memory or from the resource's applied-hash tag. */
  lastAppliedHash: string | undefined;
  seenExisting: boolean;
  writesThisPass: number;
  fight?: { desiredHash: string; fingerprint: string };
  /** Recent heals (time, drift fingerprint), for the heal backoff. */
  heals?: ReadonlyArray<{ at: number; fingerprint: string }>;
  now?: number;
}

/**
 * - `apply` (the CLI) applies every difference: a person asked for it.
 * - A missing resource is created, unless it existed before and the policy is not heal (a deletion
 *   out of band is drift like any other).
 * - A difference when the manifest changed since it was last applied is Git's: always applied.
 * - Otherwise it is drift: healed under `heal` (unless the operator is fighting another actor over
 *   this very drift), only reported under `alert` and `ignore`.
 * - Writes already made in this pass continue until nothing differs (convergence).
 */
export function decidePass(f: PassFacts): Verdict {
  if (f.exists && f.differences.length === 0) return { action: 'none' };
  if (f.writesThisPass > 0) return { action: 'apply', reason: 'converge' };
  if (f.mode === 'apply') return { action: 'apply', reason: f.exists ? 'change' : 'create' };
  if (!f.exists && !f.seenExisting) return { action: 'apply', reason: 'create' };
  const gitChange = f.lastAppliedHash !== f.desiredHash;
  if (f.exists && gitChange) return { action: 'apply', reason: 'change' };
  if (f.policy !== 'heal') return { action: 'drift' };
  const fingerprint = driftFingerprint(f.differences);
  if (f.fight && f.fight.desiredHash === f.desiredHash && f.fight.fingerprint === fingerprint) {
    return { action: 'drift' };
  }
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
  | { action: 'apply'; reason: 'create' | 'change' | 'heal' | 'converge' };

/** A stable identity of a drift: the same fields at the same live values. */
export function driftFingerprint(differences: Difference[]): string {
  const canonical = JSON.stringify(differences.map((d) => [d.path, d.live ?? null]));
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}
