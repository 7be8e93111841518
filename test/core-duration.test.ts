import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, parseDuration } from '../src/core/duration.js';

test('durations parse with units and refuse bare numbers', () => {
  const cases: Array<[string, number]> = [['500ms', 500], ['10s', 10_000], ['2m', 120_000], ['1h30m', 5_400_000], ['1.5s', 1_500], [' 5m ', 300_000]];
  for (const [text, ms] of cases) assert.equal(parseDuration(text), ms, text);
  for (const bad of ['10', '', 'm', '5 minutes', '1x', '-1s']) assert.throws(() => parseDuration(bad), /invalid duration/, bad);
});

test('durations format for people', () => {
  assert.equal(formatDuration(250), '250ms');
  assert.equal(formatDuration(2_500), '2.5s');
  assert.equal(formatDuration(95_000), '1m35s');
});
