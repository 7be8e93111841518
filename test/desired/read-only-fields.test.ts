// Each kind's list of fields only AWS sets, checked against the models: every Describe output member the
// create input does not take is on the list, and nothing on the list is an input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultModelsDir } from '../../src/tools/gen-schemas.js';
import { loadAwsModels } from '../../src/tools/schema-kinds.js';
import { schemaOf as schemaOfRules } from '../../src/desired/schemas.js';
import { KIND_MODULES, KIND_REGISTRY } from '../../src/kinds/registry.js';

const MANIFEST_RULES = Object.fromEntries(Object.values(KIND_MODULES).map((m) => [m.kind, m.rules]));
const schemaOf = (kind: string) => schemaOfRules(KIND_REGISTRY.rules.get(kind)!);

const { ecs } = loadAwsModels(defaultModelsDir());
const members = (shape: string) => Object.keys(ecs.shapes[`com.amazonaws.ecs#${shape}`]!.members ?? {});

const cases = [
  { kind: 'TaskDefinition', output: 'TaskDefinition', input: 'RegisterTaskDefinitionRequest' },
  { kind: 'Service', output: 'Service', input: 'CreateServiceRequest' },
  { kind: 'Cluster', output: 'Cluster', input: 'CreateClusterRequest' },
] as const;

for (const { kind, output, input } of cases) {
  test(`${kind}: read-only fields = ${output} members that ${input} does not take`, () => {
    const readOnly = MANIFEST_RULES[kind]!.readOnlyFields;
    const inputs = new Set(members(input));
    const fromModel = members(output).filter((m) => !inputs.has(m));
    assert.deepEqual(fromModel.filter((m) => !readOnly.includes(m)), [], 'missing from the list');
    const specProperties = Object.keys((schemaOf(kind).definitions as Record<string, { properties: object }>)[`${kind}Spec`]!.properties);
    assert.deepEqual(readOnly.filter((m) => specProperties.includes(m)), [], 'listed but an input field');
  });
}

test('ServiceAutoScaling has no read-only fields: its spec is composed, not exported', () => {
  assert.deepEqual(MANIFEST_RULES.ServiceAutoScaling!.readOnlyFields, []);
});
