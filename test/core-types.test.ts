import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resourceKey, parseResourceKey, formatDiagnostic } from '../src/core/types.js';

test('resource keys round-trip', () => {
  assert.deepEqual(parseResourceKey(resourceKey('Service', 'web')), { kind: 'Service', name: 'web' });
});

test('diagnostics print as file:line:col', () => {
  const text = formatDiagnostic({ file: 'a.yaml', line: 3, col: 5, severity: 'error', path: '/spec/cpu', message: 'bad' });
  assert.equal(text, 'a.yaml:3:5: bad (at /spec/cpu)');
});
