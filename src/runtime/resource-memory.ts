// What a resource's reconcile actor remembers between passes (what it applied, its drift and heals,
// what dependents read of it) and what one pass gathers, with the pure steps that move both along:
// an observation, an in-sync finding, a drift, a write; and the public record a pass leaves
// (pass-record.ts). The state machine (reconcile-machine.ts) only decides which step comes next.
import type { Problem } from '../core/errors.js';
import { effectiveDriftPolicy, type ResourceKey } from '../core/types.js';
import type { Difference } from '../diff/types.js';
import { driftFingerprint, FIGHT_HEALS, FIGHT_WINDOW_MS } from './drift-policy.js';
import { changeCause, creationCause, type EffectiveDesired } from './effective-desired.js';
import type { ApplyResult, Assessment, KindHandler, Observation, ResourceOutputs } from './kind-handler.js';
import { orElse, type PassRequest, type PlanningOutcome } from './pass-planning.js';
import type { DriftRecord, PassRecord, PassState } from './pass-record.js';
import type { UnkeptWrites } from './unkept-writes.js';

export type { PassRequest };

/** A heal of a drift: when, and which drift (its fingerprint). */
export interface Heal {
  at: number;
  fingerprint: string;
}

/** What a resource's actor keeps from pass to pass. */
export interface ResourceMemory {
  /** The effective desired hash last made live (or found live), and the state behind it, to name what a later change changed. */
  lastAppliedHash?: string;
  lastApplied?: EffectiveDesired;
  /** The effective desired hash this actor last wrote. */
  appliedKey?: string;
  /** The effective desired hash a failed rollout applied: not applied again until the manifest or a dependency changes. */
  failedRolloutHash?: string;
  /** Writes that AWS did not keep (unkept-writes.ts). */
  unkept?: UnkeptWrites;
  /** The resource was seen existing at least once: a later absence is a deletion, not a first create. */
  seenExisting: boolean;
  /** What the last observation found: whether it exists, and its ARN. */
  seen?: { exists: boolean; arn?: string };
  drift?: DriftRecord;
  /** Drift the operator healed recently, for the heal backoff and fight detection. */
  heals: Heal[];
  /** Set when heals keep being reverted: drift is only alerted until the effective desired state or the drift changes. */
  fight?: { hash: string; fingerprint: string };
  outputs?: ResourceOutputs;
  /** The last health assessed. */
  assessment?: Assessment;
  lastSyncTime?: number;
  revision?: string;
}

export const EMPTY_MEMORY: ResourceMemory = { seenExisting: false, heals: [] };

/** What one pass has gathered so far. */
export interface PassScratch {
  pass: number;
  request: PassRequest;
  observation?: Observation;
  /** The last plan of the pass and what it decided; undefined before it, or when planning failed. */
  planning?: PlanningOutcome;
  writes: number;
  actions: string[];
  problem?: Problem;
  /** This pass's health assessment, when it made one. */
  assessment?: Assessment;
  cause?: string;
  healed?: Difference[];
}

export function startScratch(pass: number, request: PassRequest): PassScratch {
  return { pass, request, writes: 0, actions: [] };
}

/** The memory after an observation: what it found, and whether the resource was ever seen existing. */
export function observed(memory: ResourceMemory, observation: Observation): ResourceMemory {
  const seenExisting = memory.seenExisting || observation.exists;
  if (seenExisting === memory.seenExisting && sameSeen(memory.seen, observation)) return memory;
  return { ...memory, seenExisting, seen: seenOf(observation) };
}

const sameSeen = (seen: ResourceMemory['seen'], o: Observation) => seen !== undefined && seen.exists === o.exists && seen.arn === o.arn;
const seenOf = (o: Observation): NonNullable<ResourceMemory['seen']> => (o.arn ? { exists: o.exists, arn: o.arn } : { exists: o.exists });

/** In sync: what is live is the effective desired state, assessed. */
export function syncedMemory(memory: ResourceMemory, s: PassScratch, assessment: Assessment, outputs: ResourceOutputs): ResourceMemory {
  const { effective, ctx } = s.request;
  return {
    ...memory, assessment, outputs, lastAppliedHash: effective.hash, lastApplied: effective, revision: ctx.revision.id, lastSyncTime: ctx.now, drift: undefined,
  };
}

/**
 * A drift to report: on record since it was first seen; a drifted resource may still expose what
 * dependents need (if not, they keep the last good value), and its health is assessed when it exists.
 */
export function driftedMemory(memory: ResourceMemory, s: PassScratch, handler: KindHandler): ResourceMemory {
  const { desired, ctx } = s.request;
  const observation = s.observation;
  const differences = observation?.exists === false || !s.planning ? [{ path: '', desired: 'exists', live: undefined }] : s.planning.plan.differences;
  const fresh = observation?.exists ? orElse(() => handler.outputs(desired, observation), {}) : {};
  const assessment: Assessment = observation?.exists
    ? orElse(() => handler.assess(desired, observation, ctx), memory.assessment ?? { health: 'Degraded', message: 'cannot assess health' })
    : { health: 'Missing' };
  const drift = { differences, firstSeen: memory.drift ? memory.drift.firstSeen : ctx.now, fingerprint: driftFingerprint(differences) };
  return { ...memory, drift, outputs: fresh.arn ? fresh : memory.outputs, assessment };
}

/** A write made: what it did, the heals it counts toward a fight, the cause of a Git change. */
export function applied(memory: ResourceMemory, s: PassScratch, result: ApplyResult): { memory: ResourceMemory; scratch: PassScratch } {
  const { effective, ctx } = s.request;
  const now = ctx.now;
  const verdict = s.planning?.verdict;
  const differences = s.planning?.plan.differences ?? [];
  const reason = verdict?.action === 'apply' ? verdict.reason : undefined;
  const healing = reason === 'heal';
  const fingerprint = driftFingerprint(differences);
  const heals = healing ? [...memory.heals.filter((h) => now - h.at < FIGHT_WINDOW_MS), { at: now, fingerprint }] : memory.heals;
  const sameDriftHeals = heals.filter((h) => h.fingerprint === fingerprint).length;
  const action = healing ? `healed drift (${result.action})` : reason === 'record' ? 'recorded the applied state (applied-hash tag)' : result.action;
  const cause = reason === 'create' ? creationCause(ctx.revision.id)
    : reason === 'change' ? changeCause(memory.lastApplied, effective, ctx.revision.id, differences) : s.cause;
  const observation = result.observation ?? s.observation;
  // What a write answered is what is live now; "seen existing" follows observes only.
  const next: ResourceMemory = {
    ...memory,
    ...(result.observation ? { seen: seenOf(result.observation) } : {}),
    heals,
    fight: healing && sameDriftHeals >= FIGHT_HEALS ? { hash: effective.hash, fingerprint } : memory.fight,
    lastAppliedHash: effective.hash,
    lastApplied: effective,
    appliedKey: effective.hash,
    revision: ctx.revision.id,
    // A healed drift stays on record until a pass finds the resource in sync.
    drift: healing ? memory.drift ?? { differences, firstSeen: now, fingerprint } : memory.drift,
  };
  return {
    memory: next,
    scratch: {
      ...s, writes: s.writes + Math.max(1, result.writes), actions: [...s.actions, action], ...(observation ? { observation } : {}),
      ...(cause ? { cause } : {}), ...(healing ? { healed: differences } : {}),
    },
  };
}

/** The health of an existing resource that is Stalled, when it can be assessed (the condition says what is wrong). */
export function stalledMemory(memory: ResourceMemory, s: PassScratch, handler: KindHandler): ResourceMemory {
  const observation = s.observation;
  if (!observation?.exists) return memory;
  const assessment = orElse<Assessment | undefined>(() => handler.assess(s.request.desired, observation, s.request.ctx), undefined);
  return assessment ? { ...memory, assessment } : memory;
}

/** The record of a pass that came to rest in `state`, asking for its next pass after `requeueAfterMs`. */
export function recordOf(key: ResourceKey, state: PassState, memory: ResourceMemory, s: PassScratch, requeueAfterMs: number | undefined): PassRecord {
  const { desired, ctx } = s.request;
  const plan = s.planning?.plan;
  const seen = s.observation ?? memory.seen;
  const record: PassRecord = {
    key, pass: s.pass, state, at: ctx.now, policy: effectiveDriftPolicy(desired, ctx.driftDefault), actions: s.actions,
  };
  if (s.problem) record.problem = s.problem;
  if (seen) record.exists = seen.exists;
  if (plan) {
    record.differs = plan.differences.length > 0 || plan.requiresReplacement.length > 0;
    record.specs = { desired: plan.desiredSpec, live: plan.liveSpec };
  }
  const health = s.assessment ?? memory.assessment;
  if (health) record.health = health;
  if (s.cause) record.cause = s.cause;
  if (s.healed) record.healed = s.healed;
  if (memory.drift) {
    const { fingerprint } = memory.drift;
    record.drift = {
      ...memory.drift,
      heals: memory.heals.filter((h) => h.fingerprint === fingerprint).map((h) => h.at),
      fighting: memory.fight?.fingerprint === fingerprint,
    };
  }
  if (memory.outputs) record.outputs = memory.outputs;
  const arn = memory.outputs?.arn ?? seen?.arn;
  if (arn) record.arn = arn;
  if (memory.revision) record.revision = memory.revision;
  if (memory.lastSyncTime !== undefined) record.lastSyncTime = memory.lastSyncTime;
  if (requeueAfterMs !== undefined) record.requeueAfterMs = requeueAfterMs;
  return record;
}
