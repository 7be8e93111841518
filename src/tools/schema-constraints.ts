// Writes the constraint rows one JSON Schema keyword can say (src/desired/constraints.ts inSchema:
// required, ranges, list lengths, formats) into a generated kind schema, so editors flag them and ajv
// reports them. A row whose keyword the model already sets is refused: one source for each rule.
import { inSchema, type Constraint } from '../desired/constraints.js';
import { parsePointer } from '../normalize/pointer.js';
import { ordered, type JsonSchema } from './smithy-to-json-schema.js';

type Node = JsonSchema & { $ref?: string; properties?: Record<string, JsonSchema>; items?: JsonSchema; required?: string[] };

/** The definition a node refers to (`#/definitions/X`), with its name; the node itself when inline. */
function resolve(root: JsonSchema, node: Node): { node: Node; definition?: string } {
  if (node.$ref === undefined) return { node };
  const name = node.$ref.replace('#/definitions/', '');
  const target = (root.definitions as Record<string, Node>)[name];
  if (!target) throw new Error(`schema: unresolvable $ref ${node.$ref}`);
  return { node: target, definition: name };
}

/** The object schema holding the row's member, and the member's name. */
function parentOf(root: JsonSchema, row: Constraint): { parent: Node; definition?: string; member: string } {
  const segments = parsePointer(row.at);
  const member = segments.pop()!;
  let at = resolve(root, root as Node);
  for (const segment of segments) {
    const next = segment === '*' ? at.node.items : at.node.properties?.[segment];
    if (!next) throw new Error(`constraint ${row.id}: ${row.at} is not in the schema (no ${segment})`);
    at = resolve(root, next as Node);
  }
  if (!at.node.properties?.[member]) throw new Error(`constraint ${row.id}: ${row.at} is not in the schema (no ${member})`);
  return { parent: at.node, definition: at.definition, member };
}

/** The keywords a row sets on its member's schema. */
function keywords(row: Constraint): JsonSchema {
  const c = row.check;
  if ('range' in c) return { minimum: c.range.min, maximum: c.range.max };
  if ('items' in c) return { minItems: c.items.min, maxItems: c.items.max };
  if ('format' in c) return { pattern: c.format.source, patternErrorMessage: `must be ${c.says}` };
  return {};
}

/** Sets every schema row of `rows` on `root` (a kind's whole schema document), in place. */
export function applyConstraints(root: JsonSchema, rows: readonly Constraint[]): void {
  for (const row of rows.filter(inSchema)) {
    const { parent, definition, member } = parentOf(root, row);
    let updated: Node;
    if ('required' in row.check) {
      if (parent.required?.includes(member)) throw new Error(`constraint ${row.id}: the model already requires ${member}`);
      updated = ordered({ ...parent, required: [...(parent.required ?? []), member] });
    } else {
      const own = parent.properties![member] as Node;
      if (own.$ref !== undefined) throw new Error(`constraint ${row.id}: ${member} is a $ref; put the row on its members`);
      const add = Object.fromEntries(Object.entries(keywords(row)).filter(([, v]) => v !== undefined));
      for (const key of Object.keys(add)) if (own[key] !== undefined) throw new Error(`constraint ${row.id}: the model already sets ${key} on ${row.at}`);
      updated = { ...parent, properties: { ...parent.properties, [member]: ordered({ ...own, ...add }) } };
    }
    if (definition) (root.definitions as Record<string, JsonSchema>)[definition] = updated;
    else Object.assign(parent, updated);
  }
}
