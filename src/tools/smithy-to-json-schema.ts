// Turns Smithy shapes into JSON Schema (draft-07) fragments: structures become named definitions
// referenced with $ref (so recursive shapes work), everything else is written inline. Constraint traits
// become the matching keywords, documentation a one-sentence description.
import { localName, shapeOf, type SmithyMember, type SmithyModel, type SmithyShape, type SmithyTraits } from './smithy-model.js';

export type JsonSchema = { [keyword: string]: unknown };

export interface ConverterOptions {
  /** How member names are written in manifests (Application Auto Scaling's are lowerCamelCased). */
  memberName?: (name: string) => string;
}

/** Changes to a structure when it becomes a manifest shape. */
export interface StructureEdit {
  /** Members the operator sets itself, left out of the manifest. */
  omit?: readonly string[];
  /** Members required by the API that a manifest may leave out (defaulted from metadata.name). */
  optional?: readonly string[];
  /** Replaces the shape's own documentation. */
  description?: string;
}

// Keyword order in the output, so regenerating is byte-identical and diffs of the schemas read well.
const KEY_ORDER = [
  '$ref', 'description', 'deprecated', 'type', 'const', 'enum', 'minimum', 'maximum', 'minLength', 'maxLength',
  'pattern', 'patternErrorMessage', 'items', 'minItems', 'maxItems', 'properties', 'required', 'additionalProperties',
  'minProperties', 'maxProperties',
];

/** The schema with its keywords in the generator's fixed order (so output is byte-stable). */
export function ordered(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const key of KEY_ORDER) if (schema[key] !== undefined) out[key] = schema[key];
  for (const key of Object.keys(schema).sort()) if (!(key in out) && schema[key] !== undefined) out[key] = schema[key];
  return out;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Documentation HTML to one plain sentence (or about 200 characters, cut at a word). */
export function describe(html: string): string {
  const text = html
    .replace(/<\/?(?:p|li|ul|ol|br|dl|dt|dd|note|important)\b[^>]*>/gi, ' ') // block tags separate words
    .replace(/<[^>]*>/g, '') // inline tags (code, i, b, a) do not
    .replace(/&(\w+);/g, (all, name: string) => ENTITIES[name] ?? all)
    .replace(/\s+/g, ' ')
    .replace(/\s+([,.;:)])/g, '$1')
    .replace(/\(\s+/g, '(')
    .trim();
  // A sentence ends at . ! ? followed by a space and a capital letter or the end, not after "e.g." or "i.e.".
  const end = /(?<!\b(?:e\.g|i\.e|etc|vs))[.!?](?=\s+[A-Z(]|$)/.exec(text);
  const sentence = end ? text.slice(0, end.index + 1) : text;
  if (sentence.length <= 200) return sentence;
  const cut = sentence.slice(0, 200);
  return `${cut.slice(0, cut.lastIndexOf(' ') > 100 ? cut.lastIndexOf(' ') : 200)}…`;
}

function compilesWithUnicode(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}

// Smithy's prelude shapes that members may target directly.
const PRELUDE: Record<string, string> = {
  String: 'string', Blob: 'blob', Boolean: 'boolean', PrimitiveBoolean: 'boolean', Byte: 'byte', PrimitiveByte: 'byte',
  Short: 'short', PrimitiveShort: 'short', Integer: 'integer', PrimitiveInteger: 'integer', Long: 'long',
  PrimitiveLong: 'long', Float: 'float', PrimitiveFloat: 'float', Double: 'double', PrimitiveDouble: 'double',
  BigInteger: 'bigInteger', BigDecimal: 'bigDecimal', Timestamp: 'timestamp', Document: 'document',
};

export class JsonSchemaConverter {
  /** Every structure reached so far, by local name. */
  readonly definitions = new Map<string, JsonSchema>();
  private readonly memberName: (name: string) => string;

  constructor(
    private readonly model: SmithyModel,
    options: ConverterOptions = {},
  ) {
    this.memberName = options.memberName ?? ((name) => name);
  }

  /** A structure as an object schema, with edits; not registered as a definition. */
  structure(id: string, edit: StructureEdit = {}): JsonSchema {
    const shape = shapeOf(this.model, id);
    const properties: JsonSchema = {};
    const required: string[] = [];
    for (const [name, member] of Object.entries(shape.members ?? {})) {
      if (edit.omit?.includes(name)) continue;
      const key = this.memberName(name);
      properties[key] = this.member(member);
      if (member.traits?.['smithy.api#required'] !== undefined && !edit.optional?.includes(name)) required.push(key);
    }
    const union = shape.type === 'union';
    return ordered({
      description: edit.description ?? this.doc(shape.traits),
      type: 'object',
      properties,
      required: required.length > 0 ? required : undefined,
      additionalProperties: false,
      // A union holds exactly one of its members.
      minProperties: union ? 1 : undefined,
      maxProperties: union ? 1 : undefined,
    });
  }

  /** Registers a structure as a definition under its local name (with edits) and returns a $ref to it. */
  define(id: string, edit: StructureEdit = {}): JsonSchema {
    const name = localName(id);
    if (!this.definitions.has(name)) {
      this.definitions.set(name, {}); // placeholder first: recursive shapes refer back to it
      this.definitions.set(name, this.structure(id, edit));
    }
    return { $ref: `#/definitions/${name}` };
  }

  /** The schema of a member: its target's schema with the member's own traits on top. */
  member(member: SmithyMember): JsonSchema {
    const base = this.shape(member.target);
    const traits = member.traits ?? {};
    if (base.$ref) return ordered({ ...base, description: this.doc(traits), deprecated: this.deprecated(traits) });
    const description = this.withTimestampNote(member.target, this.doc(traits)) ?? base.description;
    return this.constrain({ ...base, description }, traits);
  }

  /** The schema of a value of shape `id`. */
  shape(id: string): JsonSchema {
    if (id.startsWith('smithy.api#')) {
      const type = PRELUDE[localName(id)];
      if (!type) throw new Error(`unsupported prelude shape ${id}`);
      return this.simple(type, {});
    }
    const shape = shapeOf(this.model, id);
    if (shape.type === 'structure' || shape.type === 'union') return this.define(id);
    const traits = shape.traits ?? {};
    const described = { description: this.withTimestampNote(id, this.doc(traits)) };
    switch (shape.type) {
      case 'list':
      case 'set':
        return this.constrain({ ...described, type: 'array', items: this.member(this.need(shape.member, id)) }, traits);
      case 'map':
        return this.constrain({ ...described, type: 'object', additionalProperties: this.member(this.need(shape.value, id)) }, traits);
      case 'enum':
      case 'intEnum':
        return this.constrain({ ...described, type: shape.type === 'enum' ? 'string' : 'integer', enum: this.enumValues(shape) }, traits);
      default:
        return this.constrain({ ...described, ...this.simple(shape.type, traits) }, traits);
    }
  }

  private simple(type: string, traits: SmithyTraits): JsonSchema {
    switch (type) {
      case 'timestamp': // ajv-formats is not installed: the format is only described
      case 'string': {
        const values = traits['smithy.api#enum'] as Array<{ value: string }> | undefined;
        return values ? { type: 'string', enum: values.map((v) => v.value) } : { type: 'string' };
      }
      case 'blob':
        return { type: 'string' };
      case 'boolean':
        return { type: 'boolean' };
      case 'byte': case 'short': case 'integer': case 'long': case 'bigInteger':
        return { type: 'integer' };
      case 'float': case 'double': case 'bigDecimal':
        return { type: 'number' };
      case 'document':
        return {};
      default:
        throw new Error(`unsupported shape type ${type}`);
    }
  }

  private enumValues(shape: SmithyShape): Array<string | number> {
    return Object.entries(shape.members ?? {}).map(([name, m]) => (m.traits?.['smithy.api#enumValue'] as string | number | undefined) ?? name);
  }

  /** Adds the range, length, pattern and deprecated traits as keywords fitting the schema's type. */
  private constrain(schema: JsonSchema, traits: SmithyTraits): JsonSchema {
    const out = { ...schema };
    const range = traits['smithy.api#range'] as { min?: number; max?: number } | undefined;
    const length = traits['smithy.api#length'] as { min?: number; max?: number } | undefined;
    const pattern = traits['smithy.api#pattern'] as string | undefined;
    const [min, max] = out.type === 'array' ? ['minItems', 'maxItems'] : out.type === 'object' ? ['minProperties', 'maxProperties'] : ['minLength', 'maxLength'];
    if (range && (out.type === 'integer' || out.type === 'number')) Object.assign(out, { minimum: range.min, maximum: range.max });
    if (range && out.type === 'array') Object.assign(out, { minItems: range.min, maxItems: range.max });
    if (length) Object.assign(out, { [min]: length.min, [max]: length.max });
    if (pattern !== undefined && out.type === 'string' && compilesWithUnicode(pattern)) out.pattern = pattern;
    out.deprecated = this.deprecated(traits) ?? out.deprecated;
    return ordered(out);
  }

  private withTimestampNote(id: string, description: string | undefined): string | undefined {
    const timestamp = id === 'smithy.api#Timestamp' || this.model.shapes[id]?.type === 'timestamp';
    if (!timestamp) return description;
    return `${description ? `${description} ` : ''}An ISO 8601 date and time, e.g. 2025-01-31T22:00:00Z.`;
  }

  private doc(traits: SmithyTraits | undefined): string | undefined {
    const html = traits?.['smithy.api#documentation'];
    return typeof html === 'string' && html.trim() !== '' ? describe(html) || undefined : undefined;
  }

  private deprecated(traits: SmithyTraits): true | undefined {
    return traits['smithy.api#deprecated'] !== undefined ? true : undefined;
  }

  private need(member: SmithyMember | undefined, id: string): SmithyMember {
    if (!member) throw new Error(`shape ${id} has no element member`);
    return member;
  }
}
