// Bounded writes, through the built CLI against moto: a difference AWS does not keep is written at
// most twice, then the resource is Stalled naming the field, one alert is raised, and nothing more is
// written for it. Moto keeps no Service Connect configuration (DescribeServices never shows it), so a
// service that asks for one never matches; and a proxy that rewrites every answer to read a value
// other than the one written stands for AWS rewriting a value. `apply` returns as soon as the
// resource is at rest, saying why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useMoto } from '../support/moto.js';
import { startFaultProxy } from '../support/fault-proxy.js';
import { eventually, runCli, startCli } from '../support/cli.js';
import { freePort } from '../../src/tools/moto-server.js';

const moto = useMoto({ MOTO_ECS_SERVICE_RUNNING: '1' });
const RUN_MS = 30_000;

async function manifests(serviceSpec: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ecs-operator-unkept-'));
  await writeFile(join(dir, 'web.yaml'), [
    'apiVersion: ecs-operator.dev/v1alpha1\nkind: Cluster\nmetadata: {name: prod}\nspec: {}',
    'apiVersion: ecs-operator.dev/v1alpha1\nkind: TaskDefinition\nmetadata: {name: web}\nspec: {containerDefinitions: [{name: app, image: "nginx:1", memory: 128, portMappings: [{containerPort: 80, name: http}]}]}',
    `apiVersion: ecs-operator.dev/v1alpha1\nkind: Service\nmetadata: {name: web}\nspec:\n  cluster: prod\n  taskDefinition: web\n  desiredCount: 1\n${serviceSpec}`,
  ].join('\n---\n'));
  return dir;
}

const SERVICE_CONNECT = '  serviceConnectConfiguration:\n    enabled: true\n    namespace: internal\n    services: [{portName: http}]\n';

test(`a value AWS does not keep: at most 2 UpdateService in ${RUN_MS / 1000} s of run, Stalled naming the field, one alert`, async () => {
  await moto.server.reset();
  const dir = await manifests(SERVICE_CONNECT);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const op = startCli(['run', '--source', dir, '--listen', `127.0.0.1:${port}`, '--resync-interval', '1s'], { env: moto.server.awsEnv });
  const updates = async () => {
    const metrics = await (await fetch(`${base}/metrics`)).text();
    return Number(/^ecs_operator_aws_requests_total\{api="ecs",operation="UpdateService",outcome="ok"\} (\d+)$/m.exec(metrics)?.[1] ?? 0);
  };
  try {
    const web = await eventually(async () => {
      const s = await (await fetch(`${base}/api/v1/status`)).json();
      return s.resources.find((r: { key: string; conditions: Array<{ type: string }> }) => r.key === 'Service/web' && r.conditions.some((c) => c.type === 'Stalled'));
    }, 30_000, 'Service/web Stalled');
    assert.equal(web.sync, 'OutOfSync');
    assert.equal(web.conditions[0].reason, 'NotKept');
    assert.match(web.conditions[0].message, /^AWS did not keep \/serviceConnectConfiguration: wrote \{"enabled":true,.*\}, reads nothing/);
    await new Promise((r) => setTimeout(r, RUN_MS));
    const made = await updates();
    process.stdout.write(`# UpdateService calls in ${RUN_MS / 1000} s of run (1 s resyncs): ${made}\n`);
    assert.ok(made >= 1 && made <= 2, `${made} UpdateService`);
    const alerts = op.out.stderr.split('\n').filter((l) => l.includes('"type":"SyncFailed"') && l.includes('Service/web/SyncFailed'));
    assert.equal(alerts.length, 1, 'one alert');
    assert.match(alerts[0]!, /AWS did not keep \/serviceConnectConfiguration/);
  } finally {
    assert.equal(await op.stop(), 0, op.out.stderr.slice(-2000));
  }
});

test('apply returns within seconds once a value is not kept, and says why', async () => {
  await moto.server.reset();
  const dir = await manifests('  healthCheckGracePeriodSeconds: 30\n');
  // AWS "rewrites" the grace period: every answer reads 0, whatever was written.
  const proxy = await startFaultProxy(moto.server.endpoint, {
    rewrite: (operation, body) => {
      const services = operation === 'DescribeServices' ? (body.services as Array<Record<string, unknown>>) : body.service ? [body.service as Record<string, unknown>] : [];
      for (const s of services) s.healthCheckGracePeriodSeconds = 0;
      return body;
    },
  });
  try {
    const started = Date.now();
    const r = await runCli(['apply', dir, '--timeout', '120s'], { env: { ...moto.server.awsEnv, AWS_ENDPOINT_URL: proxy.endpoint } });
    const took = Date.now() - started;
    process.stdout.write(`# apply with a value AWS rewrites: exit ${r.code} after ${took} ms, ${proxy.count('UpdateService')} UpdateService\n`);
    assert.equal(r.code, 1, r.stderr);
    assert.ok(took < 20_000, `returned after ${took} ms`);
    assert.equal(proxy.count('UpdateService'), 2);
    assert.match(r.stderr, /✗ Service\/web: .*Stalled: AWS did not keep \/healthCheckGracePeriodSeconds: wrote 30, reads 0/);
  } finally {
    await proxy.stop();
  }
});
