// The generated spec schemas (schemas/<kind>.schema.json) as the one description of each API input
// shape: projecting a live description onto them drops every field AWS returns but the input does
// not take (ARNs, status, counts, timestamps...), at any depth, without a hand-kept list.
import { readFileSync } from 'node:fs';
import type { JsonObject, JsonValue, Kind } from '../core/types.js';
import { isObject } from './common.js';
import { parsePointer, valueAt } from './pointer.js';

/** The subset of draft-07 the generated schemas use. */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema | JsonSchema[];
  definitions?: Record<string, JsonSchema>;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  /** On ServiceSpec: members CreateService takes and UpdateService does not. */
  'x-create-only'?: string[];
  [keyword: string]: unknown;
}

/** A kind's schema document and the node of its `spec` (still a $ref, as written). */
export interface SpecSchema {
  root: JsonSchema;
  spec: JsonSchema;
}

/** `TaskDefinition` -> `task-definition`. */
export function kebabKind(kind: Kind): string {
  return kind.replace(/[A-Z]/g, (c, i: number) => (i === 0 ? '' : '-') + c.toLowerCase());
}

/** The file of a kind's schema under schemas/: `task-definition.schema.json`. */
export function schemaFileOf(kind: Kind): string {
  return `${kebabKind(kind)}.schema.json`;
}

const documents = new Map<Kind, JsonSchema | undefined>();

/**
 * A kind's schema document, read and parsed once per process from schemas/<kebab-kind>.schema.json
 * at the package root (the same relative place from src/ under tsx and from dist/); undefined when
 * the file is missing or unreadable. The one loader: validation and projection both read it.
 */
export function schemaDocument(kind: Kind): JsonSchema | undefined {
  if (!documents.has(kind)) {
    let document: JsonSchema | undefined;
    try {
      document = JSON.parse(readFileSync(new URL(`../../schemas/${schemaFileOf(kind)}`, import.meta.url), 'utf8')) as JsonSchema;
    } catch {
      document = undefined;
    }
    documents.set(kind, document);
  }
  return documents.get(kind);
}

const loaded = new Map<Kind, SpecSchema | undefined>();

/**
 * The schema of a kind's spec (schemaDocument's `properties.spec`). undefined when the file is
 * missing or has no `properties.spec`; callers then fall back to their own member lists.
 */
export function specSchemaOf(kind: Kind): SpecSchema | undefined {
  if (!loaded.has(kind)) {
    const root = schemaDocument(kind);
    const spec = root?.properties?.spec;
    loaded.set(kind, root && spec ? { root, spec } : undefined);
  }
  return loaded.get(kind);
}

/**
 * For tests only: use `schema` for a kind instead of its file (undefined: behave as if the file were
 * missing), or with no argument forget the override and read the file again.
 */
export function setSpecSchemaForTesting(kind: Kind, ...schema: [SpecSchema | undefined] | []): void {
  if (schema.length === 0) loaded.delete(kind);
  else loaded.set(kind, schema[0]);
}

/** Follows `$ref` (local `#/...` pointers only) until a node without one. */
export function resolveRef(root: JsonSchema, node: JsonSchema): JsonSchema {
  let at = node;
  for (let hops = 0; at.$ref !== undefined && hops < 32; hops++) {
    const target = valueAt(root as JsonValue, parsePointer(at.$ref.replace(/^#/, '')));
    if (!isObject(target)) throw new Error(`schema: unresolvable $ref ${at.$ref}`);
    at = target as JsonSchema;
  }
  return at;
}

/** What projection needs to know about one schema node, worked out once per node. */
interface Compiled {
  /** Schema of each named member; `rest` for the others (a map's values), null: drop them, undefined: keep. */
  members: Map<string, JsonSchema>;
  rest: JsonSchema | null | undefined;
  items: JsonSchema | JsonSchema[] | undefined;
}

const compiled = new WeakMap<JsonSchema, Compiled>();

/** The node and every alternative of its combinators, refs resolved. */
function alternatives(root: JsonSchema, node: JsonSchema): JsonSchema[] {
  const resolved = resolveRef(root, node);
  const nested = [...(resolved.allOf ?? []), ...(resolved.anyOf ?? []), ...(resolved.oneOf ?? [])];
  return [resolved, ...nested.flatMap((n) => alternatives(root, n))];
}

function compile(root: JsonSchema, node: JsonSchema): Compiled {
  const cached = compiled.get(node);
  if (cached) return cached;
  const nodes = alternatives(root, node);
  const members = new Map<string, JsonSchema>();
  for (const n of nodes) {
    for (const [key, schema] of Object.entries(n.properties ?? {})) if (!members.has(key)) members.set(key, schema);
  }
  const map = nodes.find((n) => isObject(n.additionalProperties))?.additionalProperties as JsonSchema | undefined;
  // An object schema that names no member and allows any (a free-form document) keeps everything.
  const describesMembers = nodes.some((n) => n.properties !== undefined || n.additionalProperties === false);
  const rest = map ?? (describesMembers ? null : undefined);
  const items = nodes.map((n) => n.items).find((i) => i !== undefined);
  const result = { members, rest, items };
  compiled.set(node, result);
  return result;
}

/**
 * `value` keeping only what `schemaNode` (a node of `rootSchema`) describes: object members named in
 * `properties`, every entry of a map (`additionalProperties: <schema>`), every array element, each
 * projected recursively through `$ref`, `items`, `allOf`/`anyOf`/`oneOf`. Unknown members are dropped;
 * values the schema leaves open are kept whole. Returns a new value; the input is not changed.
 */
export function projectOntoSchema(value: JsonValue, rootSchema: JsonSchema, schemaNode: JsonSchema): JsonValue {
  const node = compile(rootSchema, schemaNode);
  if (Array.isArray(value)) {
    const items = node.items;
    if (items === undefined) return value;
    return value.map((item, i) => {
      const itemSchema = Array.isArray(items) ? items[i] : items;
      return itemSchema ? projectOntoSchema(item, rootSchema, itemSchema) : item;
    });
  }
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const key of Object.keys(value)) {
    const schema = node.members.get(key) ?? node.rest;
    if (schema === null) continue;
    out[key] = schema === undefined ? value[key]! : projectOntoSchema(value[key]!, rootSchema, schema);
  }
  return out;
}

/**
 * A live description reduced to a kind's input shape: through the generated schema when present,
 * else to the top-level `fallbackMembers` (the input members of the API, kept in each kind).
 */
export function projectSpec(kind: Kind, value: JsonObject, fallbackMembers: readonly string[]): JsonObject {
  const schema = specSchemaOf(kind);
  if (schema) return projectOntoSchema(value, schema.root, schema.spec) as JsonObject;
  const out: JsonObject = {};
  for (const key of fallbackMembers) if (value[key] !== undefined) out[key] = value[key]!;
  return out;
}
