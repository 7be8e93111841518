// The per-resource state machine (xstate v5). One actor lives as long as its resource is declared; the
// controller sends it RECONCILE and waits for it to come to rest. A pass reads the live state, plans,
// applies (create, update, or heal drift), re-plans until nothing differs, and assesses health:
//
//   RECONCILE -> checking -> observing -> planning -> applying -> planning ... -> assessing
//   resting states: synced | progressing | degraded | drifted | stalled | waiting | retrying
//
// Effects are the named actors `observe` and `apply`, bound to a kind's handler and swappable with
// `.provide()` in tests; everything else here is pure bookkeeping.
import { assign, fromPromise, setup } from 'xstate';
import type { DesiredResource, ResourceKey } from '../core/types.js';
import { classifyError, type Problem } from '../core/errors.js';
import type { Difference } from '../diff/types.js';
import type {
  ApplyResult, Assessment, KindHandler, Observation, Plan, ReconcileContext, ResourceOutputs,
} from './kind-handler.js';
import { driftFingerprint, FIGHT_HEALS, FIGHT_WINDOW_MS, type Verdict } from './drift-policy.js';
import { changeCause, creationCause, type EffectiveDesired } from './effective-desired.js';
import { orElse, planPass } from './pass-planning.js';
import type { UnkeptWrites } from './unkept-writes.js';

export interface PassRequest {
  desired: DesiredResource;
  ctx: ReconcileContext;
  /** Dependencies that are not ready: the pass stops in `waiting`. */
  waitingFor: ResourceKey[];
  /** The manifest with what its references resolve to now; `ctx.appliedHash` is its hash. */
  effective: EffectiveDesired;
}

/** What the queue should do with the key after a pass. */
export interface PassOutcome {
  requeueAfterMs?: number;
  /** A transient failure: back off (or wait retryAfterMs). */
  retry?: boolean;
  retryAfterMs?: number;
}

export interface DriftRecord {
  differences: Difference[];
  firstSeen: number;
  fingerprint: string;
}

export interface ReconcileMachineContext {
  key: ResourceKey;
  /** Incremented by every RECONCILE; `completedPass` catches up when the pass comes to rest. */
  pass: number;
  completedPass: number;
  request?: PassRequest;
  observation?: Observation;
  plan?: Plan;
  /** What the planning step decided for the current plan. */
  verdict?: Verdict;
  writesThisPass: number;
  /** What the last pass did (created, updated, healed...), empty when it changed nothing. */
  actions: string[];
  assessment?: Assessment;
  error?: Problem;
  outputs?: ResourceOutputs;
  /** The effective desired hash this actor last made live (or found live). */
  lastAppliedHash?: string;
  /** The effective desired state behind lastAppliedHash, to name what a later change changed. */
  lastApplied?: EffectiveDesired;
  /** Why this pass applied a Git change (its revision, and the manifest or reference that changed). */
  cause?: string;
  /** The resource was seen existing at least once: a later absence is a deletion, not a first create. */
  seenExisting: boolean;
  drift?: DriftRecord;
  /** The effective desired hash this actor last applied. */
  appliedKey?: string;
  /** The effective desired hash a failed rollout applied: not applied again until the manifest or a dependency changes. */
  failedRolloutHash?: string;
  /** Writes that AWS did not keep (unkept-writes.ts). */
  unkept?: UnkeptWrites;
  /** The differences the last plan found (a stale record included): what a write that follows is for. */
  compared?: Difference[];
  /** The drift this pass healed (the status no longer shows it once healed), for events. */
  healedDrift?: DriftRecord;
  /** Drift the operator healed recently (time, drift fingerprint), for fight detection. */
  heals: Array<{ at: number; fingerprint: string }>;
  /** Set when heals keep being reverted: drift is only alerted until the effective desired state or the drift changes. */
  fight?: { hash: string; fingerprint: string };
  lastSyncTime?: number;
  lastReconcileTime?: number;
  revision?: string;
  outcome: PassOutcome;
}

export type ReconcileEvent = { type: 'RECONCILE'; request: PassRequest };

const MAX_WRITES_PER_PASS = 3;

export function createReconcileMachine(handler: KindHandler) {
  return setup({
    types: {
      context: {} as ReconcileMachineContext,
      events: {} as ReconcileEvent,
      input: {} as { key: ResourceKey },
    },
    actors: {
      observe: fromPromise<Observation, PassRequest>(({ input }) => handler.observe(input.desired, input.ctx)),
      apply: fromPromise<ApplyResult, { request: PassRequest; observation: Observation; plan: Plan }>(({ input }) =>
        handler.apply(input.request.desired, input.observation, input.plan, input.request.ctx),
      ),
    },
    guards: {
      dependenciesMissing: ({ context }) => (context.request?.waitingFor.length ?? 0) > 0,
      blocked: ({ context }) => context.plan?.blocked !== undefined,
      needsReplacement: ({ context }) => (context.plan?.requiresReplacement.length ?? 0) > 0,
      shouldApply: ({ context }) => context.verdict?.action === 'apply',
      isDrift: ({ context }) => context.verdict?.action === 'drift',
      tooManyWrites: ({ context }) => context.writesThisPass >= MAX_WRITES_PER_PASS,
      healthy: ({ context }) => context.assessment?.health === 'Healthy',
      progressing: ({ context }) => context.assessment?.health === 'Progressing',
      hasError: ({ context }) => context.error !== undefined,
      errorStalled: ({ context }) => context.error?.type === 'Stalled',
      errorWaiting: ({ context }) => context.error?.type === 'Waiting',
    },
    actions: {
      startPass: assign(({ context, event }) => ({
        request: event.request,
        pass: context.pass + 1,
        writesThisPass: 0,
        actions: [],
        error: undefined,
        plan: undefined,
        verdict: undefined,
        healedDrift: undefined,
        cause: undefined,
      })),
      // A kind's pure functions run inside actions: a throw there (an AWS shape nobody foresaw) must fail
      // the pass like any error, not stop the actor.
      planNow: assign(({ context }) => {
        try {
          return planPass(handler, context);
        } catch (err) {
          return { plan: undefined, verdict: undefined, error: classifyError(err) };
        }
      }),
      assessNow: assign(({ context }) => {
        const { desired, ctx } = context.request!;
        const observation = context.observation!;
        try {
          return {
            assessment: handler.assess(desired, observation, ctx),
            outputs: handler.outputs(desired, observation),
            lastAppliedHash: context.request!.effective.hash,
            lastApplied: context.request!.effective,
            revision: ctx.revision.id,
            lastSyncTime: ctx.now,
            drift: undefined,
          };
        } catch (err) {
          return { error: classifyError(err) };
        }
      }),
      recordDrift: assign(({ context }) => {
        const differences = context.observation?.exists === false ? [missingDifference()] : context.plan!.differences;
        const fingerprint = driftFingerprint(differences);
        const firstSeen = context.drift ? context.drift.firstSeen : context.request!.ctx.now;
        const { desired, ctx } = context.request!;
        // A drifted resource may still expose what dependents need; if not, they keep the last good value.
        const observation = context.observation;
        const fresh = observation?.exists ? orElse(() => handler.outputs(desired, observation), {}) : {};
        const assessment: Assessment = observation?.exists
          ? orElse(() => handler.assess(desired, observation, ctx), context.assessment ?? { health: 'Degraded', message: 'cannot assess health' })
          : { health: 'Missing' };
        return { drift: { differences, firstSeen, fingerprint }, outputs: fresh.arn ? fresh : context.outputs, assessment };
      }),
      recordApply: assign(({ context, event }) => {
        const result = (event as unknown as { output: ApplyResult }).output;
        const request = context.request!;
        const { effective, ctx } = request;
        const now = ctx.now;
        const reason = context.verdict?.action === 'apply' ? context.verdict.reason : undefined;
        const healing = reason === 'heal';
        const fingerprint = driftFingerprint(context.plan!.differences);
        const heals = healing
          ? [...context.heals.filter((h) => now - h.at < FIGHT_WINDOW_MS), { at: now, fingerprint }]
          : context.heals;
        const sameDriftHeals = heals.filter((h) => h.fingerprint === fingerprint).length;
        const action = healing ? `healed drift (${result.action})` : reason === 'record' ? 'recorded the applied state (applied-hash tag)' : result.action;
        return {
          writesThisPass: context.writesThisPass + Math.max(1, result.writes),
          actions: [...context.actions, action],
          observation: result.observation ?? context.observation,
          heals,
          fight: healing && sameDriftHeals >= FIGHT_HEALS ? { hash: effective.hash, fingerprint } : context.fight,
          lastAppliedHash: effective.hash,
          lastApplied: effective,
          cause: reason === 'create' ? creationCause(ctx.revision.id)
            : reason === 'change' ? changeCause(context.lastApplied, effective, ctx.revision.id, context.plan!.differences) : context.cause,
          appliedKey: effective.hash,
          revision: ctx.revision.id,
          // A healed drift stays on record until a pass finds the resource in sync.
          drift: healing
            ? context.drift ?? { differences: context.plan!.differences, firstSeen: now, fingerprint }
            : context.drift,
          healedDrift: healing
            ? { differences: context.plan!.differences, firstSeen: context.drift?.firstSeen ?? now, fingerprint }
            : context.healedDrift,
        };
      }),
      recordObservation: assign(({ context, event }) => {
        const observation = (event as unknown as { output: Observation }).output;
        return { observation, seenExisting: context.seenExisting || observation.exists };
      }),
      recordError: assign(({ event }) => ({ error: classifyError((event as unknown as { error: unknown }).error) })),
      convergenceError: assign(({ context }) => ({
        error: {
          type: 'Retrying' as const,
          reason: 'TransientError' as const,
          message: `still differs after ${context.writesThisPass} writes: ${context.plan!.differences.map((d) => d.path).join(', ')}`,
        },
      })),
      assessIfExists: assign(({ context }) => {
        const { desired, ctx } = context.request!;
        const observation = context.observation;
        try {
          return observation?.exists ? { assessment: handler.assess(desired, observation, ctx) } : {};
        } catch {
          return {}; // the Stalled condition already says what is wrong
        }
      }),
      stalledBlocked: assign(({ context }) => ({
        error: { type: 'Stalled' as const, reason: context.plan!.blocked!.reason, message: context.plan!.blocked!.message },
      })),
      stalledReplacement: assign(({ context }) => ({
        error: {
          type: 'Stalled' as const,
          reason: 'RequiresReplacement' as const,
          message: `requires replacement: ${context.plan!.requiresReplacement.map((d) => d.path).join(', ')} cannot change in place; delete and re-create the resource, or revert the change`,
        },
      })),
      stalledWaiting: assign(({ context }) => ({
        error: {
          type: 'Waiting' as const,
          reason: 'DependencyNotReady' as const,
          message: `waiting for ${context.request!.waitingFor.join(', ')}`,
          waitingFor: context.request!.waitingFor,
        },
      })),
      rest: assign(({ context }, params: PassOutcome) => ({
        completedPass: context.pass,
        lastReconcileTime: context.request?.ctx.now,
        outcome: params,
      })),
      restRetry: assign(({ context }) => {
        const e = context.error;
        return {
          completedPass: context.pass,
          lastReconcileTime: context.request?.ctx.now,
          outcome: e?.type === 'Retrying' && e.retryAfterMs !== undefined ? { retry: true, retryAfterMs: e.retryAfterMs } : { retry: true },
        };
      }),
      clearError: assign({ error: undefined }),
    },
  }).createMachine({
    id: 'reconcile',
    context: ({ input }) => ({
      key: input.key, pass: 0, completedPass: 0, writesThisPass: 0, actions: [], seenExisting: false, heals: [], outcome: {},
    }),
    initial: 'idle',
    on: { RECONCILE: { target: '.checking', actions: 'startPass' } },
    states: {
      idle: {},
      checking: {
        always: [
          { guard: 'dependenciesMissing', target: 'waiting', actions: 'stalledWaiting' },
          { target: 'observing' },
        ],
      },
      observing: {
        invoke: {
          src: 'observe',
          input: ({ context }) => context.request!,
          onDone: { target: 'planning', actions: 'recordObservation' },
          onError: { target: 'failed', actions: 'recordError' },
        },
      },
      planning: {
        entry: 'planNow',
        always: [
          { guard: 'hasError', target: 'failed' },
          { guard: 'blocked', target: 'stalled', actions: ['stalledBlocked', 'assessIfExists'] },
          { guard: 'needsReplacement', target: 'stalled', actions: ['stalledReplacement', 'assessIfExists'] },
          { guard: 'shouldApply', target: 'checkWrites' },
          { guard: 'isDrift', target: 'drifted', actions: 'recordDrift' },
          { target: 'assessing' },
        ],
      },
      checkWrites: {
        always: [
          { guard: 'tooManyWrites', target: 'failed', actions: 'convergenceError' },
          { target: 'applying' },
        ],
      },
      applying: {
        invoke: {
          src: 'apply',
          input: ({ context }) => ({ request: context.request!, observation: context.observation!, plan: context.plan! }),
          onDone: [
            { guard: ({ event }) => event.output.observation !== undefined, target: 'planning', actions: 'recordApply' },
            { target: 'observing', actions: 'recordApply' },
          ],
          onError: { target: 'failed', actions: 'recordError' },
        },
      },
      assessing: {
        entry: 'assessNow',
        always: [
          { guard: 'hasError', target: 'failed' },
          { guard: 'healthy', target: 'synced' },
          { guard: 'progressing', target: 'progressing' },
          { target: 'degraded' },
        ],
      },
      failed: {
        always: [
          { guard: 'errorStalled', target: 'stalled' },
          { guard: 'errorWaiting', target: 'waiting' },
          { target: 'retrying' },
        ],
      },
      synced: { entry: [{ type: 'rest', params: {} }, 'clearError'] },
      progressing: { entry: { type: 'rest', params: ({ context }) => ({ requeueAfterMs: context.request!.ctx.mode === 'apply' ? 2_000 : 10_000 }) } },
      degraded: { entry: { type: 'rest', params: { requeueAfterMs: 30_000 } } },
      drifted: {
        entry: {
          type: 'rest',
          // A heal deferred by the backoff comes back when it is due, not at the next resync.
          params: ({ context }) => (context.verdict?.action === 'drift' && context.verdict.retryAfterMs !== undefined
            ? { requeueAfterMs: context.verdict.retryAfterMs } : {}),
        },
      },
      stalled: { entry: { type: 'rest', params: {} } },
      waiting: { entry: { type: 'rest', params: {} } },
      retrying: { entry: 'restRetry' },
    },
  });
}

function missingDifference(): Difference {
  return { path: '', desired: 'exists', live: undefined };
}

export type ReconcileMachine = ReturnType<typeof createReconcileMachine>;
