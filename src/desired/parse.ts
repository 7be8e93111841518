// Parses one manifest file (YAML, multi-document, or JSON) into plain values plus a Locator per document,
// and refuses hostile input before it costs anything: nesting deeper than a limit, alias bombs,
// self-referencing aliases and stack exhaustion all become one clear diagnostic.
import { isPair, isScalar, LineCounter, parseAllDocuments, visit, type Document } from 'yaml';
import type { Diagnostic } from '../core/types.js';
import { formatPointer } from '../normalize/pointer.js';
import { jsonSyntaxError } from './json-syntax.js';
import { FileLocator, type Locator } from './positions.js';

export interface ParseLimits {
  /** Deepest nesting of mappings and sequences accepted. */
  maxDepth: number;
  /** Most alias expansions accepted in a document (the yaml package's maxAliasCount). */
  maxAliasCount: number;
}

/** A document the loader takes: its value and where its fields are written. */
export interface ParsedDocument {
  locator: Locator;
  /** The document as plain JSON-like data. */
  value: unknown;
}

/** A document as parsed from a file: positions come from the file's node tree. */
export interface FileDocument extends ParsedDocument {
  locator: FileLocator;
}

export interface ParsedFile {
  documents: FileDocument[];
  diagnostics: Diagnostic[];
}

/** Parses a file; a document with a syntax problem yields diagnostics and no value; a file with no document is an error. */
export function parseManifestFile(file: string, text: string, limits: ParseLimits): ParsedFile {
  const lines = new LineCounter();
  const tooDeep = scanNesting(text, limits.maxDepth);
  if (tooDeep !== undefined) {
    lines.addNewLine(0);
    for (let i = text.indexOf('\n'); i !== -1 && i < tooDeep; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
    const at = new FileLocator(file, undefined, lines).position(tooDeep);
    return { documents: [], diagnostics: [{ ...at, severity: 'error', path: '', message: nestingMessage(limits.maxDepth) }] };
  }
  // A .json file is JSON: its syntax errors are told in JSON's words (whitespace alone is left to the
  // checks of empty files, as for YAML).
  const json = file.toLowerCase().endsWith('.json') && text.trim() !== '' ? jsonSyntaxError(text) : undefined;
  if (json) return { documents: [], diagnostics: [{ file, line: json.line, col: json.col, severity: 'error', path: '', message: json.message }] };
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true }) as Document.Parsed[];
  } catch (err) {
    const message = err instanceof RangeError ? nestingMessage(limits.maxDepth) : `cannot parse: ${String(err)}`;
    return { documents: [], diagnostics: [{ file, line: 1, col: 1, severity: 'error', path: '', message }] };
  }
  const out: ParsedFile = { documents: [], diagnostics: [] };
  let written = 0; // documents that hold anything, broken ones included
  for (const doc of docs) {
    const locator = new FileLocator(file, doc, lines);
    const where = (offset: number) => ({ ...locator.position(offset), path: '' });
    for (const w of doc.warnings) out.diagnostics.push({ ...where(w.pos[0]), severity: 'warning', message: w.message });
    if (doc.errors.length > 0) {
      out.diagnostics.push(...syntaxDiagnostics(doc, where, limits.maxDepth));
      written++;
      continue;
    }
    if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) continue; // empty: `---` alone, comments
    written++;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: limits.maxAliasCount });
    } catch (err) {
      const message = aliasMessage(err, limits);
      out.diagnostics.push({ ...locator.start, severity: 'error', path: '', message });
      continue;
    }
    const problem = checkShape(value, limits.maxDepth);
    if (problem) {
      out.diagnostics.push(locator.diagnostic(problem.pointer, problem.message));
      continue;
    }
    out.documents.push({ locator, value });
  }
  if (written === 0) out.diagnostics.push({ file, line: 1, col: 1, severity: 'error', path: '', message: noDocumentMessage(text) });
  return out;
}

/**
 * A file that holds no document is an error, never "no resources": a truncated or half-written file
 * would otherwise read as the removal of everything it declared (and prune it). Only deleting the
 * file, or a document from a file that still holds others, removes resources.
 */
function noDocumentMessage(text: string): string {
  const what = text.trim() === '' ? 'the file is empty' : 'the file holds no document (only comments, blank lines or ---)';
  return `${what}: not a manifest; to remove its resources, delete the file`;
}

function nestingMessage(maxDepth: number): string {
  return `nested deeper than ${maxDepth} levels: not parsed`;
}

function aliasMessage(err: unknown, limits: ParseLimits): string {
  const text = err instanceof Error ? err.message : String(err);
  if (/excessive alias count/i.test(text)) {
    return `YAML aliases expand more than ${limits.maxAliasCount} times: refused as a possible alias bomb`;
  }
  if (err instanceof RangeError) return nestingMessage(limits.maxDepth);
  return text;
}

// One mistake often makes the parser report several errors after it: keep duplicate keys (each is its own
// mistake) and only the first other error.
function syntaxDiagnostics(doc: Document.Parsed, where: (offset: number) => Omit<Diagnostic, 'severity' | 'message'>, maxDepth: number): Diagnostic[] {
  const out: Diagnostic[] = [];
  let other = false;
  for (const e of doc.errors) {
    if (e.code === 'DUPLICATE_KEY') {
      out.push({ ...where(e.pos[0]), severity: 'error', message: `duplicate key ${JSON.stringify(keyAt(doc, e.pos[0]))}` });
    } else if (!other) {
      other = true;
      const message = e.code === 'RESOURCE_EXHAUSTION' ? nestingMessage(maxDepth) : `YAML syntax error: ${e.message}`;
      out.push({ ...where(e.pos[0]), severity: 'error', message });
    }
  }
  return out;
}

/** The text of the mapping key written at an offset (the parser reports only where it starts). */
function keyAt(doc: Document.Parsed, offset: number): string {
  let key = '';
  visit(doc, {
    Pair(_, pair) {
      if (isPair(pair) && isScalar(pair.key) && pair.key.range?.[0] === offset) {
        key = String(pair.key.value);
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return key;
}

/**
 * Walks the value without recursion. Reports nesting deeper than maxDepth (aliases can build depth the
 * text does not show) and a value that contains itself (an alias to its own ancestor).
 */
function checkShape(root: unknown, maxDepth: number): { pointer: string; message: string } | undefined {
  const stack: Array<{ value: unknown; path: Array<string | number>; ancestors: Set<object> }> = [
    { value: root, path: [], ancestors: new Set() },
  ];
  while (stack.length > 0) {
    const { value, path, ancestors } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (ancestors.has(value)) return { pointer: formatPointer(path), message: 'an alias refers to a node that contains it' };
    if (path.length >= maxDepth) return { pointer: formatPointer(path), message: `nested deeper than ${maxDepth} levels` };
    const inner = new Set(ancestors).add(value);
    const entries: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    for (const [key, child] of entries) {
      if (child !== null && typeof child === 'object') stack.push({ value: child, path: [...path, key], ancestors: inner });
    }
  }
  return undefined;
}

const OPEN = new Set(['[', '{']);
const CLOSE = new Set([']', '}']);
// Characters after which a bracket outside any flow collection starts one (not `x[1]` in a plain word).
const TOKEN_BEFORE = new Set([' ', '\t', '\n', '\r', ',', ':', '-', '?']);
// Characters after which a quote starts a quoted scalar (not the apostrophe of `it's`).
const QUOTE_BEFORE = new Set([...TOKEN_BEFORE, '[', '{']);

/**
 * A cheap pass over the raw text, before the yaml parser sees it (the parser's own recursion can exhaust
 * the stack or memory on 100k nested brackets). Counts flow brackets outside quotes and comments, and
 * block indicators (`- `, `? `) stacked at the start of a line. Conservative: only the depth of real
 * syntax counts, so a valid manifest is never refused. Returns the offset where the limit is passed.
 */
export function scanNesting(text: string, maxDepth: number): number | undefined {
  let flow = 0;
  let lineStart = true;
  let block = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const prev = i === 0 ? '\n' : text[i - 1]!;
    if (c === '\n') {
      lineStart = true;
      block = 0;
      continue;
    }
    if (lineStart) {
      if (c === ' ' || c === '\t') continue;
      if ((c === '-' || c === '?') && /[ \t\n]/.test(text[i + 1] ?? '\n')) {
        if (++block + flow > maxDepth) return i;
        continue;
      }
      lineStart = false;
    }
    if ((c === '"' || c === "'") && QUOTE_BEFORE.has(prev)) {
      i = skipQuoted(text, i, c);
    } else if (c === '#' && /\s/.test(prev)) {
      const end = text.indexOf('\n', i);
      i = (end === -1 ? text.length : end) - 1;
    } else if (OPEN.has(c) && (flow > 0 || TOKEN_BEFORE.has(prev))) {
      if (++flow + block > maxDepth) return i;
    } else if (CLOSE.has(c) && flow > 0) {
      flow--;
    }
  }
  return undefined;
}

function skipQuoted(text: string, start: number, quote: string): number {
  for (let i = start + 1; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') i++;
    else if (text[i] === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else return i;
    }
  }
  return text.length;
}
