// The manifest JSON Schemas at run time: the documents normalize/schema.ts loads from schemas/ at the
// package root, compiled once per process with ajv, shared by every load.
import { Ajv, type ValidateFunction } from 'ajv';
import { KINDS, type Kind } from '../core/types.js';
import { kebabKind, resolveRef, schemaDocument, type JsonSchema } from '../normalize/schema.js';

export type { JsonSchema };

/** schemas/<file> of each kind. */
export const SCHEMA_FILES = Object.fromEntries(KINDS.map((kind) => [kind, `${kebabKind(kind)}.schema.json`])) as Record<Kind, string>;

/**
 * Extension keywords the generator writes (for the reconcilers, and patternErrorMessage, which editors'
 * YAML and JSON language servers show for a pattern); ajv must know them in strict mode.
 */
const EXTENSIONS = ['x-create-only', 'x-update-via', 'patternErrorMessage'];

let ajv: Ajv | undefined;
const validators = new Map<Kind, ValidateFunction>();

/** The parsed schema document of a kind; the schemas ship with the package, so a missing one is an Error. */
export function schemaOf(kind: Kind): JsonSchema {
  const schema = schemaDocument(kind);
  if (!schema) throw new Error(`schemas/${SCHEMA_FILES[kind]} cannot be read: the manifest schemas ship with the package`);
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

/**
 * The schema that applies at a path of raw segments under the document root, for suggestions and
 * pointer checks. Array indexes (and `*`) step into items; a map key into additionalProperties.
 */
export function schemaAt(kind: Kind, segments: readonly string[]): JsonSchema | undefined {
  const root = schemaOf(kind);
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
export function warmSchemas(): void {
  for (const kind of KINDS) validatorOf(kind);
}
