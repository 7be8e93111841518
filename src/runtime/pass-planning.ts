// The planning step of a reconcile pass, apart from the machine that runs it: the kind's plan, then
// what holds it back (a failed rollout of the same thing, a difference AWS did not keep), whether
// the record on the resource is current, the verdict (drift-policy.ts) and, when nothing is to be
// done, the health and outputs. Pure but for the kind's own pure functions, which may throw on a
// shape nobody foresaw: planStep turns that into the pass's problem (a failed pass, not a crash).
import { classifyError, type Problem } from '../core/errors.js';
import { effectiveDriftPolicy, type DesiredResource, type ResourceKey } from '../core/types.js';
import { TAG_APPLIED_HASH } from '../core/tags.js';
import type { Difference } from '../diff/types.js';
import { formatPointer } from '../normalize/pointer.js';
import { decidePass, type Verdict } from './drift-policy.js';
import { recordMatches, type EffectiveDesired } from './effective-desired.js';
import type { Assessment, KindHandler, Observation, Plan, ReconcileContext, ResourceOutputs } from './kind-handler.js';
import { trackUnkept, unkeptDifferences, unkeptMessage, type UnkeptWrites } from './unkept-writes.js';

export interface PassRequest {
  desired: DesiredResource;
  ctx: ReconcileContext;
  /** Dependencies that are not ready: the pass stops Waiting. */
  waitingFor: ResourceKey[];
  /** The manifest with what its references resolve to now; `ctx.appliedHash` is its hash. */
  effective: EffectiveDesired;
}

/** What planning reads of the resource's memory (resource-memory.ts). */
export interface PlanningMemory {
  lastAppliedHash?: string;
  appliedKey?: string;
  failedRolloutHash?: string;
  unkept?: UnkeptWrites;
  seenExisting: boolean;
  fight?: { hash: string; fingerprint: string };
  heals: ReadonlyArray<{ at: number; fingerprint: string }>;
}

export interface PlanningOutcome {
  plan: Plan;
  verdict: Verdict;
  failedRolloutHash: string | undefined;
  unkept: UnkeptWrites;
  /** The differences this plan found, a stale record included: what the next write is for. */
  compared: Difference[];
}

/**
 * A plan with, when nothing is to be done, the health and outputs of the resource; or the problem a
 * throw from the kind's functions is (with the plan, when only the assessment threw).
 */
export interface PlanStep {
  planning?: PlanningOutcome;
  settled?: { assessment: Assessment; outputs: ResourceOutputs };
  problem?: Problem;
}

const HELD_ROLLOUT = 'the rollout of this manifest failed and was rolled back; it is not applied again until it (or what it uses) changes';

/**
 * planPass, and when it leaves nothing to do (not blocked, nothing to replace, verdict none) the
 * kind's assessment and outputs. A throw from any of the kind's functions is the pass's problem.
 */
export function planStep(
  handler: KindHandler, request: PassRequest, observation: Observation, memory: PlanningMemory, writes: number, written: Difference[] | undefined,
): PlanStep {
  let planning: PlanningOutcome | undefined;
  try {
    planning = planPass(handler, request, observation, memory, writes, written);
    const { plan, verdict } = planning;
    if (plan.blocked || plan.requiresReplacement.length > 0 || verdict.action !== 'none') return { planning };
    const { desired, ctx } = request;
    return { planning, settled: { assessment: handler.assess(desired, observation, ctx), outputs: handler.outputs(desired, observation) } };
  } catch (err) {
    return { ...(planning ? { planning } : {}), problem: classifyError(err) };
  }
}

/**
 * Plans `request` on `observation`; `writes` made so far in the pass, the last of them for `written`:
 * - the rollout of what this actor applied failed: remembered, keyed on the effective desired hash
 *   applied, and that same state is not applied again (a rollback left the old one live, and
 *   re-applying would repeat the failure);
 * - a difference that writes did not remove MAX_UNKEPT_WRITES times (unkept-writes.ts) blocks the
 *   resource (Stalled, NotKept) until it or the effective desired state changes;
 * - for kinds that keep the applied-hash tag current (KindHandler.refreshesRecord), a tag that was
 *   read and is not the effective desired hash makes an in-sync resource write it;
 * - the verdict: was what is live applied from this effective desired state (memory, else the tag)?
 */
export function planPass(
  handler: KindHandler, request: PassRequest, observation: Observation, memory: PlanningMemory, writes: number, written: Difference[] | undefined,
): PlanningOutcome {
  const { desired, ctx, effective } = request;
  const hash = effective.hash;
  const failedNow = observation.exists && memory.appliedKey === hash
    && orElse(() => handler.assess(desired, observation, ctx).rolloutFailed === true, false);
  const failedRolloutHash = failedNow ? hash : memory.failedRolloutHash;
  let plan = handler.plan(desired, observation, ctx);
  const recorded = observation.tags?.[TAG_APPLIED_HASH];
  const recordStale = handler.refreshesRecord === true && observation.exists && observation.tags !== undefined && recorded !== hash;
  const compared = recordStale ? [...plan.differences, recordDifference(hash, recorded)] : plan.differences;
  const unkept = trackUnkept(memory.unkept, hash, compared, writes > 0 ? written : undefined);
  if (!plan.blocked && plan.requiresReplacement.length === 0) {
    const stuck = unkeptDifferences(unkept, hash, compared);
    if (failedRolloutHash === hash && plan.differences.length > 0 && writes === 0) {
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
    lastAppliedMatches: memory.lastAppliedHash !== undefined ? memory.lastAppliedHash === hash : recordMatches(recorded, effective),
    recordStale,
    seenExisting: memory.seenExisting,
    writesThisPass: writes,
    ...(memory.fight ? { fight: { current: memory.fight.hash === hash, fingerprint: memory.fight.fingerprint } } : {}),
    heals: memory.heals,
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
