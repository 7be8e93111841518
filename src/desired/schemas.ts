// The manifest JSON Schemas at run time: read from schemas/ at the package root (the same relative URL
// works from src/ under tsx and from dist/), compiled once per process with ajv, shared by every load.
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { KINDS, type Kind } from '../core/types.js';

export type JsonSchema = { [keyword: string]: unknown };

/** schemas/<file> of each kind. */
export const SCHEMA_FILES: Record<Kind, string> = {
  Cluster: 'cluster.schema.json',
  TaskDefinition: 'task-definition.schema.json',
  Service: 'service.schema.json',
  ServiceAutoScaling: 'service-auto-scaling.schema.json',
};

/** Extension keywords the generator writes for the reconcilers; ajv must know them in strict mode. */
const EXTENSIONS = ['x-create-only', 'x-update-via'];

let ajv: Ajv | undefined;
const documents = new Map<Kind, JsonSchema>();
const validators = new Map<Kind, ValidateFunction>();

/** The parsed schema document of a kind (cached). */
export function schemaOf(kind: Kind): JsonSchema {
  let schema = documents.get(kind);
  if (!schema) {
    const url = new URL(`../../schemas/${SCHEMA_FILES[kind]}`, import.meta.url);
    schema = JSON.parse(readFileSync(url, 'utf8')) as JsonSchema;
    documents.set(kind, schema);
  }
  return schema;
}

/** The compiled validator of a kind: compiled on first use, then reused. Reports every error (allErrors). */
export function validatorOf(kind: Kind): ValidateFunction {
  let validate = validators.get(kind);
  if (!validate) {
    ajv ??= new Ajv({ allErrors: true, verbose: true, strict: true }).addVocabulary(EXTENSIONS);
    validate = ajv.compile(schemaOf(kind));
    validators.set(kind, validate);
  }
  return validate;
}

/** Follows a local `#/definitions/X` reference (or returns the schema itself). */
export function deref(kind: Kind, schema: JsonSchema): JsonSchema {
  let current = schema;
  for (let hops = 0; typeof current.$ref === 'string' && hops < 8; hops++) {
    const name = current.$ref.replace('#/definitions/', '');
    const definitions = schemaOf(kind).definitions as Record<string, JsonSchema>;
    current = definitions[name] ?? {};
  }
  return current;
}

/**
 * The schema that applies at a path of raw segments under the document root, for suggestions and
 * pointer checks. Array indexes (and `*`) step into items; a map key into additionalProperties.
 */
export function schemaAt(kind: Kind, segments: readonly string[]): JsonSchema | undefined {
  let current: JsonSchema = deref(kind, schemaOf(kind));
  for (const segment of segments) {
    if (current.type === undefined && current.properties === undefined) continue; // "anything": no constraint below
    const properties = current.properties as Record<string, JsonSchema> | undefined;
    let next: JsonSchema | undefined;
    if (current.type === 'array') next = segment === '*' || /^\d+$/.test(segment) ? (current.items as JsonSchema) : undefined;
    else if (properties?.[segment]) next = properties[segment];
    else if (typeof current.additionalProperties === 'object') next = current.additionalProperties as JsonSchema;
    if (!next) return undefined;
    current = deref(kind, next);
  }
  return current;
}

/** Property names allowed by an object schema. */
export function propertyNames(schema: JsonSchema | undefined): string[] {
  return Object.keys((schema?.properties as Record<string, unknown> | undefined) ?? {});
}

/** Compiles every kind now (start-up cost paid once, e.g. before a benchmark or a long-running loop). */
export function warmSchemas(): void {
  for (const kind of KINDS) validatorOf(kind);
}
