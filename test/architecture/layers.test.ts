// The layers of src/ (ARCHITECTURE.md) held by reading the code: every import and re-export of every
// file under src/, resolved to the top-level folder it lands in, checked against the forbidden edges;
// and the size and cast rules the style sets. Each rule lists every offending file, so one run shows
// all of them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SRC = join(ROOT, 'src');

interface Edge {
  /** src-relative path of the importing file, e.g. `runtime/controller.ts`. */
  file: string;
  /** The top-level folder of src/ it is in (`runtime`), or the file name for a file at the top. */
  from: string;
  /** What it imports: a top-level folder of src/, or a package name. */
  to: string;
  specifier: string;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const topOf = (srcRelative: string) => srcRelative.split(sep)[0]!;

/** Every static import, re-export and dynamic import of a file (comments stripped first). */
export function specifiersOf(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const found: string[] = [];
  for (const m of code.matchAll(/\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g)) found.push(m[1]!);
  for (const m of code.matchAll(/\bimport\s*['"]([^'"]+)['"]/g)) found.push(m[1]!);
  for (const m of code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push(m[1]!);
  return found;
}

const FILES = walk(SRC).map((path) => ({ path, file: relative(SRC, path), text: readFileSync(path, 'utf8') }));

const EDGES: Edge[] = FILES.flatMap(({ path, file, text }) => specifiersOf(text).map((specifier) => {
  const to = specifier.startsWith('.') ? topOf(relative(SRC, resolve(dirname(path), specifier))) : specifier;
  return { file, from: topOf(file), to, specifier };
}));

/** [from folder, forbidden folders, why]: issue-free layering means each list is empty. */
const FORBIDDEN: Array<[string, string[], string]> = [
  ['runtime', ['kinds', 'aws', 'sources', 'operator', 'cli'], 'the runtime knows no kind, no adapter, no source, and nothing above it'],
  ['desired', ['kinds', 'aws', 'sources', 'runtime', 'operator', 'cli'], 'the loader is handed the kinds\' rules and the files; it imports neither'],
  ['kinds', ['sources', 'operator', 'cli'], 'a kind reconciles live state; where manifests come from is not its business'],
  ['aws', ['kinds', 'runtime', 'desired', 'operator', 'cli'], 'the adapters speak AWS only'],
  ['sources', ['desired', 'runtime', 'kinds', 'aws', 'operator', 'cli'], 'a source hands over files, it does not read them as manifests'],
  ['environments', ['kinds', 'aws', 'sources', 'runtime', 'operator', 'cli'], 'environments render documents for the loader; kinds and lookups come in through its options'],
  ['status', ['runtime', 'kinds', 'aws', 'sources', 'desired', 'operator', 'cli', 'alerts', 'metrics', 'http'], 'the status is the ground floor every reader shares'],
  ['core', ['runtime', 'kinds', 'aws', 'sources', 'desired', 'operator', 'cli', 'status'], 'core is the vocabulary everything imports'],
  ['operator', ['cli'], 'the process lifecycle sits under the entry point that starts it'],
  ['normalize', ['diff', 'desired', 'runtime', 'kinds', 'aws', 'sources', 'status'], 'normalizing is pure; the diff builds on it, not the other way'],
  ['lease', ['runtime', 'kinds', 'aws', 'sources', 'desired', 'operator', 'cli'], 'leader election runs over its LeaseStore port alone'],
];

for (const [from, forbidden, why] of FORBIDDEN) {
  test(`src/${from} imports none of ${forbidden.map((f) => `src/${f}`).join(', ')} (${why})`, () => {
    assert.ok(FILES.some((f) => topOf(f.file) === from), `src/${from} exists`);
    const crossing = EDGES.filter((e) => e.from === from && forbidden.includes(e.to)).map((e) => `src/${e.file} imports ${e.specifier}`);
    assert.deepEqual(crossing, []);
  });
}

test('no product code imports src/tools (build- and test-time programs)', () => {
  const crossing = EDGES.filter((e) => e.to === 'tools' && e.from !== 'tools').map((e) => `src/${e.file} imports ${e.specifier}`);
  assert.deepEqual(crossing, []);
});

test('only src/aws (and the tools) import the AWS SDK', () => {
  const crossing = EDGES.filter((e) => e.to.startsWith('@aws-sdk/') && e.from !== 'aws' && e.from !== 'tools').map((e) => `src/${e.file} imports ${e.specifier}`);
  assert.deepEqual(crossing, []);
});

test('the loader, the runtime, the kinds and the status read no file: none of them imports node:fs', () => {
  const crossing = EDGES.filter((e) => ['desired', 'runtime', 'kinds', 'status'].includes(e.from) && /^(node:)?fs(\/promises)?$/.test(e.to)).map((e) => `src/${e.file} imports ${e.specifier}`);
  assert.deepEqual(crossing, []);
});

test('no file under src/ is over 300 lines', () => {
  const long = FILES.map((f) => ({ file: f.file, lines: f.text.split('\n').length - (f.text.endsWith('\n') ? 1 : 0) })).filter((f) => f.lines > 300).map((f) => `src/${f.file}: ${f.lines} lines`);
  assert.deepEqual(long, []);
});

test('no `as never` or `as unknown as` under src/kinds (observations are typed per kind)', () => {
  const casts = FILES.filter((f) => topOf(f.file) === 'kinds').flatMap((f) => f.text.split('\n').flatMap((line, i) => (/\bas (never|unknown as)\b/.test(line) ? [`src/${f.file}:${i + 1}: ${line.trim()}`] : [])));
  assert.deepEqual(casts, []);
});

test('the import reader finds what is there: static, type-only, re-exports and dynamic imports', () => {
  const text = [
    "import { a } from './a.js';",
    "import type {\n  B,\n} from '../b/b.js';",
    "export { c } from './c.js';",
    "export * from './d.js';",
    "import './e.js';",
    "const f = await import('./f.js');",
    "// import { g } from './g.js';",
    "/* import { h } from './h.js'; */",
    "const url = 'https://example.com'; // from './i.js'",
  ].join('\n');
  assert.deepEqual(specifiersOf(text), ['./a.js', '../b/b.js', './c.js', './d.js', './e.js', './f.js']);
  // And the graph of the real tree is not empty: the runtime does import core.
  assert.ok(EDGES.some((e) => e.from === 'runtime' && e.to === 'core'));
  assert.ok(EDGES.some((e) => e.from === 'kinds' && e.to === 'aws'));
});
