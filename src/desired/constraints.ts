// The constraints AWS enforces but states only in prose, as data: each kind keeps one table of rows
// (src/kinds/<kind>/constraints.ts), each row a member, a check, an optional condition and its source.
// Rows one JSON Schema keyword can say (required, ranges, lengths, formats) are written into the
// generated schemas, so editors see them and ajv reports them; this engine evaluates the others.
// Kind-agnostic: no kind's field names appear here. Every check tolerates values of any type (it skips
// what it cannot read: a wrong type is the schema's error), so rules also run on invalid documents.
import type { JsonObject, JsonValue, Severity } from '../core/types.js';
import { isObject } from '../normalize/common.js';
import { formatPointer, parsePointer, valueAt } from '../normalize/pointer.js';
import type { Finding } from './finding.js';
import { orList, show } from './messages.js';

/** One place a row's pattern matched: the member's pointer, its value (if written) and its parent. */
export interface Match {
  segments: string[];
  pointer: string;
  member: string;
  value: JsonValue | undefined;
  parent: JsonObject;
}

/** The value `up` levels above a match's member, then down to `member` (a condition's look at siblings). */
export function near(doc: JsonObject, m: Match, up: number, member: string): JsonValue | undefined {
  return valueAt(doc, [...m.segments.slice(0, -up), member]);
}

/** When a row applies, and how its message says so ("on Fargate", "with networkMode awsvpc"). */
export interface Condition {
  says: string;
  test(doc: JsonObject, match: Match): boolean;
}

export type Check =
  /** The member must be written. */
  | { required: true }
  /** A number within bounds (inclusive). */
  | { range: { min?: number; max?: number } }
  /** A list with a number of items within bounds (inclusive). */
  | { items: { min?: number; max?: number } }
  /** A string matching `format`; `says` describes it ("1-255 letters, digits, - and _"). */
  | { format: RegExp; says: string }
  /** A number not greater than the sibling member's. */
  | { notAbove: string }
  /** A number less than the sibling member's. */
  | { below: string }
  /** The sibling member must not be written alongside. */
  | { excludes: string }
  /** The sibling member must be written alongside. */
  | { requires: string }
  /** The member must not be written (with a condition). */
  | { absent: true }
  /** One of these values (with a condition). */
  | { oneOf: readonly string[] }
  /** Each item of the list has a different value of this member. */
  | { unique: string; label?: string }
  /** A custom check on a written value: a message when it is wrong. */
  | { test(value: JsonValue, match: Match, doc: JsonObject): string | undefined };

export interface Constraint {
  /** Stable name of the row, for tests and messages. */
  id: string;
  /** JSON pointer pattern into the document; `*` matches every item of a list or entry of a map. */
  at: string;
  check: Check;
  when?: Condition;
  severity?: Severity;
  /** Where AWS states it: the API reference (shape and member) or the service quota, in a few words. */
  source: string;
  /** Replaces the message the check would write (for a check that says it better in its own words). */
  message?: string;
  /** Added to the message, after a colon: why, or what to do. */
  hint?: string;
}

/** Whether a row is written into the generated JSON Schema (and so checked by ajv, not here). */
export function inSchema(row: Constraint): boolean {
  if (row.when || row.severity === 'warning') return false;
  const c = row.check;
  return 'required' in c || 'range' in c || 'items' in c || 'format' in c;
}

/** Every place a pattern matches in a document; `written` false also yields absent members. */
export function matches(doc: JsonObject, pattern: string, written = true): Match[] {
  const segments = parsePointer(pattern);
  const member = segments.pop()!;
  const out: Match[] = [];
  const walk = (node: JsonValue | undefined, at: string[], rest: string[]) => {
    if (rest.length === 0) {
      if (!isObject(node)) return;
      const names = member === '*' ? Object.keys(node) : [member];
      for (const name of names) {
        if (written && node[name] === undefined) continue;
        const path = [...at, name];
        out.push({ segments: path, pointer: formatPointer(path), member: name, value: node[name], parent: node });
      }
      return;
    }
    const [head, ...tail] = rest as [string, ...string[]];
    if (head !== '*') return walk(isObject(node) ? node[head] : undefined, [...at, head], tail);
    if (Array.isArray(node)) node.forEach((item, i) => walk(item, [...at, String(i)], tail));
    else if (isObject(node)) for (const key of Object.keys(node)) walk(node[key], [...at, key], tail);
  };
  walk(doc, [], segments);
  return out;
}

/** Whether a value says anything: empty lists and maps (equal to absent, as everywhere) and false do not. */
function written(v: JsonValue | undefined): boolean {
  if (v === undefined || v === false) return false;
  if (Array.isArray(v)) return v.length > 0;
  return !isObject(v) || Object.keys(v).length > 0;
}

const bounds = (min: number | undefined, max: number | undefined) =>
  min !== undefined && max !== undefined ? `between ${min} and ${max}` : min !== undefined ? `>= ${min}` : `<= ${max}`;

/** The message of a row at one match, or undefined when the value passes. */
function violation(row: Constraint, m: Match, doc: JsonObject): { message: string; at?: Finding['at'] } | undefined {
  const c = row.check;
  const when = row.when ? ` ${row.when.says}` : '';
  const v = m.value;
  if ('required' in c) return v === undefined ? { message: `${m.member} is required${when}`, at: 'missing' } : undefined;
  if (!written(v) && ('absent' in c || 'excludes' in c || 'requires' in c)) return undefined;
  if (v === undefined) return undefined;
  if ('range' in c) {
    if (typeof v !== 'number') return undefined;
    const { min, max } = c.range;
    return (min !== undefined && v < min) || (max !== undefined && v > max) ? { message: `must be ${bounds(min, max)}${when}, got ${v}` } : undefined;
  }
  if ('items' in c) {
    if (!Array.isArray(v)) return undefined;
    const { min, max } = c.items;
    return (min !== undefined && v.length < min) || (max !== undefined && v.length > max) ? { message: `must have ${bounds(min, max)} items${when}, got ${v.length}` } : undefined;
  }
  if ('format' in c) return typeof v === 'string' && !c.format.test(v) ? { message: `must be ${c.says}${when}, got ${show(v)}` } : undefined;
  if ('notAbove' in c || 'below' in c) {
    const other = 'notAbove' in c ? c.notAbove : c.below;
    const o = m.parent[other];
    if (typeof v !== 'number' || typeof o !== 'number') return undefined;
    if ('notAbove' in c) return v > o ? { message: `${m.member} ${v} is greater than ${other} ${o}${when}` } : undefined;
    return v >= o ? { message: `${m.member} ${v} must be less than ${other} ${o}${when}` } : undefined;
  }
  if ('excludes' in c) return written(m.parent[c.excludes]) ? { message: `${m.member} and ${c.excludes} exclude each other${when}: write one or the other` } : undefined;
  if ('requires' in c) return !written(m.parent[c.requires]) ? { message: `${m.member} needs ${c.requires}${when}` } : undefined;
  if ('absent' in c) return { message: `${m.member} is not supported${when}` };
  if ('oneOf' in c) return typeof v === 'string' && !c.oneOf.includes(v) ? { message: `must be ${orList(c.oneOf.map((x) => JSON.stringify(x)))}${when}, got ${show(v)}` } : undefined;
  if ('unique' in c) return undefined; // list-wide: see uniqueFindings
  const message = c.test(v, m, doc);
  return message === undefined ? undefined : { message };
}

/** One finding per list item whose member repeats an earlier item's value, at the repeat, naming the first. */
function uniqueFindings(m: Match, member: string, label: string): Finding[] {
  if (!Array.isArray(m.value)) return [];
  const first = new Map<string, number>();
  const findings: Finding[] = [];
  m.value.forEach((item, index) => {
    const value = isObject(item) ? item[member] : undefined;
    if (typeof value !== 'string') return;
    const earlier = first.get(value);
    if (earlier === undefined) first.set(value, index);
    else findings.push({ path: formatPointer([...m.segments, index, member]), message: `duplicate ${label} ${JSON.stringify(value)} (first at ${m.pointer}/${earlier})` });
  });
  return findings;
}

/** The findings of the rows not in the schema, on one document. */
export function checkConstraints(rows: readonly Constraint[], doc: JsonObject): Finding[] {
  const findings: Finding[] = [];
  for (const row of rows) {
    if (inSchema(row)) continue;
    const required = 'required' in row.check;
    for (const m of matches(doc, row.at, !required)) {
      if (row.when && !row.when.test(doc, m)) continue;
      const severity = row.severity === 'warning' ? { severity: 'warning' as const } : {};
      if ('unique' in row.check) {
        findings.push(...uniqueFindings(m, row.check.unique, row.check.label ?? row.check.unique).map((f) => ({ ...f, ...severity })));
        continue;
      }
      const found = violation(row, m, doc);
      if (!found) continue;
      const said = row.message ?? found.message;
      const message = row.hint ? `${said}: ${row.hint}` : said;
      findings.push({ path: m.pointer, message, ...(found.at ? { at: found.at } : {}), ...severity });
    }
  }
  return findings;
}
