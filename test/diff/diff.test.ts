// The generic comparison, ignore-differences removal and both renderings (git-style diff, one line per field).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject, JsonValue } from '../../src/core/types.js';
import { diffJson, withoutPaths } from '../../src/diff/diff.js';
import { formatDifferences, renderUnifiedDiff } from '../../src/diff/render.js';

test('diffJson: equal values have no difference', () => {
  const cases: Array<[JsonValue | undefined, JsonValue | undefined]> = [
    [undefined, undefined], [1, 1], ['a', 'a'], [null, null], [[1, 2], [1, 2]],
    [{ a: { b: [{ c: 1 }] } }, { a: { b: [{ c: 1 }] } }], [{ x: 1, y: 2 }, { y: 2, x: 1 }],
  ];
  for (const [d, l] of cases) assert.deepEqual(diffJson(d, l), [], JSON.stringify([d, l]));
});

test('diffJson: objects by key, arrays by index, scalars strictly', () => {
  const cases: Array<{ name: string; desired: JsonValue; live: JsonValue; want: unknown }> = [
    { name: 'changed scalar', desired: { desiredCount: 3 }, live: { desiredCount: 2 }, want: [{ path: '/desiredCount', desired: 3, live: 2 }] },
    { name: 'no type coercion', desired: { cpu: '256' }, live: { cpu: 256 }, want: [{ path: '/cpu', desired: '256', live: 256 }] },
    { name: 'key only desired', desired: { a: 1, b: { c: 1 } }, live: { a: 1 }, want: [{ path: '/b', desired: { c: 1 }, live: undefined }] },
    { name: 'key only live', desired: {}, live: { role: 'x' }, want: [{ path: '/role', desired: undefined, live: 'x' }] },
    { name: 'scalar array as a whole', desired: { subnets: ['a', 'c'] }, live: { subnets: ['a', 'b'] }, want: [{ path: '/subnets', desired: ['a', 'c'], live: ['a', 'b'] }] },
    {
      name: 'object array by index',
      desired: { c: [{ image: 'x:2' }, { image: 'y' }] },
      live: { c: [{ image: 'x:1' }, { image: 'y' }, { image: 'z' }] },
      want: [
        { path: '/c/0/image', desired: 'x:2', live: 'x:1' },
        { path: '/c/2', desired: undefined, live: { image: 'z' } },
      ],
    },
    { name: 'type change', desired: { a: [1] }, live: { a: { 0: 1 } }, want: [{ path: '/a', desired: [1], live: { 0: 1 } }] },
    { name: 'escaped keys', desired: { labels: { 'a/b': '1', 'c~d': '1' } }, live: { labels: { 'a/b': '2', 'c~d': '2' } },
      want: [{ path: '/labels/a~1b', desired: '1', live: '2' }, { path: '/labels/c~0d', desired: '1', live: '2' }] },
    { name: 'sorted key order', desired: { b: 1, a: 1 }, live: { b: 2, a: 2 }, want: [{ path: '/a', desired: 1, live: 2 }, { path: '/b', desired: 1, live: 2 }] },
  ];
  for (const c of cases) assert.deepEqual(diffJson(c.desired, c.live), c.want, c.name);
});

test('diffJson: base path and whole-value differences', () => {
  assert.deepEqual(diffJson(1, 2, '/spec'), [{ path: '/spec', desired: 1, live: 2 }]);
  assert.deepEqual(diffJson({ a: 1 }, undefined), [{ path: '', desired: { a: 1 }, live: undefined }]);
});

test('withoutPaths: exact pointers, * for any index or key, escapes, no match', () => {
  const containers: JsonObject[] = [{ name: 'a', image: 'x', environment: [{ name: 'A' }] }, { name: 'b', image: 'y' }];
  const spec: JsonObject = {
    containerDefinitions: containers,
    dockerLabels: { 'a/b': '1', keep: '2' },
    desiredCount: 2,
  };
  const cases: Array<{ pointers: string[]; want: JsonValue }> = [
    { pointers: ['/desiredCount'], want: { containerDefinitions: containers, dockerLabels: { 'a/b': '1', keep: '2' } } },
    { pointers: ['/containerDefinitions/*/image'], want: { ...spec, containerDefinitions: [{ name: 'a', environment: [{ name: 'A' }] }, { name: 'b' }] } },
    { pointers: ['/containerDefinitions/1'], want: { ...spec, containerDefinitions: [containers[0]!] } },
    { pointers: ['/dockerLabels/a~1b'], want: { ...spec, dockerLabels: { keep: '2' } } },
    { pointers: ['/dockerLabels/*'], want: { ...spec, dockerLabels: {} } },
    { pointers: ['/nothing/here', '/containerDefinitions/7/image', ''], want: spec },
  ];
  for (const c of cases) assert.deepEqual(withoutPaths(spec, c.pointers), c.want, c.pointers.join(','));
  assert.equal(containers[0]!.image, 'x', 'the input is not changed');
});

test('renderUnifiedDiff: git-style headers, - live, + desired', () => {
  const out = renderUnifiedDiff('Service/web', { desiredCount: 3, launchType: 'FARGATE' }, { desiredCount: 2, launchType: 'FARGATE' });
  assert.equal(out, [
    '--- live Service/web', '+++ desired Service/web', '@@ -1,2 +1,2 @@', '-desiredCount: 2', '+desiredCount: 3', ' launchType: FARGATE', '',
  ].join('\n'));
});

test('renderUnifiedDiff: equal is empty, creation is all +, deletion all -, key order is stable', () => {
  assert.equal(renderUnifiedDiff('x', { b: 1, a: [1] }, { a: [1], b: 1 }), '');
  const created = renderUnifiedDiff('Cluster/prod', { clusterName: 'prod' }, undefined);
  assert.equal(created, '--- live Cluster/prod\n+++ desired Cluster/prod\n@@ -0,0 +1,1 @@\n+clusterName: prod\n');
  const deleted = renderUnifiedDiff('Cluster/prod', undefined, { clusterName: 'prod' });
  assert.match(deleted, /@@ -1,1 \+0,0 @@\n-clusterName: prod\n$/);
});

test('renderUnifiedDiff: context lines and colour', () => {
  const long = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${String(i).padStart(2, '0')}`, i]));
  const out = renderUnifiedDiff('t', { ...long, k10: 'x' }, long, { context: 1 });
  assert.deepEqual(out.split('\n').slice(2, 7), ['@@ -10,3 +10,3 @@', ' k09: 9', '-k10: 10', '+k10: x', ' k11: 11']);
  const colored = renderUnifiedDiff('t', { a: 2 }, { a: 1 }, { color: true });
  assert.ok(colored.includes('\x1b[31m-a: 1\x1b[0m') && colored.includes('\x1b[32m+a: 2\x1b[0m') && colored.includes('\x1b[36m@@'));
});

test('renderUnifiedDiff: long strings are not folded', () => {
  const command = 'x'.repeat(200);
  const out = renderUnifiedDiff('t', { command }, { command: 'y' });
  assert.ok(out.includes(`+command: ${command}\n`));
});

test('formatDifferences: one compact line, live -> desired', () => {
  assert.deepEqual(formatDifferences([
    { path: '/desiredCount', desired: 3, live: 2 },
    { path: '/loadBalancers/1', desired: { containerName: 'web' }, live: undefined },
    { path: '/role', desired: undefined, live: 'x' },
    { path: '', desired: 'a'.repeat(300), live: null },
  ]), [
    '/desiredCount: 2 -> 3',
    '/loadBalancers/1: (absent) -> {"containerName":"web"}',
    '/role: "x" -> (absent)',
    `/: null -> "${'a'.repeat(118)}…`,
  ]);
});
