// The generic normalization helpers: JSON conversion, emptiness, sorting, pointers, references, tags,
// server-computed fields and schema projection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../src/core/types.js';
import { canonicalKeys, pruneEmpty, sortBy, toJson } from '../../src/normalize/common.js';
import { parsePointer, formatPointer, removeMatching } from '../../src/normalize/pointer.js';
import { clusterName, isArn, roleName } from '../../src/normalize/references.js';
import { kebabKind, projectOntoSchema, specSchemaOf, type JsonSchema } from '../../src/normalize/schema.js';
import { dropServerComputed } from '../../src/normalize/server-computed.js';
import { normalizeTags, tagChanges } from '../../src/normalize/tags.js';

test('toJson: SDK values to plain JSON', () => {
  const sdk = {
    createdAt: new Date('2024-12-03T21:24:25.225Z'),
    blob: new Uint8Array([104, 105]),
    missing: undefined,
    list: [1, undefined, 'a'],
    nested: { n: Number.NaN, ok: true, fn: () => 1 },
  };
  assert.deepEqual(toJson(sdk), {
    createdAt: '2024-12-03T21:24:25.225Z', blob: 'aGk=', list: [1, null, 'a'], nested: { n: null, ok: true },
  });
  assert.equal(toJson(undefined), undefined);
});

test('pruneEmpty: null, undefined, [] and {} are absent at any depth', () => {
  const cases: Array<[unknown, unknown]> = [
    [{ a: null, b: [], c: {}, d: 0, e: '', f: false }, { d: 0, e: '', f: false }],
    [{ linuxParameters: { capabilities: { add: [], drop: [] }, devices: [] } }, undefined],
    [{ list: [null, {}, [], 1] }, { list: [1] }],
    [[], undefined],
    [null, undefined],
  ];
  for (const [input, want] of cases) assert.deepEqual(pruneEmpty(input as JsonObject), want, JSON.stringify(input));
});

test('sortBy: stable, tuple keys, numbers numerically, absent first, ties by content', () => {
  const ports = [{ p: 8080, t: 'udp' }, { p: 443 }, { p: 8080, t: 'tcp' }, { t: 'tcp' }];
  assert.deepEqual(sortBy(ports, (x) => [x.p, x.t]), [{ t: 'tcp' }, { p: 443 }, { p: 8080, t: 'tcp' }, { p: 8080, t: 'udp' }]);
  const a = sortBy([{ name: 'X', value: '2' }, { name: 'X', value: '1' }], (e) => e.name);
  const b = sortBy([{ name: 'X', value: '1' }, { name: 'X', value: '2' }], (e) => e.name);
  assert.deepEqual(a, b, 'same elements in any order sort identically');
  assert.deepEqual(sortBy(['b', 'a', 'B'], (s) => s), ['B', 'a', 'b']);
});

test('canonicalKeys: sorted keys at every depth, arrays keep their order', () => {
  const out = canonicalKeys({ b: 1, a: [{ z: 1, y: 2 }, 3] });
  assert.deepEqual(Object.keys(out as JsonObject), ['a', 'b']);
  assert.deepEqual(JSON.stringify(out), '{"a":[{"y":2,"z":1},3],"b":1}');
});

test('pointers: parse, format, remove with *', () => {
  assert.deepEqual(parsePointer('/a~1b/c~0d/0'), ['a/b', 'c~d', '0']);
  assert.equal(formatPointer(['a/b', 'c~d']), '/a~1b/c~0d');
  assert.deepEqual(parsePointer(''), []);
  const value: JsonObject = { l: [{ x: 1, y: 2 }, { x: 3 }] };
  assert.deepEqual(removeMatching(value, ['l', '*', 'x']), { l: [{ y: 2 }, {}] });
  assert.deepEqual(removeMatching(value, ['l', '*'], (path) => path[1] === '0'), { l: [{ x: 3 }] });
  assert.equal(removeMatching(value, ['nope']), value, 'nothing matched: the same object');
});

test('references: cluster and role names from names, paths and ARNs', () => {
  assert.equal(isArn('arn:aws:ecs:us-east-1:123456789012:cluster/prod'), true);
  assert.equal(isArn('prod'), false);
  for (const v of ['prod', 'arn:aws:ecs:us-east-1:123456789012:cluster/prod', 'arn:aws-cn:ecs:cn-north-1:123456789012:cluster/prod']) {
    assert.equal(clusterName(v), 'prod', v);
  }
  for (const v of ['ecsServiceRole', '/ecs/ecsServiceRole', 'arn:aws:iam::123456789012:role/ecs/ecsServiceRole', 'arn:aws:iam::123456789012:role/ecsServiceRole']) {
    assert.equal(roleName(v), 'ecsServiceRole', v);
  }
});

test('tags: sorted by key, ownership and aws: tags never compared nor changed', () => {
  const live = [
    { key: 'team', value: 'web' }, { key: 'ecs-operator.dev/managed-by', value: 'default' },
    { key: 'aws:cloudformation:stack-name', value: 's' }, { key: 'env', value: 'prod' },
  ];
  assert.deepEqual(normalizeTags(live), [{ key: 'env', value: 'prod' }, { key: 'team', value: 'web' }]);
  assert.equal(normalizeTags([{ key: 'ecs-operator.dev/resource', value: 'Service/web' }]), undefined);
  assert.deepEqual(tagChanges([{ key: 'env', value: 'staging' }, { key: 'new', value: '1' }], live), {
    tag: [{ key: 'env', value: 'staging' }, { key: 'new', value: '1' }], untagKeys: ['team'],
  });
});

test('dropServerComputed: only where the desired side does not set the field', () => {
  const rules = [
    { path: '/launchType', alsoWhenDesiredLacks: ['/capacityProviderStrategy'], why: '' },
    { path: '/s/*/dns', why: '' },
  ];
  const live = { launchType: 'EC2', s: [{ dns: 'a.ns' }, { dns: 'b.ns' }] };
  assert.deepEqual(dropServerComputed({}, live, rules), { s: [{}, {}] });
  assert.deepEqual(dropServerComputed({ s: [{ dns: 'x' }] }, live, rules), { s: [{ dns: 'a.ns' }, {}] });
  assert.deepEqual(dropServerComputed({ capacityProviderStrategy: [{}] }, live, rules).launchType, 'EC2');
  assert.deepEqual(dropServerComputed({ launchType: 'FARGATE' }, live, rules).launchType, 'EC2');
});

/** The generated schemas' layout: $ref to definitions, additionalProperties false, maps, lists. */
const fixtureSchema: JsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  properties: { spec: { $ref: '#/definitions/ThingSpec' } },
  definitions: {
    ThingSpec: {
      type: 'object',
      additionalProperties: false,
      properties: {
        name: { type: 'string' },
        containers: { type: 'array', items: { $ref: '#/definitions/Container' } },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        options: { type: 'object', additionalProperties: { $ref: '#/definitions/Option' } },
        document: {},
        either: { oneOf: [{ $ref: '#/definitions/Option' }, { type: 'object', properties: { other: { type: 'string' } }, additionalProperties: false }] },
      },
    },
    Container: { type: 'object', additionalProperties: false, properties: { name: { type: 'string' }, ports: { type: 'array', items: { type: 'integer' } } } },
    Option: { type: 'object', additionalProperties: false, properties: { value: { type: 'string' } } },
  },
};

test('projectOntoSchema: keeps what the input schema knows, at every depth', () => {
  const live = {
    name: 'n', arn: 'arn:...', status: 'ACTIVE',
    containers: [{ name: 'c', ports: [80], runtimeId: 'x' }],
    labels: { any: 'kept', 'a/b': 'kept' },
    options: { o1: { value: 'v', computed: 1 } },
    document: { free: { form: true } },
    either: { value: 'v', other: 'o', neither: 1 },
  };
  assert.deepEqual(projectOntoSchema(live, fixtureSchema, fixtureSchema.properties!.spec!), {
    name: 'n',
    containers: [{ name: 'c', ports: [80] }],
    labels: { any: 'kept', 'a/b': 'kept' },
    options: { o1: { value: 'v' } },
    document: { free: { form: true } },
    either: { value: 'v', other: 'o' },
  });
  assert.throws(() => projectOntoSchema({ x: 1 }, fixtureSchema, { $ref: '#/definitions/Missing' }), /unresolvable/);
});

test('specSchemaOf: kebab file names; a missing schema is undefined, not an error', () => {
  assert.equal(kebabKind('TaskDefinition'), 'task-definition');
  assert.equal(kebabKind('ServiceAutoScaling'), 'service-auto-scaling');
  const schema = specSchemaOf('Service');
  if (schema) assert.ok(schema.root.definitions && schema.spec.$ref, 'generated schema has the agreed layout');
  else assert.equal(schema, undefined);
});
