// The planning step of a reconcile pass, apart from the machine that runs it: the kind's plan, then
// what holds it back (a failed rollout of the same thing, a difference AWS did not keep), whether
// the record on the resource is current, and the verdict (drift-policy.ts). Pure but for the kind's
// own pure functions, which may throw on a shape nobody foresaw (the machine turns that into a
// failed pass).
import { effectiveDriftPolicy } from '../core/types.js';
import { TAG_APPLIED_HASH } from '../core/tags.js';
import type { Difference } from '../diff/types.js';
import { formatPointer } from '../normalize/pointer.js';
import { decidePass, type Verdict } from './drift-policy.js';
import { recordMatches } from './effective-desired.js';
import type { KindHandler, Plan } from './kind-handler.js';
import type { ReconcileMachineContext } from './reconcile-machine.js';
import { trackUnkept, unkeptDifferences, unkeptMessage, type UnkeptWrites } from './unkept-writes.js';

export interface PlanningOutcome {
  plan: Plan;
  verdict: Verdict;
  failedRolloutHash: string | undefined;
  unkept: UnkeptWrites;
  /** The differences this plan found, a stale record included: what the next write is for. */
  compared: Difference[];
}

const HELD_ROLLOUT = 'the rollout of this manifest failed and was rolled back; it is not applied again until it (or what it uses) changes';

/**
 * Plans the pass of `c.request` on `c.observation`:
 * - the rollout of what this actor applied failed: remembered, keyed on the effective desired hash
 *   applied, and that same state is not applied again (a rollback left the old one live, and
 *   re-applying would repeat the failure);
 * - a difference that writes did not remove MAX_UNKEPT_WRITES times (unkept-writes.ts) blocks the
 *   resource (Stalled, NotKept) until it or the effective desired state changes;
 * - for kinds that keep the applied-hash tag current (KindHandler.refreshesRecord), a tag that was
 *   read and is not the effective desired hash makes an in-sync resource write it;
 * - the verdict: was what is live applied from this effective desired state (memory, else the tag)?
 */
export function planPass(handler: KindHandler, c: ReconcileMachineContext): PlanningOutcome {
  const { desired, ctx, effective } = c.request!;
  const observation = c.observation!;
  const hash = effective.hash;
  const failedNow = observation.exists && c.appliedKey === hash
    && orElse(() => handler.assess(desired, observation, ctx).rolloutFailed === true, false);
  const failedRolloutHash = failedNow ? hash : c.failedRolloutHash;
  let plan = handler.plan(desired, observation, ctx);
  const recorded = observation.tags?.[TAG_APPLIED_HASH];
  const recordStale = handler.refreshesRecord === true && observation.exists && observation.tags !== undefined && recorded !== hash;
  const compared = recordStale ? [...plan.differences, recordDifference(hash, recorded)] : plan.differences;
  const unkept = trackUnkept(c.unkept, hash, compared, c.writesThisPass > 0 ? c.compared : undefined);
  if (!plan.blocked && plan.requiresReplacement.length === 0) {
    const stuck = unkeptDifferences(unkept, hash, compared);
    if (failedRolloutHash === hash && plan.differences.length > 0 && c.writesThisPass === 0) {
      plan = { ...plan, blocked: { reason: 'RolloutFailed', message: HELD_ROLLOUT } };
    } else if (stuck.length > 0) {
      plan = { ...plan, blocked: { reason: 'NotKept', message: unkeptMessage(stuck, { desired: plan.desiredSpec, live: plan.liveSpec }) } };
    }
  }
  const verdict = decidePass({
    exists: observation.exists,
    differences: plan.differences,
    mode: ctx.mode,
    policy: effectiveDriftPolicy(desired, ctx.driftDefault),
    // After a restart, the hash recorded on the resource tells a Git change from drift.
    lastAppliedMatches: c.lastAppliedHash !== undefined ? c.lastAppliedHash === hash : recordMatches(recorded, effective),
    recordStale,
    seenExisting: c.seenExisting,
    writesThisPass: c.writesThisPass,
    ...(c.fight ? { fight: { current: c.fight.hash === hash, fingerprint: c.fight.fingerprint } } : {}),
    heals: c.heals,
    now: ctx.now,
  });
  return { plan, verdict, failedRolloutHash, unkept, compared };
}

/** A stale applied-hash as a difference, so that a record AWS does not keep is bounded like any field. */
function recordDifference(hash: string, recorded: string | undefined): Difference {
  return { path: formatPointer(['tags', TAG_APPLIED_HASH]), desired: hash, live: recorded };
}

/** The value of `fn`, or `fallback` when it throws (for reporting paths, which must not fail a pass). */
export function orElse<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}
