// Validates a manifest against its kind's JSON Schema and turns ajv's errors into readable diagnostics:
// one per mistake, positioned at the offending key, with "did you mean" where a near name exists.
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Diagnostic } from '../core/types.js';
import { closest, didYouMean, orList, show, typeName, withArticle } from './messages.js';
import { formatPointer } from '../normalize/pointer.js';
import type { Locator } from './positions.js';
import { propertyNames, validatorOf, type JsonSchema, type SchemaSource } from './schemas.js';

/** What the schema says about a document. */
export interface SchemaCheck {
  /** Every schema error (none when the document is valid). */
  diagnostics: Diagnostic[];
  /**
   * The JSON pointers those errors are about, plus the field a misspelt key was likely meant to be:
   * a kind's rule finding at or under one of them would only repeat or contradict the schema error.
   */
  covered: Set<string>;
}

/** Every schema error of a document (an empty list when it is valid). */
export function schemaDiagnostics(rules: SchemaSource, value: unknown, locator: Locator): Diagnostic[] {
  return checkSchema(rules, value, locator).diagnostics;
}

/** The schema errors of a document and the paths they cover. */
export function checkSchema(rules: SchemaSource, value: unknown, locator: Locator): SchemaCheck {
  return checkWith(validatorOf(rules), value, locator);
}

/** The errors of a document against any compiled schema (compiled with allErrors and verbose), and the paths they cover. */
export function checkWith(validate: ValidateFunction, value: unknown, locator: Locator): SchemaCheck {
  if (validate(value)) return { diagnostics: [], covered: new Set() };
  const errors = validate.errors ?? [];
  // A misspelt required field shows up twice (unknown + missing): keep only the unknown one.
  const suggested = new Set<string>();
  for (const e of errors) {
    if (e.keyword !== 'additionalProperties') continue;
    const match = closest(String(e.params.additionalProperty), propertyNames(e.parentSchema as JsonSchema));
    if (match !== undefined) suggested.add(`${e.instancePath}/${match}`);
  }
  // A value of the wrong type fails its enum too: the type error says it all.
  const wrongType = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  const out: Diagnostic[] = [];
  const covered = new Set(suggested);
  for (const e of errors) {
    if (e.keyword !== 'type' && wrongType.has(e.instancePath)) continue;
    let pointer = e.instancePath;
    if (e.keyword === 'required') {
      const field = String(e.params.missingProperty);
      if (suggested.has(`${e.instancePath}/${field}`)) continue;
      pointer = `${e.instancePath}${formatPointer([field])}`;
      out.push(locator.missing(pointer, `missing required field ${JSON.stringify(field)}`));
    } else if (e.keyword === 'additionalProperties') {
      const field = String(e.params.additionalProperty);
      const hint = didYouMean(field, propertyNames(e.parentSchema as JsonSchema));
      pointer = `${e.instancePath}${formatPointer([field])}`;
      out.push(locator.diagnostic(pointer, `unknown field ${JSON.stringify(field)}${hint}`));
    } else {
      out.push(locator.diagnostic(pointer, describeError(e)));
    }
    covered.add(pointer);
  }
  return { diagnostics: out, covered };
}

/** Whether `path` is one of `covered` or lies under one. */
export function isCovered(path: string, covered: ReadonlySet<string>): boolean {
  for (let at = path; ; at = at.slice(0, at.lastIndexOf('/'))) {
    if (covered.has(at)) return true;
    if (at === '') return false;
  }
}

const codePoints = (text: string) => [...text].length;

/** The message of one ajv error other than required and additionalProperties. */
export function describeError(e: ErrorObject): string {
  const data: unknown = e.data;
  const parent = (e.parentSchema ?? {}) as JsonSchema;
  const limit = e.params.limit as number;
  switch (e.keyword) {
    case 'type': {
      const expected = ([] as string[]).concat(e.params.type as string | string[]);
      if (expected.includes('integer') && typeof data === 'number') return `must be an integer, got ${data}`;
      // YAML reads `cpu: 256` as a number where AWS takes the string "256".
      const quote = expected.includes('string') && (typeof data === 'number' || typeof data === 'boolean') ? ` (quote it: "${String(data)}")` : '';
      return `must be ${orList(expected.map(withArticle))}, got ${typeName(data)}${quote}`;
    }
    case 'enum': {
      const allowed = (e.params.allowedValues as unknown[]).map(String);
      const hint = typeof data === 'string' ? didYouMean(data, allowed) : '';
      return `must be one of ${allowed.join(', ')}; got ${show(data)}${hint}`;
    }
    case 'const':
      return `must be ${show(e.params.allowedValue)}, got ${show(data)}`;
    case 'minimum':
    case 'maximum': {
      const { minimum, maximum } = parent as { minimum?: number; maximum?: number };
      if (minimum !== undefined && maximum !== undefined) return `must be between ${minimum} and ${maximum}, got ${show(data)}`;
      return `must be ${e.keyword === 'minimum' ? '>=' : '<='} ${limit}, got ${show(data)}`;
    }
    case 'minLength':
      return limit === 1 ? 'must not be empty' : `must be at least ${limit} characters long, got ${codePoints(String(data))}`;
    case 'maxLength':
      return `must be at most ${limit} characters long, got ${codePoints(String(data))}`;
    case 'minItems':
      return `must have at least ${limit} item${limit === 1 ? '' : 's'}, got ${(data as unknown[]).length}`;
    case 'maxItems':
      return `must have at most ${limit} items, got ${(data as unknown[]).length}`;
    case 'minProperties':
    case 'maxProperties':
      if (parent.minProperties === 1 && parent.maxProperties === 1) return `must set exactly one of ${orList(propertyNames(parent))}`;
      return `must have ${e.keyword === 'minProperties' ? 'at least' : 'at most'} ${limit} entries`;
    case 'pattern':
      if (typeof parent.patternErrorMessage === 'string') return `${parent.patternErrorMessage}, got ${show(data)}`;
      return `must match the pattern ${String(e.params.pattern)}, got ${show(data)}`;
    default:
      return e.message ?? `is not valid (${e.keyword})`;
  }
}

