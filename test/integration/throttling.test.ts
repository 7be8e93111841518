// Sustained throttling, through the built CLI against moto: with DescribeServices refused 100% of the
// time for 30 s, the operator asks for it ever less often (its pacing lowers the refill rate of the
// bucket on each throttle), says so in the metrics and in the resources' status, and recovers once
// AWS answers again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useMoto } from '../support/moto.js';
import { startFaultProxy } from '../support/fault-proxy.js';
import { eventually, startCli } from '../support/cli.js';
import { freePort } from '../../src/tools/moto-server.js';
import { generatedRevision } from '../../src/tools/generate.js';

const moto = useMoto({ MOTO_ECS_SERVICE_RUNNING: '1' });
const THROTTLED_MS = 30_000;

test('under 100% throttling of DescribeServices for 30 s, its call rate falls by half or more, visibly, and recovers', async () => {
  await moto.server.reset();
  const dir = await mkdtemp(join(tmpdir(), 'ecs-operator-throttle-'));
  // 15 services in 3 clusters: each wave of reads is 3 DescribeServices calls, one per cluster.
  let i = 0;
  for (const [path, content] of generatedRevision(15, { cluster: 'prod' }).files) {
    if (path === 'cluster.yaml') continue;
    await writeFile(join(dir, path), content.replace('cluster: prod', `cluster: prod-${i++ % 3}`));
  }
  for (let c = 0; c < 3; c++) await writeFile(join(dir, `cluster-${c}.yaml`), `apiVersion: ecs-operator.dev/v1alpha1\nkind: Cluster\nmetadata: {name: prod-${c}}\nspec: {}\n`);
  const proxy = await startFaultProxy(moto.server.endpoint, {});
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const op = startCli(['run', '--source', dir, '--listen', `127.0.0.1:${port}`, '--resync-interval', '1s'], {
    env: { ...moto.server.awsEnv, AWS_ENDPOINT_URL: proxy.endpoint },
  });
  const status = async () => (await fetch(`${base}/api/v1/status`)).json();
  const allSynced = async () => {
    const s = await status();
    return s.ready && s.resources.every((r: { sync: string }) => r.sync === 'Synced') ? true : undefined;
  };
  try {
    await eventually(allSynced, 60_000, 'all Synced');
    const start = Date.now();
    proxy.faults = { throttle: 1, operations: /^DescribeServices$/ };
    // The status is read every second while the throttling lasts: a pass shows Throttled once it
    // ends, and a pass still waiting out its retries at one chosen instant would show nothing yet.
    const sampled: Array<{ resources: unknown[] }> = [];
    const throttledUntil = Date.now() + THROTTLED_MS;
    while (Date.now() < throttledUntil) {
      await new Promise((r) => setTimeout(r, Math.min(1_000, Math.max(0, throttledUntil - Date.now()))));
      sampled.push(await status());
    }
    const calls = proxy.log.filter((r) => r.operation === 'DescribeServices' && r.fate === 'throttled');
    const rate = (from: number, to: number) => calls.filter((r) => r.at >= start + from && r.at < start + to).length / ((to - from) / 1000);
    const first = rate(0, 5_000);
    const last = rate(THROTTLED_MS - 10_000, THROTTLED_MS);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    const throttledStatus = await status();
    proxy.faults = {};
    const recoveredAfter = Date.now();
    await eventually(allSynced, 60_000, 'all Synced again after the throttling');
    const perSecond = Array.from({ length: THROTTLED_MS / 1000 }, (_, i) => calls.filter((r) => r.at >= start + i * 1000 && r.at < start + (i + 1) * 1000).length);
    process.stdout.write(`# DescribeServices under 100% throttling: ${first.toFixed(1)}/s in the first 5 s, ${last.toFixed(2)}/s in the last 10 s (per second: ${perSecond.join(' ')}); Synced again ${Date.now() - recoveredAfter} ms after it ended\n`);
    assert.ok(first > 0, 'throttled calls were made');
    assert.ok(last <= first / 2, `last 10 s ${last.toFixed(2)}/s, first 5 s ${first.toFixed(2)}/s`);

    assert.match(metrics, /^ecs_operator_aws_requests_total\{api="ecs",operation="DescribeServices",outcome="throttled"\} [1-9]\d*$/m);
    const paced = /^ecs_operator_aws_paced_rate\{bucket="ecs:service-read"\} ([\d.e+-]+)$/m.exec(metrics);
    const baseline = /^ecs_operator_aws_paced_rate_baseline\{bucket="ecs:service-read"\} ([\d.e+-]+)$/m.exec(metrics);
    assert.ok(paced && baseline, metrics.split('\n').filter((l) => l.includes('paced')).join('\n'));
    assert.ok(Number(paced[1]) <= Number(baseline[1]) / 4, `paced ${paced[1]}/s against ${baseline[1]}/s`);
    const services = [throttledStatus, ...sampled].flatMap((sample) => sample.resources).filter((r: any) => r.kind === 'Service');
    const retrying = services.filter((r: { conditions: Array<{ type: string; reason: string }> }) =>
      r.conditions.some((c) => c.type === 'Retrying' && c.reason === 'Throttled'));
    assert.ok(retrying.length > 0, JSON.stringify(services.map((s: { conditions: unknown }) => s.conditions)));
  } finally {
    assert.equal(await op.stop(), 0, op.out.stderr.slice(-2000));
    await proxy.stop();
  }
});
