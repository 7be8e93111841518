import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalCpu, canonicalMemory, parseCpuUnits, parseMemoryMiB } from '../../src/normalize/units.js';

test('cpu units: plain numbers and vCPU', () => {
  const cases: Array<[string | number, number | undefined]> = [
    ['256', 256], [1024, 1024], ['0.25 vCPU', 256], ['0.5 vcpu', 512], ['1vCPU', 1024], ['16 vCPU', 16384],
    ['.25 vCPU', 256], ['.5vcpu', 512], ['.125 vCPU', 128],
    ['0.1 vCPU', undefined], ['lots', undefined], ['', undefined], ['.', undefined], ['1.', undefined], ['..5 vCPU', undefined],
  ];
  for (const [input, want] of cases) assert.equal(parseCpuUnits(input), want, String(input));
});

test('memory: MiB, GB and GiB', () => {
  const cases: Array<[string | number, number | undefined]> = [
    ['512', 512], ['1 GB', 1024], ['0.5GB', 512], ['2 GiB', 2048], ['30720 MiB', 30720], ['.5 GB', 512], ['.25GB', 256],
    ['1.3 GB', undefined], ['x', undefined], ['.', undefined], ['.5.5 GB', undefined],
  ];
  for (const [input, want] of cases) assert.equal(parseMemoryMiB(input), want, String(input));
});

test('canonical forms equal what ECS returns', () => {
  assert.equal(canonicalCpu('0.25 vCPU'), '256');
  assert.equal(canonicalMemory('1 GB'), '1024');
  assert.equal(canonicalCpu('.25 vCPU'), '256');
  assert.equal(canonicalMemory('.5 GB'), '512');
  assert.equal(canonicalCpu('weird'), 'weird');
});
