// The combined manifest schema (schemas/manifest.schema.json) for editors: one schema for any
// manifest, each kind's schema chosen by `kind` (draft-07 if/then), so it works for a folder of mixed
// kinds and for every document of a multi-document file. Each kind's schema is embedded whole under
// definitions/<Kind>, its local $refs pointed there. The kinds are the reconciled ones and Environment.
import { API_VERSION } from '../core/types.js';
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

/** The combined schema of the kinds' schemas, by kind name (in the order given). */
export function combinedSchema(schemas: Record<string, JsonSchema>): JsonSchema {
  const kinds = Object.keys(schemas);
  const definitions: JsonSchema = {};
  for (const kind of kinds) {
    const { $schema: _, $id: __, ...body } = schemas[kind]!;
    definitions[kind] = rebased(body, `#/definitions/${kind}`);
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://ecs-operator.dev/schemas/v1alpha1/manifest.json',
    title: 'ecs-operator manifest',
    description: `Any ecs-operator manifest (${kinds.join(', ')}): the schema of its kind applies.`,
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: { apiVersion: { const: API_VERSION }, kind: { enum: kinds }, metadata: { type: 'object' }, spec: { type: 'object' } },
    allOf: kinds.map((kind) => ({
      if: { properties: { kind: { const: kind } }, required: ['kind'] },
      then: { $ref: `#/definitions/${kind}` },
    })),
    definitions,
  };
}
