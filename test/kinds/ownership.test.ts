// The operator's own tags on an existing resource, table-driven: what adoption adds (origin=adopted,
// only when the tags were read and never over another origin), what a write sets (the applied-hash
// whenever it is not the one recorded, under every drift policy: the pass's effective desired hash,
// else the manifest's), and a prune tag removed once its annotation is gone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ResourcePolicy } from '../../src/core/types.js';
import { adoptionDifferences, creationOwnershipTags, ownershipTagWrites } from '../../src/kinds/ownership.js';
import type { Observation } from '../../src/runtime/kind-handler.js';
import { fakeContext, fakeResource } from '../support/fake-kind.js';

const OWNED = { 'ecs-operator.dev/managed-by': 'default', 'ecs-operator.dev/resource': 'Service/web' };
const HASH = { 'ecs-operator.dev/applied-hash': 'h1' };
const RECORDED = { ...OWNED, ...HASH };
const ctx = (driftDefault: 'heal' | 'alert' = 'heal', appliedHash?: string) => fakeContext({ driftDefault, ...(appliedHash ? { appliedHash } : {}) });
const web = (policy: Partial<ResourcePolicy> = {}) =>
  fakeResource('Service', 'web', {}, { hash: 'h1', policy: { drift: undefined, ignoreDifferences: [], prune: true, ...policy } });
const live = (tags: Record<string, string> | undefined): Observation => ({ exists: true, arn: 'arn:aws:ecs:us-east-1:1:service/prod/web', ...(tags ? { tags } : {}) });

test('ownership tag writes and differences, by live tags and policy', () => {
  const cases: Array<{ what: string; policy?: Partial<ResourcePolicy>; drift?: 'heal' | 'alert'; applied?: string; tags: Record<string, string> | undefined; tag: Record<string, string>; untag: string[]; paths: string[] }> = [
    { what: 'owned and recorded: nothing', tags: RECORDED, tag: {}, untag: [], paths: [] },
    { what: 'owned, not recorded, heal: the applied-hash', tags: OWNED, tag: HASH, untag: [], paths: [] },
    { what: 'owned, not recorded, alert: the applied-hash', drift: 'alert', tags: OWNED, tag: HASH, untag: [], paths: [] },
    { what: 'in a pass: the effective desired hash', applied: 'e1', tags: RECORDED, tag: { 'ecs-operator.dev/applied-hash': 'e1' }, untag: [], paths: [] },
    {
      what: 'adopted: both ownership tags, origin=adopted and the record', tags: { team: 'web' }, tag: { ...RECORDED, 'ecs-operator.dev/origin': 'adopted' }, untag: [],
      paths: ['/tags/ecs-operator.dev~1managed-by', '/tags/ecs-operator.dev~1resource', '/tags/ecs-operator.dev~1origin'],
    },
    { what: 'created: the origin stays', tags: { ...RECORDED, 'ecs-operator.dev/origin': 'created' }, tag: {}, untag: [], paths: [] },
    { what: 'owned by a version that wrote no origin: none is written (absent reads as adopted)', tags: RECORDED, tag: {}, untag: [], paths: [] },
    {
      what: 'an origin without an owner is never rewritten', tags: { 'ecs-operator.dev/origin': 'created' }, tag: RECORDED, untag: [],
      paths: ['/tags/ecs-operator.dev~1managed-by', '/tags/ecs-operator.dev~1resource'],
    },
    { what: 'annotated prune true: the tag is set', policy: { pruneAdopted: true }, tags: RECORDED, tag: { 'ecs-operator.dev/prune': 'true' }, untag: [], paths: ['/tags/ecs-operator.dev~1prune'] },
    { what: 'prune true annotation removed: the tag goes', tags: { ...RECORDED, 'ecs-operator.dev/prune': 'true' }, tag: {}, untag: ['ecs-operator.dev/prune'], paths: ['/tags/ecs-operator.dev~1prune'] },
    { what: 'prune true to false: the tag changes', policy: { prune: false }, tags: { ...RECORDED, 'ecs-operator.dev/prune': 'true' }, tag: { 'ecs-operator.dev/prune': 'false' }, untag: [], paths: ['/tags/ecs-operator.dev~1prune'] },
    { what: 'tags not read: set them all, remove nothing', tags: undefined, tag: RECORDED, untag: [], paths: ['/tags/ecs-operator.dev~1managed-by', '/tags/ecs-operator.dev~1resource'] },
    { what: 'annotated prune false: the tag is set', policy: { prune: false }, tags: RECORDED, tag: { 'ecs-operator.dev/prune': 'false' }, untag: [], paths: ['/tags/ecs-operator.dev~1prune'] },
    { what: 'annotated and tagged: nothing', policy: { prune: false }, tags: { ...RECORDED, 'ecs-operator.dev/prune': 'false' }, tag: {}, untag: [], paths: [] },
    { what: 'annotation removed: the tag goes', tags: { ...RECORDED, 'ecs-operator.dev/prune': 'false' }, tag: {}, untag: ['ecs-operator.dev/prune'], paths: ['/tags/ecs-operator.dev~1prune'] },
  ];
  for (const c of cases) {
    const resource = web(c.policy);
    assert.deepEqual(ownershipTagWrites(resource, live(c.tags), ctx(c.drift, c.applied)), { tag: c.tag, untag: c.untag }, c.what);
    assert.deepEqual(adoptionDifferences(resource, live(c.tags), ctx(c.drift, c.applied)).map((d) => d.path), c.paths, c.what);
  }
  const removed = adoptionDifferences(web(), live({ ...RECORDED, 'ecs-operator.dev/prune': 'false' }), ctx());
  assert.deepEqual(removed, [{ path: '/tags/ecs-operator.dev~1prune', desired: undefined, live: 'false' }]);
});

test('creation tags record origin=created, and the prune annotation either way', () => {
  assert.deepEqual(creationOwnershipTags(web(), ctx()), { ...OWNED, 'ecs-operator.dev/applied-hash': 'h1', 'ecs-operator.dev/origin': 'created' });
  assert.equal(creationOwnershipTags(web({ prune: false }), ctx())['ecs-operator.dev/prune'], 'false');
  assert.equal(creationOwnershipTags(web({ pruneAdopted: true }), ctx())['ecs-operator.dev/prune'], 'true');
});
