// The slice of the Smithy JSON AST the schema generator reads, how a model file is loaded, and how the
// override list (schema-overrides.ts) is folded into a model before anything is derived from it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type SmithyTraits = Record<string, unknown>;

export interface SmithyMember {
  target: string;
  traits?: SmithyTraits;
}

export interface SmithyShape {
  type: string;
  /** structure, union, enum and intEnum members, in the model's order. */
  members?: Record<string, SmithyMember>;
  /** list element. */
  member?: SmithyMember;
  /** map key and value. */
  key?: SmithyMember;
  value?: SmithyMember;
  /** operation input and output. */
  input?: { target: string };
  output?: { target: string };
  traits?: SmithyTraits;
}

export interface SmithyModel {
  smithy: string;
  shapes: Record<string, SmithyShape>;
}

/** A member the installed SDK knows and the model snapshot lacks. */
export interface AddedMember {
  /** Structure (or union) shape id the member is added to. */
  shape: string;
  member: string;
  target: string;
  required?: boolean;
  documentation: string;
}

/** Enum values the installed SDK knows and the model snapshot lacks. */
export interface AddedEnumValues {
  shape: string;
  values: string[];
}

export interface ModelOverrides {
  /** New shapes, by absolute shape id, in Smithy AST form. */
  shapes: Record<string, SmithyShape>;
  members: AddedMember[];
  enumValues: AddedEnumValues[];
}

/** Reads one model file of the models folder. */
export function loadModel(modelsDir: string, file: string): SmithyModel {
  return JSON.parse(readFileSync(join(modelsDir, file), 'utf8')) as SmithyModel;
}

/** The shape with this id; throws when the model has none, because a generator run must not guess. */
export function shapeOf(model: SmithyModel, id: string): SmithyShape {
  const shape = model.shapes[id];
  if (!shape) throw new Error(`shape ${id} is not in the model`);
  return shape;
}

/** The input structure of an operation. */
export function operationInput(model: SmithyModel, operationId: string): SmithyShape {
  const target = shapeOf(model, operationId).input?.target;
  if (!target) throw new Error(`operation ${operationId} has no input`);
  return shapeOf(model, target);
}

/** `com.amazonaws.ecs#Cluster` -> `Cluster`. */
export function localName(id: string): string {
  return id.slice(id.indexOf('#') + 1);
}

/**
 * A copy of the model with the overrides applied. Overrides that touch shapes of another namespace are
 * skipped, so one list serves every model. Adding a member or value the model already has is an error:
 * it means the snapshot caught up and the override should go.
 */
export function applyOverrides(model: SmithyModel, overrides: ModelOverrides): SmithyModel {
  const namespace = (id: string) => id.slice(0, id.indexOf('#'));
  const own = new Set(Object.keys(model.shapes).map(namespace));
  const shapes: Record<string, SmithyShape> = structuredClone(model.shapes);
  for (const [id, shape] of Object.entries(overrides.shapes)) {
    if (!own.has(namespace(id))) continue;
    if (shapes[id]) throw new Error(`override shape ${id} is already in the model: remove it from the overrides`);
    shapes[id] = structuredClone(shape);
  }
  for (const add of overrides.members) {
    if (!own.has(namespace(add.shape))) continue;
    const members = (shapeOf({ smithy: model.smithy, shapes }, add.shape).members ??= {});
    if (members[add.member]) throw new Error(`override member ${add.shape}$${add.member} is already in the model`);
    const traits: SmithyTraits = { 'smithy.api#documentation': add.documentation };
    if (add.required) traits['smithy.api#required'] = {};
    members[add.member] = { target: add.target, traits };
  }
  for (const add of overrides.enumValues) {
    if (!own.has(namespace(add.shape))) continue;
    const shape = shapeOf({ smithy: model.smithy, shapes }, add.shape);
    const members = (shape.members ??= {});
    for (const value of add.values) {
      const known = Object.values(members).some((m) => m.traits?.['smithy.api#enumValue'] === value);
      if (known) throw new Error(`override enum value ${add.shape} ${value} is already in the model`);
      members[value] = { target: 'smithy.api#Unit', traits: { 'smithy.api#enumValue': value } };
    }
  }
  return { smithy: model.smithy, shapes };
}
