// `npm run bench` end to end at a tiny size: the built benchmark sets up its account, measures an idle
// resync of the real `run` process, bumps images behind the bucket-enforcing proxy and restarts the
// process cold, and its JSON holds figures that are consistent with what was asked for. The figures'
// values are the product's business; this proves the instrument reads them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from '../../src/tools/bench/report.js';

const BENCH = fileURLToPath(new URL('../../dist/tools/bench.js', import.meta.url));

test('the benchmark runs every scenario against the run process and reports consistent figures', { timeout: 240_000 }, async () => {
  const args = [BENCH, '--services', '20', '--resyncs', '1', '--resync-interval', '4s', '--bump', '5', '--scale', '10', '--json'];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise((resolve) => child.on('close', resolve));
  assert.equal(code, 0, stderr.slice(-3000));
  const r = JSON.parse(stdout) as BenchResult;

  assert.equal(r.setup.activeRevisions, 60, '3 ACTIVE revisions for each of the 20 families');
  const idle = r.idle!;
  assert.equal(idle.waves.length, 1);
  const wave = idle.waves[0]!;
  // 20 services are 2 DescribeServices at 10 a call; a listing of 60 ARNs is one page.
  assert.equal(wave.calls['ecs:DescribeServices'], 2, JSON.stringify(wave.calls));
  assert.equal(wave.reads, Object.values(wave.calls).reduce((a, b) => a + b, 0));
  assert.equal(wave.readsPerService, wave.reads / 20);
  assert.equal(idle.writes, 0);
  assert.ok(wave.cpuMs > 0 && idle.peakRssMiB > 30 && idle.startup.readyMs > 0, JSON.stringify({ wave, idle: idle.peakRssMiB }));
  assert.ok(idle.healthz.all.count > 20 && idle.healthz.all.failed === 0, JSON.stringify(idle.healthz));
  assert.ok(idle.sizes.metricsBytes > 0 && idle.sizes.statusBytes > 0 && idle.sizes.statusPageBytes > 0);

  const bump = r.bump!;
  assert.equal(bump.services, 5);
  assert.equal(bump.floorSeconds, 0, 'five registrations fit in the burst of 20');
  assert.equal(bump.wrongImage, 0);
  assert.ok(bump.registered >= 5 && bump.updated >= 5, JSON.stringify(bump));

  const cold = r.cold!;
  assert.ok(cold.readySeconds >= cold.listeningSeconds && cold.listeningSeconds > 0, JSON.stringify(cold));
  assert.ok(cold.calls['ecs:DescribeServices']! >= 2, JSON.stringify(cold.calls));
});
