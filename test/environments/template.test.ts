// The reference syntax: a whole-value reference, interpolation, the $${{ escape, and what is not a
// reference (a shell's ${VAR} and $VAR, a lone $$) passing through untouched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanTemplate } from '../../src/environments/template.js';

test('scanTemplate reads whole references, interpolations and escapes', () => {
  const cases: Array<[string, unknown]> = [
    ['plain text', undefined],
    ['echo ${HOSTNAME} $HOME $$ ${{', { problem: '"${{" is not closed with "}}" (write "$${{" for a literal "${{")' }],
    ['${{ values.count }}', { template: { parts: [{ reference: { kind: 'value', path: ['count'], text: 'values.count' } }], whole: { kind: 'value', path: ['count'], text: 'values.count' } } }],
    ['${{values.image.tag}}', { template: { parts: [{ reference: { kind: 'value', path: ['image', 'tag'], text: 'values.image.tag' } }], whole: { kind: 'value', path: ['image', 'tag'], text: 'values.image.tag' } } }],
    ['repo:${{ values.tag }}-x', { template: { parts: [{ text: 'repo:' }, { reference: { kind: 'value', path: ['tag'], text: 'values.tag' } }, { text: '-x' }] } }],
    ['$${{ not a value }} and ${SHELL}', { template: { parts: [{ text: '${{ not a value }} and ${SHELL}' }] } }],
    ['${{ environment.name }}', { template: { parts: [{ reference: { kind: 'environment', text: 'environment.name' } }], whole: { kind: 'environment', text: 'environment.name' } } }],
    [' ${{ values.count }}', { template: { parts: [{ text: ' ' }, { reference: { kind: 'value', path: ['count'], text: 'values.count' } }] } }],
  ];
  for (const [text, expected] of cases) assert.deepEqual(scanTemplate(text), expected, text);
});

test('scanTemplate names what is not a reference', () => {
  assert.match((scanTemplate('${{ value.count }}') as { problem: string }).problem, /^"\$\{\{ value\.count \}\}" is not a reference: write \$\{\{ values\.NAME \}\}/);
  assert.match((scanTemplate('${{ }}') as { problem: string }).problem, /^an empty "\$\{\{ \}\}" is not a reference/);
  assert.match((scanTemplate('${{ values.a + 1 }}') as { problem: string }).problem, /is not a reference/);
  assert.match((scanTemplate('${{ values.0 }}') as { problem: string }).problem, /is not a reference/);
});
