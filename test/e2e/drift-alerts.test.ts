// Drift end to end: the built CLI runs against moto with a 5 s resync and a signed alert webhook to a
// local receiver. An out-of-band UpdateService on the web service is detected, alerted, healed and
// resolved within two resyncs; the worker, annotated `drift: alert`, is alerted exactly once and
// left as it is; /metrics, /api/v1/status, /api/v1/events and the status page (in Chromium) show it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeServicesCommand, UpdateServiceCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { useMoto } from '../support/moto.js';
import { eventually, startCli } from '../support/cli.js';
import { ecsClient } from '../support/aws.js';
import { exampleManifests } from '../support/examples.js';
import { launchBrowser, SCREENSHOTS } from '../support/browser.js';
import { freePort } from '../../src/tools/moto-server.js';

const moto = useMoto({ MOTO_ECS_SERVICE_RUNNING: '2' });
const SECRET = 'e2e-webhook-secret';
const RESYNC_MS = 5_000;
/** Two resyncs, with the 10% jitter. */
const TWO_RESYNCS_MS = 2 * RESYNC_MS * 1.1;

interface Delivery { at: number; body: { type: string; key: string; differences: unknown[]; text: string }; signed: boolean }

const deliveries: Delivery[] = [];
let receiver: Server;
let op: ReturnType<typeof startCli>;
let base: string;
let ecs: ECSClient;

/** A webhook receiver that checks every signature with the shared secret. */
async function startReceiver(): Promise<string> {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const expected = 'sha256=' + createHmac('sha256', SECRET).update(raw).digest('hex');
      deliveries.push({ at: Date.now(), body: JSON.parse(raw.toString()), signed: req.headers['x-ecs-operator-signature'] === expected });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/alerts`;
}

const received = (key: string) => deliveries.filter((d) => d.body.key === key);
const status = async () => (await fetch(`${base}/api/v1/status`)).json();
const desiredCount = async (service: string) =>
  (await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: [service] }))).services![0]!.desiredCount;

// Hooks of a suite run after useMoto's file-level ones, so moto is up by then.
describe('drift end to end', () => {
  before(async () => {
    await moto.server.reset();
    // Without auto scaling: this test changes web's desiredCount out of band, which is drift only while
    // no ServiceAutoScaling owns it.
    const { dir } = await exampleManifests({ without: ['web/autoscaling.yaml'] });
    const worker = join(dir, 'worker/service.yaml');
    await writeFile(worker, (await readFile(worker, 'utf8')).replace('  name: worker\n', '  name: worker\n  annotations:\n    ecs-operator.dev/drift: alert\n'));
    const secretFile = join(tmpdir(), `ecs-operator-e2e-secret-${process.pid}`);
    await writeFile(secretFile, `${SECRET}\n`);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    op = startCli(['run', '--source', dir, '--listen', `127.0.0.1:${port}`, '--resync-interval', '5s', '--debounce', '100ms', '--alert-webhook', await startReceiver()], {
      env: { ...moto.server.awsEnv, ECS_OPERATOR_ALERT_WEBHOOK_SECRET_FILE: secretFile },
    });
    ecs = ecsClient();
    await eventually(async () => {
      const s = await status();
      return s.ready && s.resources.every((r: { sync: string; health: string }) => r.sync === 'Synced' && r.health === 'Healthy') ? true : undefined;
    }, 60_000, 'every resource Synced and Healthy');
  });

  after(async () => {
    ecs?.destroy();
    receiver?.closeAllConnections();
    receiver?.close();
    if (op) assert.equal(await op.stop('SIGTERM'), 0, op.out.stderr.slice(-2000));
  });

  test('an out-of-band change is detected, alerted, healed and resolved within two resyncs; alert-only is left alone', async (t) => {
    assert.deepEqual(deliveries.map((d) => d.body.type), [], 'converging raises no alert');
    const changedAt = Date.now();
    await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', desiredCount: 1 }));
    await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'worker', desiredCount: 2 }));

    const resolved = await eventually(() => received('Service/web/DriftResolved')[0], TWO_RESYNCS_MS + 2_000, 'web DriftResolved');
    const detected = received('Service/web/DriftDetected')[0]!;
    assert.ok(detected.at <= resolved.at);
    assert.deepEqual(detected.body.differences, [{ path: '/desiredCount', desired: 2, live: 1 }]);
    assert.match(detected.body.text, /^\*DriftDetected\* Service\/web: Service\/web differs from Git in 1 field: healing/);
    assert.match(detected.body.text, /```\n\/desiredCount: 1 -&gt; 2\n```/);
    assert.equal(await desiredCount('web'), 2, 'healed');
    const workerDetected = await eventually(() => received('Service/worker/DriftDetected')[0], TWO_RESYNCS_MS, 'worker DriftDetected');
    // The healing pass's own log line dates the detection: from it to the webhook is the alert latency.
    const healPass = op.out.stderr.split('\n').filter((l) => l.includes('"msg":"reconciled"') && l.includes('healed drift')).map((l) => JSON.parse(l))
      .find((l) => l.name === 'web');
    const passAt = Date.parse(healPass?.time);
    t.diagnostic(`web: change -> DriftDetected ${detected.at - changedAt} ms, -> DriftResolved (healed) ${resolved.at - changedAt} ms; healing pass logged -> webhook received ${detected.at - passAt} ms; worker: change -> DriftDetected ${workerDetected.at - changedAt} ms`);
    assert.ok(resolved.at - changedAt < TWO_RESYNCS_MS, `healed within two resyncs (${resolved.at - changedAt} ms)`);

    // Two more resyncs: no repeat, and the worker is still as it was changed.
    await new Promise((resolve) => setTimeout(resolve, TWO_RESYNCS_MS));
    assert.equal(received('Service/worker/DriftDetected').length, 1, 'alerted exactly once');
    assert.equal(received('Service/web/DriftDetected').length, 1);
    assert.equal(await desiredCount('worker'), 2, 'alert-only: left as it is');
    assert.ok(deliveries.every((d) => d.signed), 'every delivery carries a valid signature');
    assert.deepEqual(deliveries.map((d) => d.body.type).sort(), ['DriftDetected', 'DriftDetected', 'DriftResolved']);
    assert.match(op.out.stderr, /"msg":"\[warning\] DriftDetected Service\/worker: /, 'the log sink has it too');

    const worker = (await status()).resources.find((r: { key: string }) => r.key === 'Service/worker');
    assert.equal(worker.sync, 'OutOfSync');
    assert.deepEqual(worker.drift.differences, [{ path: '/desiredCount', desired: 1, live: 2 }]);
    assert.equal(worker.drift.policy, 'alert');
  });

  test('/metrics and /api/v1/events show resources, drift, AWS calls and alerts', async () => {
    const metrics = await (await fetch(`${base}/metrics`)).text();
    for (const line of [
      'ecs_operator_drift_resources 1',
      'ecs_operator_manifest_errors 0',
      'ecs_operator_alerts_sent_total{type="DriftDetected",sink="webhook"} 2',
      'ecs_operator_alerts_sent_total{type="DriftResolved",sink="log"} 1',
    ]) assert.ok(metrics.includes(line + '\n'), `missing ${line}`);
    for (const pattern of [
      /^ecs_operator_drift_age_seconds\{kind="Service",name="worker"\} \d/m,
      /^ecs_operator_resource\{kind="Service",name="worker",sync="OutOfSync",health="[A-Za-z]+"\} 1$/m,
      /^ecs_operator_resource\{kind="Service",name="web",sync="[A-Za-z]+",health="Healthy"\} 1$/m,
      /^ecs_operator_reconcile_duration_seconds_count\{kind="Service"\} \d+/m,
      /^ecs_operator_reconcile_total\{kind="Service",result="synced"\} \d+/m,
      /^ecs_operator_aws_requests_total\{api="ecs",operation="DescribeServices",outcome="ok"\} \d+/m,
      /^ecs_operator_aws_requests_total\{api="ecs",operation="UpdateService",outcome="ok"\} \d+/m,
      /^ecs_operator_source_revision_info\{revision="[^"]+",source="[^"]+"\} 1/m,
      /^# TYPE ecs_operator_aws_throttles_total counter/m,
      /^ecs_operator_process_resident_memory_bytes \d+/m,
    ]) assert.match(metrics, pattern);
    const { events } = await (await fetch(`${base}/api/v1/events`)).json();
    assert.deepEqual(events.map((e: { key: string }) => e.key).sort(), ['Service/web/DriftDetected', 'Service/web/DriftResolved', 'Service/worker/DriftDetected']);
  });

  test('the status page renders the resources, the drift as a diff and the events in Chromium', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(`${base}/`);
      await page.waitForSelector('#resources tbody tr:nth-child(5)');
      await page.waitForSelector('#events tbody tr:nth-child(3)');
      const names = await page.$$eval('#resources tbody th', (ths) => ths.map((th) => th.textContent));
      assert.deepEqual(names, ['prod', 'web', 'worker', 'web', 'worker']);
      const diff = await page.$$eval('#drift-Service-worker pre.diff span', (spans) => spans.map((s) => s.textContent!.trimEnd()));
      assert.deepEqual(diff, ['--- live Service/worker', '+++ desired Service/worker', '@@ /desiredCount @@', '-2', '+1']);
      assert.match(await page.textContent('#events') ?? '', /DriftResolved.*Service\/web.*healed/s);
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: `${SCREENSHOTS}status-page-e2e.png`, fullPage: true });
    } finally {
      await browser.close();
    }
  });
});
