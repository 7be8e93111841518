// Leader election on a simulated clock, two electors on one store: one leader at a time; a leader
// cut off from the store stops writing before its lease can be taken (clock skew within the
// allowance included); a release hands over at the standby's next look; a lost reply or a lease
// taken away are understood. "Writing" is the write fence: refusal() undefined.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { LeaderElector } from '../../src/lease/elector.js';
import { SLOW_POLL_MS } from '../../src/lease/timing.js';
import { simulatedClock, type SimulatedClock } from '../support/simulated-clock.js';
import { MemoryLeases, type Fault } from './memory-store.js';

const log = pino({ level: 'silent' });
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

interface Candidate {
  elector: LeaderElector;
  fault: Fault | undefined;
  changes: boolean[];
  stop: AbortController;
  done: Promise<void>;
}

/** An elector on `leases`, its wall clock `skewMs` ahead of the true (monotonic) time. */
function candidate(leases: MemoryLeases, clock: SimulatedClock, holder: string, skewMs = 0): Candidate {
  const c = { fault: undefined, changes: [], stop: new AbortController() } as unknown as Candidate;
  const wall = { now: () => clock.now() + skewMs, setTimeout: clock.setTimeout, clearTimeout: clock.clearTimeout };
  c.elector = new LeaderElector({ store: leases.client(() => c.fault), name: 'default', holder, log, clock: wall, monotonic: clock.now });
  c.elector.onChange((leader) => c.changes.push(leader));
  c.done = c.elector.run(c.stop.signal);
  return c;
}

/** Advances simulated time in steps, letting the electors' promises settle after each; `each` samples. */
async function elapse(clock: SimulatedClock, ms: number, each: (now: number) => void = () => {}, step = 50): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    clock.advance(step);
    await flush();
    each(clock.now());
  }
}

const writing = (c: Candidate) => c.elector.refusal() === undefined;

test('two electors: one leader, renewing; the standby says who holds the lease and writes nothing', async () => {
  const clock = simulatedClock(1_000_000);
  const leases = new MemoryLeases();
  const a = candidate(leases, clock, 'a');
  const b = candidate(leases, clock, 'b');
  await elapse(clock, 60_000, () => assert.ok(!(writing(a) && writing(b)), 'two writers'));
  assert.equal(a.elector.isLeader, true, 'the first to look takes it');
  assert.equal(b.elector.isLeader, false);
  assert.deepEqual(a.changes, [true]);
  assert.deepEqual(b.changes, []);
  assert.equal(leases.records.get('default')!.token, 1, 'renewed for a minute, never re-acquired');
  assert.match(b.elector.refusal()!, /standby: it does not hold the lease default \(it is held by a\)/);
  const view = b.elector.status();
  assert.equal(view.leader, false);
  assert.equal(view.lease?.holder, 'a');
  assert.equal(view.lease?.self, 'b');
  assert.equal(view.lease?.token, 1);
  assert.ok(Date.parse(view.lease!.expiresAt!) > clock.now() + 9_000, 'renewed within the last 5 s');
  for (const c of [a, b]) c.stop.abort();
  await Promise.all([a.done, b.done]);
});

for (const skewMs of [0, 1_500]) {
  test(`a leader cut off from the store stops writing before the standby can take over (standby clock ${skewMs} ms ahead)`, async () => {
    const clock = simulatedClock(2_000_000);
    const leases = new MemoryLeases();
    const a = candidate(leases, clock, 'a');
    await elapse(clock, 1_000);
    const b = candidate(leases, clock, 'b', skewMs);
    await elapse(clock, 7_000);
    assert.equal(a.elector.isLeader, true);
    const before = leases.records.get('default')!;
    a.fault = 'down';
    let lastA = 0;
    let firstB = 0;
    await elapse(clock, 25_000, (now) => {
      if (writing(a)) lastA = now;
      if (writing(b) && !firstB) firstB = now;
      assert.ok(!(writing(a) && writing(b)), `two writers at ${now}`);
    });
    const renewed = leases.records.get('default')!;
    assert.equal(renewed.holder, 'b');
    assert.equal(renewed.token, before.token + 1);
    assert.deepEqual(a.changes, [true, false], 'the leader knew it lost');
    assert.ok(lastA > 0 && firstB > 0);
    assert.ok(firstB > lastA, `standby wrote at ${firstB}, old leader until ${lastA}`);
    // The last renewal that reached the store set this expiry: the leader stopped the skew allowance before it.
    assert.ok(lastA <= before.expiresAt - 2_000, `wrote until ${before.expiresAt - lastA} ms before expiry`);
    if (skewMs === 0) assert.ok(firstB - lastA >= 2_000, `gap ${firstB - lastA} ms`);
    assert.ok(firstB - lastA <= 5_000, `took ${firstB - lastA} ms to hand over`);
    for (const c of [a, b]) c.stop.abort();
    await Promise.all([a.done, b.done]);
  });
}

test('release: the fence closes first, writes on their way land, the standby leads at its next look, with the next token', async () => {
  const clock = simulatedClock(3_000_000);
  const leases = new MemoryLeases();
  const a = candidate(leases, clock, 'a');
  await elapse(clock, 500);
  const b = candidate(leases, clock, 'b');
  await elapse(clock, 9_000);
  a.stop.abort();
  await a.done;
  const lastWrite = a.elector.inFlight(); // a write on its way when the release begins
  let released = false;
  const release = a.elector.release().then(() => (released = true));
  assert.equal(writing(a), false, 'no write once release has begun');
  await elapse(clock, 1_000);
  assert.equal(released, false, 'the release waits for the write on its way');
  assert.notEqual(leases.records.get('default')!.expiresAt, 0);
  lastWrite();
  await release;
  assert.equal(leases.records.get('default')!.expiresAt, 0);
  let tookOver = 0;
  await elapse(clock, 3_000, (now) => {
    if (!tookOver && b.elector.isLeader) tookOver = now;
  });
  assert.ok(tookOver > 0, 'the standby took over');
  assert.ok(tookOver - (clock.now() - 3_000) <= SLOW_POLL_MS + 50, `after ${tookOver - (clock.now() - 3_000)} ms`);
  assert.equal(leases.records.get('default')!.token, 2);
  b.stop.abort();
  await b.done;
});

test('a lease taken away is lost at the next renewal; a lost acquire reply is found to be ours', async () => {
  const clock = simulatedClock(4_000_000);
  const leases = new MemoryLeases();
  const a = candidate(leases, clock, 'a');
  a.fault = 'lostReply'; // the first acquisition is applied, its answer lost
  await elapse(clock, 3_000);
  assert.equal(a.elector.isLeader, true, 'the next look finds the lease ours and takes it again');
  assert.equal(leases.records.get('default')!.token, 2);
  a.fault = undefined;
  // Someone else's term (as after a long pause of this process): the renewal is refused.
  leases.records.set('default', { ...leases.records.get('default')!, holder: 'x', token: 3, expiresAt: clock.now() + 15_000 });
  await elapse(clock, 5_100);
  assert.equal(a.elector.isLeader, false);
  assert.deepEqual(a.changes, [true, false]);
  assert.match(a.elector.refusal()!, /held by x/);
  a.stop.abort();
  await a.done;
});
