// The life of one resource as a state machine (xstate v5). One actor lives as long as its resource is
// declared. A RECONCILE runs a pass: read the live state, plan, apply (create, update, or heal drift),
// re-plan until nothing differs; then the actor rests in the state the pass found, and each resting
// state says when the resource wants its next pass by itself, as a delayed transition:
//
//   RECONCILE -> observing -> planning -> (applying -> planning)* -> resting state
//   synced, stalled, waiting, drifted        rest until a change or the next resync asks
//   progressing (10 s, 2 s under apply)      poll the rollout
//   degraded (30 s)                          look again
//   healDeferred (the heal backoff)          heal the drift once the backoff allows
//   retrying (backoff, or the retry-after)   try again
//   ... -> due: the pass is asked for (ReconcileInput.due); the work queue runs it
//
// Each pass ends in a public record (pass-record.ts), which is all the controller hands on. Effects
// are the named actors `observe` and `apply`, bound to a kind's handler and swapped with
// `.provide()` in tests; the steps between them are pure (resource-memory.ts, pass-planning.ts).
import { assign, fromPromise, setup } from 'xstate';
import { classifyError, type Problem } from '../core/errors.js';
import type { ResourceKey } from '../core/types.js';
import type { ApplyResult, KindHandler, Observation, Plan } from './kind-handler.js';
import { planStep, type PassRequest } from './pass-planning.js';
import type { PassRecord, PassState } from './pass-record.js';
import {
  applied, driftedMemory, EMPTY_MEMORY, observed, recordOf, stalledMemory, startScratch, syncedMemory,
  type PassScratch, type ResourceMemory,
} from './resource-memory.js';

export interface ReconcileInput {
  key: ResourceKey;
  /** The wait before the n-th retry in a row (1-based). */
  backoff(failures: number): number;
  /** Asks for a pass now: a resting state's delay is over. */
  due(): void;
}

export interface ReconcileMachineContext {
  readonly key: ResourceKey;
  readonly backoff: (failures: number) => number;
  readonly due: () => void;
  memory: ResourceMemory;
  /** The pass in progress, or the last one. */
  pass: PassScratch | undefined;
  /** The last completed pass. */
  record: PassRecord | undefined;
  /** Passes in a row that ended Retrying without a retry-after: the backoff's exponent. */
  failures: number;
  /** The resting state's delay before it asks for its next pass (see the header). */
  nextPassInMs: number | undefined;
}

export type ReconcileEvent = { type: 'RECONCILE'; request: PassRequest };

const MAX_WRITES_PER_PASS = 3;
const POLL_MS = { run: 10_000, apply: 2_000 } as const;
const DEGRADED_RECHECK_MS = 30_000;

/** The pass in progress (every state but idle has one). */
function current(context: ReconcileMachineContext): PassScratch {
  if (!context.pass) throw new Error(`${context.key}: no pass in progress`);
  return context.pass;
}

const planOf = (c: ReconcileMachineContext): Plan | undefined => (c.pass?.planning ? c.pass.planning.plan : undefined);
const problemType = (c: ReconcileMachineContext): Problem['type'] | undefined => c.pass?.problem?.type;

export function createReconcileMachine(handler: KindHandler) {
  return setup({
    types: {
      context: {} as ReconcileMachineContext,
      events: {} as ReconcileEvent,
      input: {} as ReconcileInput,
    },
    actors: {
      observe: fromPromise<Observation, PassRequest>(({ input }) => handler.observe(input.desired, input.ctx)),
      apply: fromPromise<ApplyResult, { request: PassRequest; observation: Observation; plan: Plan }>(({ input }) =>
        handler.apply(input.request.desired, input.observation, input.plan, input.request.ctx)),
    },
    delays: {
      nextPass: ({ context }) => context.nextPassInMs ?? 0,
    },
    guards: {
      dependenciesMissing: ({ event }) => event.request.waitingFor.length > 0,
      planFailed: ({ context }) => context.pass?.problem !== undefined,
      blocked: ({ context }) => planOf(context)?.blocked !== undefined,
      needsReplacement: ({ context }) => (planOf(context)?.requiresReplacement.length ?? 0) > 0,
      tooManyWrites: ({ context }) => context.pass?.planning?.verdict.action === 'apply' && context.pass.writes >= MAX_WRITES_PER_PASS,
      shouldApply: ({ context }) => context.pass?.planning?.verdict.action === 'apply',
      healDeferred: ({ context }) => {
        const verdict = context.pass?.planning?.verdict;
        return verdict?.action === 'drift' && verdict.retryAfterMs !== undefined;
      },
      isDrift: ({ context }) => context.pass?.planning?.verdict.action === 'drift',
      healthy: ({ context }) => context.pass?.assessment?.health === 'Healthy',
      progressing: ({ context }) => context.pass?.assessment?.health === 'Progressing',
      answeredWithObservation: (_, params: { result: ApplyResult }) => params.result.observation !== undefined,
      problemStalled: ({ context }) => problemType(context) === 'Stalled',
      problemWaiting: ({ context }) => problemType(context) === 'Waiting',
    },
    actions: {
      startPass: assign(({ context }, params: { request: PassRequest }) => ({
        pass: startScratch((context.pass?.pass ?? 0) + 1, params.request),
      })),
      waitForDependencies: assign(({ context }) => {
        const s = current(context);
        const { waitingFor } = s.request;
        const problem: Problem = { type: 'Waiting', reason: 'DependencyNotReady', message: `waiting for ${waitingFor.join(', ')}`, waitingFor };
        return { pass: { ...s, problem } };
      }),
      recordObservation: assign(({ context }, params: { observation: Observation }) => ({
        pass: { ...current(context), observation: params.observation },
        memory: observed(context.memory, params.observation),
      })),
      recordError: assign(({ context }, params: { error: unknown }) => ({ pass: { ...current(context), problem: classifyError(params.error) } })),
      planNow: assign(({ context }) => {
        const { planning: previous, problem: _, ...s } = current(context);
        const step = planStep(handler, s.request, s.observation ?? { exists: false }, context.memory, s.writes, previous?.compared);
        const { planning, problem, settled } = step;
        if (!planning) return { pass: { ...s, ...(problem ? { problem } : {}) } };
        const m = context.memory;
        const memory = m.unkept === planning.unkept && m.failedRolloutHash === planning.failedRolloutHash
          ? m : { ...m, unkept: planning.unkept, failedRolloutHash: planning.failedRolloutHash };
        if (problem || !settled) return { pass: { ...s, planning, ...(problem ? { problem } : {}) }, memory };
        const pass = { ...s, planning, assessment: settled.assessment };
        return { pass, memory: syncedMemory(memory, pass, settled.assessment, settled.outputs) };
      }),
      recordApply: assign(({ context }, params: { result: ApplyResult }) => {
        const { memory, scratch } = applied(context.memory, current(context), params.result);
        return { memory, pass: scratch };
      }),
      recordDrift: assign(({ context }) => ({ memory: driftedMemory(context.memory, current(context), handler) })),
      stalledBlocked: assign(({ context }) => {
        const s = current(context);
        const blocked = s.planning?.plan.blocked;
        const problem: Problem = { type: 'Stalled', reason: blocked?.reason ?? 'InvalidParameter', message: blocked?.message ?? 'blocked' };
        return { pass: { ...s, problem }, memory: stalledMemory(context.memory, s, handler) };
      }),
      stalledReplacement: assign(({ context }) => {
        const s = current(context);
        const paths = (s.planning?.plan.requiresReplacement ?? []).map((d) => d.path).join(', ');
        const message = `requires replacement: ${paths} cannot change in place; delete and re-create the resource, or revert the change`;
        const problem: Problem = { type: 'Stalled', reason: 'RequiresReplacement', message };
        return { pass: { ...s, problem }, memory: stalledMemory(context.memory, s, handler) };
      }),
      convergenceError: assign(({ context }) => {
        const s = current(context);
        const paths = (s.planning?.plan.differences ?? []).map((d) => d.path).join(', ');
        const problem: Problem = { type: 'Retrying', reason: 'TransientError', message: `still differs after ${s.writes} writes: ${paths}` };
        return { pass: { ...s, problem } };
      }),
      rest: assign(({ context }, params: { state: PassState }) => {
        const s = current(context);
        const retry = params.state === 'retrying' ? retryDelay(context, s) : undefined;
        const nextPassInMs = retry ? retry.ms : requeueAfter(params.state, s);
        return {
          record: recordOf(context.key, params.state, context.memory, s, nextPassInMs),
          failures: retry ? retry.failures : 0,
          nextPassInMs,
        };
      }),
      askForPass: ({ context }) => context.due(),
    },
  }).createMachine({
    id: 'reconcile',
    context: ({ input }) => ({
      key: input.key, backoff: input.backoff, due: input.due, memory: EMPTY_MEMORY,
      pass: undefined, record: undefined, failures: 0, nextPassInMs: undefined,
    }),
    initial: 'idle',
    on: {
      RECONCILE: [
        {
          guard: 'dependenciesMissing', target: '.waiting',
          actions: [{ type: 'startPass', params: ({ event }) => ({ request: event.request }) }, 'waitForDependencies'],
        },
        { target: '.observing', actions: { type: 'startPass', params: ({ event }) => ({ request: event.request }) } },
      ],
    },
    states: {
      idle: {},
      observing: {
        invoke: {
          src: 'observe',
          input: ({ context }) => current(context).request,
          onDone: { target: 'planning', actions: { type: 'recordObservation', params: ({ event }) => ({ observation: event.output }) } },
          onError: { target: 'failed', actions: { type: 'recordError', params: ({ event }) => ({ error: event.error }) } },
        },
      },
      planning: {
        entry: 'planNow',
        always: [
          { guard: 'planFailed', target: 'failed' },
          { guard: 'blocked', target: 'stalled', actions: 'stalledBlocked' },
          { guard: 'needsReplacement', target: 'stalled', actions: 'stalledReplacement' },
          { guard: 'tooManyWrites', target: 'failed', actions: 'convergenceError' },
          { guard: 'shouldApply', target: 'applying' },
          { guard: 'healDeferred', target: 'healDeferred', actions: 'recordDrift' },
          { guard: 'isDrift', target: 'drifted', actions: 'recordDrift' },
          { guard: 'healthy', target: 'synced' },
          { guard: 'progressing', target: 'progressing' },
          { target: 'degraded' },
        ],
      },
      applying: {
        invoke: {
          src: 'apply',
          input: ({ context }) => {
            const s = current(context);
            return { request: s.request, observation: s.observation ?? { exists: false }, plan: planOf(context) ?? { differences: [], requiresReplacement: [] } };
          },
          onDone: [
            {
              guard: { type: 'answeredWithObservation', params: ({ event }) => ({ result: event.output }) },
              target: 'planning', actions: { type: 'recordApply', params: ({ event }) => ({ result: event.output }) },
            },
            { target: 'observing', actions: { type: 'recordApply', params: ({ event }) => ({ result: event.output }) } },
          ],
          onError: { target: 'failed', actions: { type: 'recordError', params: ({ event }) => ({ error: event.error }) } },
        },
      },
      failed: {
        always: [
          { guard: 'problemStalled', target: 'stalled' },
          { guard: 'problemWaiting', target: 'waiting' },
          { target: 'retrying' },
        ],
      },
      synced: { entry: { type: 'rest', params: { state: 'synced' } } },
      stalled: { entry: { type: 'rest', params: { state: 'stalled' } } },
      waiting: { entry: { type: 'rest', params: { state: 'waiting' } } },
      drifted: { entry: { type: 'rest', params: { state: 'drifted' } } },
      healDeferred: { entry: { type: 'rest', params: { state: 'drifted' } }, after: { nextPass: 'due' } },
      progressing: { entry: { type: 'rest', params: { state: 'progressing' } }, after: { nextPass: 'due' } },
      degraded: { entry: { type: 'rest', params: { state: 'degraded' } }, after: { nextPass: 'due' } },
      retrying: { entry: { type: 'rest', params: { state: 'retrying' } }, after: { nextPass: 'due' } },
      due: { entry: 'askForPass' },
    },
  });
}

/** How long a resting state waits before it asks for its next pass (retrying: see retryDelay). */
function requeueAfter(state: PassState, s: PassScratch): number | undefined {
  if (state === 'progressing') return POLL_MS[s.request.ctx.mode];
  if (state === 'degraded') return DEGRADED_RECHECK_MS;
  const verdict = s.planning?.verdict;
  // A heal deferred by the backoff comes back when it is due, not at the next resync.
  if (state === 'drifted' && verdict?.action === 'drift') return verdict.retryAfterMs;
  return undefined;
}

/** A retry's wait: what the error asked for, else the next step of the backoff. */
function retryDelay(c: ReconcileMachineContext, s: PassScratch): { ms: number; failures: number } {
  const asked = s.problem?.type === 'Retrying' ? s.problem.retryAfterMs : undefined;
  if (asked !== undefined) return { ms: asked, failures: c.failures };
  return { ms: c.backoff(c.failures + 1), failures: c.failures + 1 };
}

export type ReconcileMachine = ReturnType<typeof createReconcileMachine>;
