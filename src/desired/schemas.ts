// The manifest JSON Schemas at run time: each kind's document (its rules hand it over), compiled once
// per process with ajv, shared by every load.
import { Ajv, type ValidateFunction } from 'ajv';
import { resolveRef, type JsonSchema } from '../normalize/schema.js';
import type { Kind } from '../core/types.js';

export type { JsonSchema };

/** Where a kind's schema document comes from (its KindRules, see kind-rules.ts). */
export interface SchemaSource {
  readonly kind: Kind;
  /** The same document every call; undefined when it cannot be had. */
  schema(): JsonSchema | undefined;
}

/**
 * Extension keywords the generator writes (for the reconcilers, and patternErrorMessage, which editors'
 * YAML and JSON language servers show for a pattern); ajv must know them in strict mode.
 */
const EXTENSIONS = ['x-create-only', 'x-update-via', 'patternErrorMessage'];

let ajv: Ajv | undefined;
/** By schema document: a kind's rules hand back the same document every call, compiled once. */
const validators = new WeakMap<JsonSchema, ValidateFunction>();

/** The schema document of a kind; the schemas ship with the package, so a missing one is an Error. */
export function schemaOf(rules: SchemaSource): JsonSchema {
  const schema = rules.schema();
  if (!schema) throw new Error(`the ${rules.kind} manifest schema cannot be read: the manifest schemas ship with the package`);
  return schema;
}

/** The compiled validator of a kind: compiled on first use, then reused. Reports every error (allErrors). */
export function validatorOf(rules: SchemaSource): ValidateFunction {
  const schema = schemaOf(rules);
  let validate = validators.get(schema);
  if (!validate) {
    ajv ??= new Ajv({ allErrors: true, verbose: true, strict: true }).addVocabulary(EXTENSIONS);
    validate = ajv.compile(schema);
    validators.set(schema, validate);
  }
  return validate;
}

/**
 * The schema that applies at a path of raw segments under the document root, for suggestions and
 * pointer checks. Array indexes (and `*`) step into items; a map key into additionalProperties.
 */
export function schemaAt(rules: SchemaSource, segments: readonly string[]): JsonSchema | undefined {
  const root = schemaOf(rules);
  let current = resolveRef(root, root);
  for (const segment of segments) {
    if (current.type === undefined && current.properties === undefined) continue; // "anything": no constraint below
    let next: JsonSchema | undefined;
    if (current.type === 'array') next = segment === '*' || /^\d+$/.test(segment) ? (current.items as JsonSchema) : undefined;
    else if (current.properties?.[segment]) next = current.properties[segment];
    else if (typeof current.additionalProperties === 'object') next = current.additionalProperties;
    if (!next) return undefined;
    current = resolveRef(root, next);
  }
  return current;
}

/** Property names allowed by an object schema. */
export function propertyNames(schema: JsonSchema | undefined): string[] {
  return Object.keys(schema?.properties ?? {});
}

/** Compiles every kind now (start-up cost paid once, e.g. before a benchmark or a long-running loop). */
export function warmSchemas(kinds: ReadonlyMap<Kind, SchemaSource>): void {
  for (const rules of kinds.values()) validatorOf(rules);
}
