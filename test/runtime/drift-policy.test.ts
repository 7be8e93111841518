import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decidePass, driftFingerprint, healBackoffMs, type PassFacts } from '../../src/runtime/drift-policy.js';

const diff = [{ path: '/desiredCount', desired: 2, live: 5 }];
const base: PassFacts = {
  exists: true, differences: diff, mode: 'run', policy: 'heal', lastAppliedMatches: true, seenExisting: true, writesThisPass: 0,
};
const fight = { current: true, fingerprint: driftFingerprint(diff) };

test('what a pass does with a difference', () => {
  // lastAppliedMatches false: the manifest, or what one of its references resolves to, changed since
  // it was last applied (memory, else the applied-hash tag after a restart).
  const cases: Array<[string, Partial<PassFacts>, string]> = [
    ['in sync', { differences: [] }, 'none'],
    ['in sync with a stale record: the record alone is written, whatever the policy', { differences: [], recordStale: true, policy: 'alert' }, 'apply:record'],
    ['drift under heal is healed', {}, 'apply:heal'],
    ['drift under alert is only reported', { policy: 'alert' }, 'drift'],
    ['drift under ignore is only recorded', { policy: 'ignore' }, 'drift'],
    ['a change of the effective desired state is applied under alert', { policy: 'alert', lastAppliedMatches: false }, 'apply:change'],
    ['... under ignore', { policy: 'ignore', lastAppliedMatches: false }, 'apply:change'],
    ['... and under heal, as a change, not a heal', { lastAppliedMatches: false }, 'apply:change'],
    ['never created: created', { exists: false, seenExisting: false, differences: [], policy: 'alert' }, 'apply:create'],
    ['deleted out of band under alert: drift', { exists: false, differences: [], policy: 'alert' }, 'drift'],
    ['deleted out of band under heal: re-created', { exists: false, differences: [] }, 'apply:heal'],
    ['the apply command applies everything', { mode: 'apply', policy: 'alert' }, 'apply:change'],
    ['writes in this pass continue to convergence', { policy: 'alert', writesThisPass: 1 }, 'apply:converge'],
    ['while fighting over this drift: alert only', { fight }, 'drift'],
    ['a new drift ends the fight', { fight: { ...fight, fingerprint: 'other' } }, 'apply:heal'],
    ['a fight held for another effective desired state does not hold', { fight: { ...fight, current: false } }, 'apply:heal'],
    ['a change of the effective desired state ends the fight', { lastAppliedMatches: false, fight: { ...fight, current: false } }, 'apply:change'],
    ['the same drift again 10 s after its first heal waits', { now: 10_000, heals: [{ at: 0, fingerprint: driftFingerprint(diff) }] }, 'drift:5000'],
    ['... and is healed once 15 s have passed', { now: 15_000, heals: [{ at: 0, fingerprint: driftFingerprint(diff) }] }, 'apply:heal'],
    ['after two heals it waits a minute', { now: 50_000, heals: [{ at: 0, fingerprint: driftFingerprint(diff) }, { at: 20_000, fingerprint: driftFingerprint(diff) }] }, 'drift:30000'],
    ['another drift is healed at once', { now: 1_000, heals: [{ at: 0, fingerprint: 'other' }] }, 'apply:heal'],
  ];
  for (const [name, facts, want] of cases) {
    const v = decidePass({ ...base, ...facts });
    const got = v.action === 'apply' ? `apply:${v.reason}` : v.action === 'drift' && v.retryAfterMs !== undefined ? `drift:${v.retryAfterMs}` : v.action;
    assert.equal(got, want, name);
  }
});

test('heal backoff: immediate, 15 s, 1 min, 4 min, capped at 5 min', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 9].map(healBackoffMs), [0, 15_000, 60_000, 240_000, 300_000, 300_000]);
});
