// The reconcile machine on its own: its effects (observe, apply) swapped with .provide(), time on a
// simulated clock. Each resting state asks for its next pass by itself when it should: a retry after
// its backoff (or what the error asked for), a rollout's poll; a pass asked for sooner starts afresh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createActor, fromPromise, waitFor } from 'xstate';
import { RetryableError } from '../../src/core/errors.js';
import type { DesiredResource } from '../../src/core/types.js';
import { effectiveDesired } from '../../src/runtime/effective-desired.js';
import type { ApplyResult, Observation } from '../../src/runtime/kind-handler.js';
import { createReconcileMachine, type ReconcileMachine } from '../../src/runtime/reconcile-machine.js';
import { FakeKind, fakeContext, fakeResource, fakeState } from '../support/fake-kind.js';
import { simulatedClock, type SimulatedClock } from '../support/simulated-clock.js';

const resource = fakeResource('Cluster', 'c', { a: 1 });

function run(machine: ReconcileMachine, clock: SimulatedClock) {
  const due: number[] = [];
  const actor = createActor(machine, {
    input: { key: resource.key, backoff: (n) => 1_000 * 2 ** (n - 1), due: () => due.push(clock.now()) },
    clock,
  });
  actor.start();
  let passes = 0;
  const pass = async (r: DesiredResource = resource) => {
    const n = ++passes;
    const ctx = fakeContext({ now: clock.now(), notBefore: clock.now(), desired: fakeState([r]) });
    const rested = waitFor(actor, (s) => s.context.record?.pass === n);
    actor.send({ type: 'RECONCILE', request: { desired: r, ctx, waitingFor: [], effective: effectiveDesired(r, () => undefined) } });
    return (await rested).context.record!;
  };
  return { actor, due, pass };
}

const live = (health: 'Healthy' | 'Progressing'): Observation => ({ exists: true, arn: 'arn:fake:c', live: { spec: { a: 1 }, tags: {}, health }, tags: {} });

test('a failed write waits its backoff, then asks for its next pass; the wait grows, and a success resets it', async () => {
  const clock = simulatedClock(1_000_000);
  let failures = 2;
  const machine = createReconcileMachine(new FakeKind()).provide({
    actors: {
      observe: fromPromise(async (): Promise<Observation> => ({ exists: false })),
      apply: fromPromise(async (): Promise<ApplyResult> => {
        if (failures-- > 0) throw new RetryableError('CreateCluster: ServerException: try again');
        return { action: 'created', writes: 1, observation: live('Healthy') };
      }),
    },
  });
  const { actor, due, pass } = run(machine, clock);

  const first = await pass();
  assert.equal(first.state, 'retrying');
  assert.deepEqual(first.problem, { type: 'Retrying', reason: 'TransientError', message: 'CreateCluster: ServerException: try again' });
  assert.equal(first.requeueAfterMs, 1_000);
  clock.advance(999);
  assert.deepEqual(due, [], 'not before its time');
  clock.advance(1);
  assert.deepEqual(due, [1_001_000]);

  const second = await pass();
  assert.equal(second.requeueAfterMs, 2_000, 'the backoff grows');
  clock.advance(2_000);
  assert.equal(due.length, 2);

  const third = await pass();
  assert.equal(third.state, 'synced');
  assert.deepEqual(third.actions, ['created']);
  assert.equal(third.requeueAfterMs, undefined, 'in sync: nothing asked for');
  clock.advance(600_000);
  assert.equal(due.length, 2);
  assert.equal(actor.getSnapshot().context.failures, 0, 'the backoff starts afresh');
  actor.stop();
});

test('a throttled write is tried again after what AWS asked for, and the backoff does not grow', async () => {
  const clock = simulatedClock();
  const machine = createReconcileMachine(new FakeKind()).provide({
    actors: {
      observe: fromPromise(async (): Promise<Observation> => ({ exists: false })),
      apply: fromPromise(async (): Promise<ApplyResult> => {
        throw new RetryableError('CreateCluster: ThrottlingException: Rate exceeded', 5_000, { reason: 'Throttled' });
      }),
    },
  });
  const { actor, due, pass } = run(machine, clock);
  const record = await pass();
  assert.equal(record.problem?.type === 'Retrying' && record.problem.reason, 'Throttled');
  assert.equal(record.requeueAfterMs, 5_000);
  assert.equal(actor.getSnapshot().context.failures, 0);
  clock.advance(5_000);
  assert.deepEqual(due, [5_000]);
  actor.stop();
});

test('a rollout in progress is polled every 10 s by the actor itself; a pass asked for sooner starts the wait afresh', async () => {
  const clock = simulatedClock();
  let health: 'Healthy' | 'Progressing' = 'Progressing';
  const machine = createReconcileMachine(new FakeKind()).provide({
    actors: { observe: fromPromise(async () => live(health)) },
  });
  const { actor, due, pass } = run(machine, clock);
  assert.equal((await pass()).state, 'progressing');
  clock.advance(6_000);
  assert.equal((await pass()).state, 'progressing', 'asked for at 6 s (a resync)');
  clock.advance(9_000);
  assert.deepEqual(due, [], 'the first wait ended with the pass at 6 s');
  clock.advance(1_000);
  assert.deepEqual(due, [16_000]);
  health = 'Healthy';
  assert.equal((await pass()).state, 'synced');
  clock.advance(60_000);
  assert.deepEqual(due, [16_000], 'Healthy: no more polls');
  actor.stop();
});
