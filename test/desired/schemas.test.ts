// The committed schemas are exactly what the generator writes from the models (nobody edits them by hand),
// and the Smithy -> JSON Schema mapping keeps the constraints that matter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultModelsDir, generateSchemas } from '../../src/tools/gen-schemas.js';
import { clusterUpdateVia, loadAwsModels, serviceCreateOnly } from '../../src/tools/schema-kinds.js';
import { applyOverrides, type SmithyModel } from '../../src/tools/smithy-model.js';
import { describe as describeDoc, JsonSchemaConverter } from '../../src/tools/smithy-to-json-schema.js';
import { schemaOf as schemaOfRules } from '../../src/desired/schemas.js';
import { KIND_REGISTRY } from '../../src/kinds/registry.js';

const schemaOf = (kind: string) => schemaOfRules(KIND_REGISTRY.rules.get(kind)!);

const root = new URL('../../', import.meta.url);
type Schema = { [k: string]: any };
const definitions = (kind: Parameters<typeof schemaOf>[0]) => schemaOf(kind).definitions as Record<string, Schema>;

test('regenerating the schemas gives the committed files byte for byte', () => {
  const out = mkdtempSync(join(tmpdir(), 'schemas-'));
  try {
    const started = Date.now();
    const written = generateSchemas(defaultModelsDir(), out);
    assert.ok(Date.now() - started < 5000, 'generation takes well under a few seconds');
    const committed = readdirSync(new URL('schemas/', root)).filter((f) => f.endsWith('.schema.json')).sort();
    assert.deepEqual(written.map((p) => p.slice(out.length + 1)).sort(), committed);
    for (const file of committed) {
      const fresh = readFileSync(join(out, file), 'utf8');
      assert.equal(readFileSync(new URL(`schemas/${file}`, root), 'utf8'), fresh, `schemas/${file} differs: run npm run schemas`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('envelope: apiVersion and kind constants, ObjectMeta, the spec definition', () => {
  const schema = schemaOf('Service');
  assert.equal(schema.$id, 'https://ecs-operator.dev/schemas/v1alpha1/service.json');
  assert.deepEqual((schema.properties as Schema).kind, { const: 'Service' });
  const meta = definitions('Service').ObjectMeta!;
  assert.deepEqual(meta.required, ['name']);
  assert.equal(meta.properties.name.pattern, '^[A-Za-z0-9_-]{1,255}$');
  assert.deepEqual(meta.properties.dependsOn.items.properties.kind.enum, ['Cluster', 'TaskDefinition', 'Service', 'ServiceAutoScaling']);
});

test('constraints mapped from Smithy traits', () => {
  const td = definitions('TaskDefinition');
  assert.deepEqual(td.TaskDefinitionSpec!.required, ['containerDefinitions'], 'family is optional');
  assert.deepEqual(td.Tag!.properties.key, {
    description: 'One part of a key-value pair that make up a tag.',
    type: 'string', minLength: 1, maxLength: 128, pattern: '^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$',
  });
  assert.equal(td.TaskDefinitionSpec!.properties.tags.maxItems, 50);
  const cluster = definitions('Cluster');
  assert.deepEqual([cluster.CapacityProviderStrategyItem!.properties.weight.minimum, cluster.CapacityProviderStrategyItem!.properties.weight.maximum], [0, 1000]);
  const service = definitions('Service').ServiceSpec!;
  assert.equal(service.properties.clientToken, undefined, 'the operator sets clientToken');
  assert.equal(service.required, undefined, 'serviceName is optional');
  assert.ok(service.properties.launchType.enum.includes('MANAGED_INSTANCES'), 'enum value from the override list');
  assert.ok(service.properties.gatewayConnectors, 'member from the override list');
  assert.equal(definitions('Service').DeploymentConfiguration!.properties.strategy.enum[0], 'BLUE_GREEN');
  for (const kind of ['Cluster', 'TaskDefinition', 'Service', 'ServiceAutoScaling'] as const) {
    assert.doesNotMatch(JSON.stringify(schemaOf(kind)), /<\/?(p|code|a)\b/, `${kind}: descriptions are plain text`);
  }
});

test('Application Auto Scaling members are lowerCamelCase and lose the target identity', () => {
  const defs = definitions('ServiceAutoScaling');
  const spec = defs.ServiceAutoScalingSpec!;
  assert.deepEqual(spec.required, ['service', 'minCapacity', 'maxCapacity']);
  assert.deepEqual(Object.keys(spec.properties), ['service', 'minCapacity', 'maxCapacity', 'roleARN', 'suspendedState', 'tags', 'policies', 'scheduledActions']);
  const policy = defs.PutScalingPolicyRequest!;
  assert.deepEqual(Object.keys(policy.properties), ['policyName', 'policyType', 'stepScalingPolicyConfiguration', 'targetTrackingScalingPolicyConfiguration', 'predictiveScalingPolicyConfiguration']);
  assert.deepEqual(policy.required, ['policyName']);
  assert.equal(policy.properties.policyName.pattern, undefined, '\\p{Print} does not compile as a JS RegExp: dropped');
  assert.deepEqual(defs.TargetTrackingScalingPolicyConfiguration!.required, ['targetValue']);
  assert.deepEqual(Object.keys(defs.PutScheduledActionRequest!.properties), ['schedule', 'timezone', 'scheduledActionName', 'startTime', 'endTime', 'scalableTargetAction']);
  assert.match(defs.PutScheduledActionRequest!.properties.startTime.description, /ISO 8601/);
});

test('x-create-only and x-update-via are derived from the model', () => {
  const { ecs } = loadAwsModels(defaultModelsDir());
  assert.deepEqual(serviceCreateOnly(ecs), ['launchType', 'role', 'schedulingStrategy']);
  assert.deepEqual(definitions('Service').ServiceSpec!['x-create-only'], ['launchType', 'role', 'schedulingStrategy']);
  assert.deepEqual(clusterUpdateVia(ecs), {
    tags: 'TagResource', settings: 'UpdateCluster', configuration: 'UpdateCluster',
    capacityProviders: 'PutClusterCapacityProviders', defaultCapacityProviderStrategy: 'PutClusterCapacityProviders',
    serviceConnectDefaults: 'UpdateCluster',
  });
});

test('converter: shape types, unions, recursion and traits on a small model', () => {
  const model: SmithyModel = {
    smithy: '2.0',
    shapes: {
      'x#Node': { type: 'structure', members: { child: { target: 'x#Node' }, size: { target: 'x#Size', traits: { 'smithy.api#required': {} } } } },
      'x#Size': { type: 'intEnum', members: { S: { target: 'smithy.api#Unit', traits: { 'smithy.api#enumValue': 1 } } } },
      'x#Pick': { type: 'union', members: { a: { target: 'smithy.api#String' }, b: { target: 'x#When' } } },
      'x#When': { type: 'timestamp' },
      'x#Any': { type: 'document' },
      'x#Names': { type: 'list', member: { target: 'smithy.api#String' }, traits: { 'smithy.api#length': { min: 1, max: 3 } } },
      'x#Labels': { type: 'map', key: { target: 'smithy.api#String' }, value: { target: 'smithy.api#String' }, traits: { 'smithy.api#length': { max: 5 } } },
      'x#Old': { type: 'string', traits: { 'smithy.api#deprecated': {}, 'smithy.api#pattern': '^\\p{Print}$', 'smithy.api#enum': [{ value: 'v' }] } },
    },
  };
  const c = new JsonSchemaConverter(model);
  assert.deepEqual(c.shape('x#Node'), { $ref: '#/definitions/Node' });
  assert.deepEqual(c.definitions.get('Node')!.properties, { child: { $ref: '#/definitions/Node' }, size: { type: 'integer', enum: [1] } });
  assert.deepEqual(c.structure('x#Pick'), { type: 'object', properties: { a: { type: 'string' }, b: { description: 'An ISO 8601 date and time, e.g. 2025-01-31T22:00:00Z.', type: 'string' } }, additionalProperties: false, minProperties: 1, maxProperties: 1 });
  assert.deepEqual(c.shape('x#Any'), {});
  assert.deepEqual(c.shape('x#Names'), { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 3 });
  assert.deepEqual(c.shape('x#Labels'), { type: 'object', additionalProperties: { type: 'string' }, maxProperties: 5 });
  assert.deepEqual(c.shape('x#Old'), { deprecated: true, type: 'string', enum: ['v'] });
});

test('documentation becomes one plain sentence', () => {
  assert.equal(describeDoc('<p>The name of your <code>cluster</code>. If you don\'t specify it, you get <i>default</i>.</p>'), 'The name of your cluster.');
  assert.equal(describeDoc('<p>Use e.g. <code>256</code> here. More.</p>'), 'Use e.g. 256 here.');
  assert.equal(describeDoc('<p>a &lt;b&gt; ( c )</p>'), 'a <b> (c)');
  assert.ok(describeDoc(`<p>${'word '.repeat(100)}</p>`).length <= 201);
});

test('an override the model already has is refused, so the list shrinks when the snapshot catches up', () => {
  const model: SmithyModel = { smithy: '2.0', shapes: { 'x#S': { type: 'structure', members: { a: { target: 'smithy.api#String' } } } } };
  assert.throws(() => applyOverrides(model, { shapes: {}, members: [{ shape: 'x#S', member: 'a', target: 'smithy.api#String', documentation: '' }], enumValues: [] }), /already in the model/);
  const added = applyOverrides(model, { shapes: {}, members: [{ shape: 'x#S', member: 'b', target: 'smithy.api#String', required: true, documentation: 'B.' }], enumValues: [] });
  assert.deepEqual(Object.keys(added.shapes['x#S']!.members!), ['a', 'b']);
  assert.equal(Object.keys(model.shapes['x#S']!.members!).length, 1, 'the input model is not changed');
});

test('validation and projection read one schema document per kind, loaded once', async () => {
  const { specSchemaOf } = await import('../../src/normalize/schema.js');
  for (const kind of ['Cluster', 'TaskDefinition', 'Service', 'ServiceAutoScaling'] as const) {
    assert.equal(specSchemaOf(kind)?.root, schemaOf(kind), kind);
  }
});
