// Accepting what real tools write, before the schema sees it: a kind's export envelope unwrapped
// (KindRules.dropIn: the whole describe-task-definition output, a describe-services output), and empty
// strings for enum members treated as absent (ecspresso, and other tools on the Go SDK, write `""` for
// an unset enum: `"pidMode": ""`). Each is told as a warning naming the field.
import type { JsonObject, JsonValue } from '../core/types.js';
import { isObject } from '../normalize/common.js';
import { formatPointer } from '../normalize/pointer.js';
import { resolveRef } from '../normalize/schema.js';
import type { Finding } from './finding.js';
import { schemaOf, type JsonSchema, type SchemaSource } from './schemas.js';

/** What a kind's dropIn hook makes of a spec written as an export. */
export interface DropIn {
  /** The spec to load in its place. */
  spec: JsonObject;
  /** Where a pointer into the new document (`/spec/...`) was written; identity when absent. */
  written?(pointer: string): string;
  /** What to tell about it (a warning at least), at paths as written. */
  findings: Finding[];
}

/** `/spec/x/y` under a new prefix: `/spec` + `prefix` + `/x/y`; other pointers unchanged. */
export function movedUnder(prefix: string, keep: (pointer: string) => boolean = () => false): (pointer: string) => string {
  return (pointer) => (keep(pointer) || !(pointer === '/spec' || pointer.startsWith('/spec/')) ? pointer : `/spec${prefix}${pointer.slice('/spec'.length)}`);
}

/** The schema of a child of an object or array node, refs resolved; undefined when the schema says nothing. */
function childSchema(root: JsonSchema, node: JsonSchema, key: string | number): JsonSchema | undefined {
  const child = typeof key === 'number'
    ? (Array.isArray(node.items) ? undefined : node.items)
    : (node.properties?.[key] ?? (isObject(node.additionalProperties) ? (node.additionalProperties as JsonSchema) : undefined));
  return child ? resolveRef(root, child) : undefined;
}

/**
 * Deletes every `""` written where the kind's schema has an enum without "" (at any depth, in place)
 * and returns one warning per deletion, at its path. Values of the wrong shape are left to the schema.
 */
export function dropEmptyEnums(rules: SchemaSource, document: JsonObject): Finding[] {
  const root = schemaOf(rules);
  const findings: Finding[] = [];
  const walk = (value: JsonValue, schema: JsonSchema, path: Array<string | number>) => {
    const entries: Array<[string | number, JsonValue]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : isObject(value) ? Object.entries(value) : [];
    for (const [key, child] of entries) {
      const sub = childSchema(root, schema, key);
      if (!sub) continue;
      const enumeration = sub.enum as unknown[] | undefined;
      if (child === '' && enumeration && !enumeration.includes('') && !Array.isArray(value)) {
        delete (value as JsonObject)[key as string];
        const member = String(key);
        findings.push({ path: formatPointer([...path, key]), severity: 'warning', message: `${member} is "" (how some tools write an unset value): treated as absent` });
      } else {
        walk(child, sub, [...path, key]);
      }
    }
  };
  walk(document, resolveRef(root, root), []);
  return findings;
}
