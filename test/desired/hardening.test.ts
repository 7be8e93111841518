// Hostile or pathological input fails fast with one clear error: alias bombs, deep nesting (flow, block,
// and built by aliases), self-referencing aliases. None may hang, exhaust memory or overflow the stack.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanNesting } from '../../src/desired/parse.js';
import { doc, lines, load } from './helpers.js';

function timed<T>(budgetMs: number, run: () => T): T {
  const started = Date.now();
  const result = run();
  assert.ok(Date.now() - started < budgetMs, `took ${Date.now() - started} ms, budget ${budgetMs} ms`);
  return result;
}

test('alias bomb (billion laughs) is refused at once', () => {
  const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) {
    const [prev, name] = [String.fromCharCode(96 + i), String.fromCharCode(97 + i)];
    levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  const result = timed(1000, () => load({ 'bomb.yaml': `${levels.join('\n')}\n` }));
  assert.deepEqual(lines(result.errors), ['bomb.yaml:1:1: YAML aliases expand more than 100 times: refused as a possible alias bomb']);
});

test('a few aliases in a real manifest are fine', () => {
  const text = doc('Cluster', 'c', 'settings: [&insights {name: containerInsights, value: enabled}]\ntags: [{key: a, value: b}]');
  assert.deepEqual(load({ 'a.yaml': text }).errors, []);
});

test('100k nested brackets: refused before parsing', () => {
  const result = timed(1000, () => load({ 'deep.json': `${'['.repeat(100_000)}${']'.repeat(100_000)}` }));
  assert.deepEqual(lines(result.errors), ['deep.json:1:65: nested deeper than 64 levels: not parsed']);
});

test('100k stacked block sequences on one line: refused before parsing', () => {
  const result = timed(1000, () => load({ 'deep.yaml': `${'- '.repeat(100_000)}a\n` }));
  assert.deepEqual(lines(result.errors), ['deep.yaml:1:129: nested deeper than 64 levels: not parsed']);
});

test('deep block nesting: the parser\'s own limit, or the depth check on the value', () => {
  const nest = (depth: number) => Array.from({ length: depth }, (_, i) => `${' '.repeat(i)}a:`).join('\n') + ' 1\n';
  const huge = timed(2000, () => load({ 'huge.yaml': nest(1200) }));
  assert.equal(huge.errors.length, 1);
  assert.match(lines(huge.errors)[0]!, /^huge\.yaml:\d+:\d+: nested deeper than 64 levels: not parsed$/);
  const deep = load({ 'deep.yaml': nest(70) });
  assert.equal(deep.errors.length, 1);
  assert.match(lines(deep.errors)[0]!, /^deep\.yaml:64:64: nested deeper than 64 levels \(at (\/a){64}\)$/);
  assert.deepEqual(load({ 'ok.yaml': nest(70) }, { maxDepth: 100 }).errors.map((e) => e.message), [
    'missing required field "apiVersion"', 'missing required field "kind"',
  ], 'maxDepth is an option');
});

test('an alias to its own ancestor', () => {
  assert.deepEqual(lines(load({ 'self.yaml': 'a: &x [*x]\n' }).errors), ['self.yaml:1:8: an alias refers to a node that contains it (at /a/0)']);
});

test('the nesting scan ignores brackets in quotes, comments and plain words', () => {
  const many = '['.repeat(500);
  assert.equal(scanNesting(`a: "${many}"\nb: '${many}'\n# ${many}\nc: x${many}\nd: it's [fine]\n`, 64), undefined);
  assert.equal(scanNesting(`{"a": [[[1]]]}`, 3), 8);
  assert.equal(scanNesting('- - - a\n', 2), 4);
});
