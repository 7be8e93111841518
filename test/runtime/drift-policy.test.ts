import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decidePass, driftFingerprint, type PassFacts } from '../../src/runtime/drift-policy.js';

const diff = [{ path: '/desiredCount', desired: 2, live: 5 }];
const base: PassFacts = {
  exists: true, differences: diff, mode: 'run', policy: 'heal', desiredHash: 'h1', lastAppliedHash: 'h1',
  seenExisting: true, writesThisPass: 0,
};

test('what a pass does with a difference', () => {
  const cases: Array<[string, Partial<PassFacts>, string]> = [
    ['in sync', { differences: [] }, 'none'],
    ['drift under heal is healed', {}, 'apply:heal'],
    ['drift under alert is only reported', { policy: 'alert' }, 'drift'],
    ['drift under ignore is only recorded', { policy: 'ignore' }, 'drift'],
    ['a manifest change is applied whatever the policy', { policy: 'alert', desiredHash: 'h2' }, 'apply:change'],
    ['after a restart, the applied-hash tag tells a Git change', { policy: 'alert', lastAppliedHash: undefined }, 'apply:change'],
    ['never created: created', { exists: false, seenExisting: false, differences: [], policy: 'alert' }, 'apply:create'],
    ['deleted out of band under alert: drift', { exists: false, differences: [], policy: 'alert' }, 'drift'],
    ['deleted out of band under heal: re-created', { exists: false, differences: [] }, 'apply:heal'],
    ['the apply command applies everything', { mode: 'apply', policy: 'alert' }, 'apply:change'],
    ['writes in this pass continue to convergence', { policy: 'alert', writesThisPass: 1 }, 'apply:converge'],
    ['while fighting over this drift: alert only', { fight: { desiredHash: 'h1', fingerprint: driftFingerprint(diff) } }, 'drift'],
    ['a new drift ends the fight', { fight: { desiredHash: 'h1', fingerprint: 'other' } }, 'apply:heal'],
    ['a manifest change ends the fight', { desiredHash: 'h2', fight: { desiredHash: 'h1', fingerprint: driftFingerprint(diff) } }, 'apply:change'],
  ];
  for (const [name, facts, want] of cases) {
    const v = decidePass({ ...base, ...facts });
    assert.equal(v.action === 'apply' ? `apply:${v.reason}` : v.action, want, name);
  }
});
