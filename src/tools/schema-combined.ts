// The combined manifest schema (schemas/manifest.schema.json) for editors: one schema for any
// manifest, each kind's schema chosen by `kind` (draft-07 if/then), so it works for a folder of mixed
// kinds and for every document of a multi-document file. Each kind's schema is embedded whole under
// definitions/<Kind>, its local $refs pointed there.
import { API_VERSION, KINDS, type Kind } from '../core/types.js';
import type { JsonSchema } from './smithy-to-json-schema.js';

/** A copy of a schema with every local `$ref` ("#/...") moved under `prefix` ("#/definitions/Cluster"). */
function rebased(node: unknown, prefix: string): unknown {
  if (Array.isArray(node)) return node.map((item) => rebased(item, prefix));
  if (node === null || typeof node !== 'object') return node;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] = key === '$ref' && typeof value === 'string' && value.startsWith('#/') ? `${prefix}${value.slice(1)}` : rebased(value, prefix);
  }
  return out;
}

/** The combined schema of the kinds' schemas. */
export function combinedSchema(schemas: Record<Kind, JsonSchema>): JsonSchema {
  const definitions: JsonSchema = {};
  for (const kind of KINDS) {
    const { $schema: _, $id: __, ...body } = schemas[kind];
    definitions[kind] = rebased(body, `#/definitions/${kind}`);
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://ecs-operator.dev/schemas/v1alpha1/manifest.json',
    title: 'ecs-operator manifest',
    description: `Any ecs-operator manifest (${KINDS.join(', ')}): the schema of its kind applies.`,
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: { apiVersion: { const: API_VERSION }, kind: { enum: [...KINDS] }, metadata: { type: 'object' }, spec: { type: 'object' } },
    allOf: KINDS.map((kind) => ({
      if: { properties: { kind: { const: kind } }, required: ['kind'] },
      then: { $ref: `#/definitions/${kind}` },
    })),
    definitions,
  };
}
