// The AWS-faithful proxy throttles as ECS does: each published bucket lets its burst through at once,
// refuses the rest with the ThrottlingException the SDK retries, refills at its published rate (times
// --scale, the burst staying as published), and every request is counted. The proxy's clock is
// injected, so each figure is exact.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  DeregisterTaskDefinitionCommand, DescribeClustersCommand, ECSClient, ListTaskDefinitionsCommand, RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { ApplicationAutoScalingClient, DescribeScalableTargetsCommand } from '@aws-sdk/client-application-auto-scaling';
import { DescribeTargetGroupsCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { useMoto } from '../support/moto.js';
import { startAwsProxy, type AwsProxy, type AwsProxyOptions } from '../../src/tools/aws-proxy/proxy.js';

const moto = useMoto();
const clock = { t: 0, onRead: undefined as (() => void) | undefined };
const proxies: AwsProxy[] = [];
const clients: Array<{ destroy(): void }> = [];
after(async () => {
  for (const c of clients) c.destroy();
  for (const p of proxies) await p.stop();
});

async function account(options: Partial<AwsProxyOptions> = {}, maxAttempts = 1) {
  await moto.server.reset();
  clock.t = 0;
  clock.onRead = undefined;
  const proxy = await startAwsProxy({ upstream: moto.server.endpoint, now: () => (clock.onRead?.(), clock.t), ...options });
  const ecs = new ECSClient({ endpoint: proxy.endpoint, maxAttempts });
  proxies.push(proxy);
  clients.push(ecs);
  return { proxy, ecs };
}

const registration = (family = 'web') =>
  new RegisterTaskDefinitionCommand({ family, containerDefinitions: [{ name: 'app', image: 'nginx', memory: 128 }] });

/** Sends `n` requests at once; how many were answered and how many refused, by error name. */
async function burst(n: number, send: () => Promise<unknown>): Promise<Record<string, number>> {
  const outcomes = await Promise.all(Array.from({ length: n }, () => send().then(
    () => 'ok',
    (e: { name: string; message: string; $metadata?: { httpStatusCode?: number } }) => `${e.name} ${e.$metadata?.httpStatusCode}: ${e.message}`,
  )));
  const tally: Record<string, number> = {};
  for (const o of outcomes) tally[o] = (tally[o] ?? 0) + 1;
  return tally;
}

test('RegisterTaskDefinition: a burst of 20, the rest refused with a 400 ThrottlingException, 1 more per second', async () => {
  const { proxy, ecs } = await account();
  assert.deepEqual(await burst(25, () => ecs.send(registration())), { ok: 20, 'ThrottlingException 400: Rate exceeded': 5 });
  // DeregisterTaskDefinition is in the same "task definition modify" bucket.
  assert.deepEqual(await burst(1, () => ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'web:1' }))), { 'ThrottlingException 400: Rate exceeded': 1 });
  clock.t += 999;
  assert.deepEqual(await burst(1, () => ecs.send(registration())), { 'ThrottlingException 400: Rate exceeded': 1 });
  clock.t += 1;
  assert.deepEqual(await burst(2, () => ecs.send(registration())), { ok: 1, 'ThrottlingException 400: Rate exceeded': 1 });
  // Another bucket is untouched: task definition reads have their own 50.
  assert.deepEqual(await burst(50, () => ecs.send(new ListTaskDefinitionsCommand({}))), { ok: 50 });
  assert.deepEqual(await burst(1, () => ecs.send(new ListTaskDefinitionsCommand({}))), { 'ThrottlingException 400: Rate exceeded': 1 });

  const counts = proxy.counts();
  assert.deepEqual(counts.byOperation['ecs:RegisterTaskDefinition'], { requests: 28, throttled: 7, errors: 0 });
  assert.deepEqual(counts.byOperation['ecs:DeregisterTaskDefinition'], { requests: 1, throttled: 1, errors: 0 });
  assert.deepEqual(counts.byOperation['ecs:ListTaskDefinitions'], { requests: 51, throttled: 1, errors: 0 });
  assert.deepEqual([counts.requests, counts.reads, counts.writes, counts.throttled, counts.inFlight], [80, 51, 29, 9, 0]);
  const served = await (await fetch(`${proxy.endpoint}/aws-proxy/counts`)).json();
  assert.deepEqual(served, proxy.counts(), 'the JSON endpoint serves the same counts');
});

test('--scale multiplies refill rates and keeps the published bursts', async () => {
  const { ecs } = await account({ scale: 10 });
  assert.deepEqual(await burst(21, () => ecs.send(registration())), { ok: 20, 'ThrottlingException 400: Rate exceeded': 1 }, 'burst stays 20');
  clock.t += 500;
  assert.deepEqual(await burst(6, () => ecs.send(registration())), { ok: 5, 'ThrottlingException 400: Rate exceeded': 1 }, '10 per second');
  clock.t += 3_600_000;
  assert.deepEqual(await burst(21, () => ecs.send(registration())), { ok: 20, 'ThrottlingException 400: Rate exceeded': 1 }, 'a long rest refills to the burst, no more');
  assert.deepEqual(await burst(101, () => ecs.send(new DescribeClustersCommand({ clusters: ['none'] }))), { ok: 50, 'ThrottlingException 400: Rate exceeded': 51 }, 'cluster reads: 50');
});

test('the SDK retries a refused request as a throttle, and the retry is counted too', async () => {
  const { proxy, ecs } = await account({}, 3);
  assert.deepEqual(await burst(20, () => ecs.send(registration())), { ok: 20 });
  // Time moves on as soon as the proxy has refused one: the retry finds a token.
  clock.onRead = () => {
    if (proxy.counts().throttled > 0 && clock.t === 0) clock.t = 1000;
  };
  const out = await ecs.send(registration());
  assert.equal(out.$metadata.attempts, 2);
  assert.deepEqual(proxy.counts().byOperation['ecs:RegisterTaskDefinition'], { requests: 22, throttled: 1, errors: 0 });
});

test('APIs without published buckets are counted, not throttled; extra buckets and the query protocol work too', async () => {
  const { proxy } = await account({ extraBuckets: { 'elasticloadbalancing:DescribeTargetGroups': { burst: 2, refill: 1 } } });
  const aas = new ApplicationAutoScalingClient({ endpoint: proxy.endpoint, maxAttempts: 1 });
  const elb = new ElasticLoadBalancingV2Client({ endpoint: proxy.endpoint, maxAttempts: 1 });
  clients.push(aas, elb);
  assert.deepEqual(await burst(60, () => aas.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs' }))), { ok: 60 });
  const elbOutcomes = await burst(3, () => elb.send(new DescribeTargetGroupsCommand({})));
  assert.deepEqual(elbOutcomes, { ok: 2, 'Throttling 400: Rate exceeded': 1 });
  const counts = proxy.counts();
  assert.deepEqual(counts.byOperation['application-autoscaling:DescribeScalableTargets'], { requests: 60, throttled: 0, errors: 0 });
  assert.deepEqual(counts.byOperation['elasticloadbalancing:DescribeTargetGroups'], { requests: 3, throttled: 1, errors: 0 });

  proxy.resetCounts();
  proxy.configure({ throttle: false });
  assert.deepEqual(await burst(3, () => elb.send(new DescribeTargetGroupsCommand({}))), { ok: 3 }, 'throttling off: everything passes');
  assert.equal(proxy.counts().requests, 3);
});

test('as its own process: prints its endpoint, proxies, and serves the counts', async () => {
  await moto.server.reset();
  const main = fileURLToPath(new URL('../../dist/tools/aws-proxy/main.js', import.meta.url));
  const child = spawn(process.execPath, [main, '--upstream', moto.server.endpoint, '--scale', '10'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
    const { endpoint } = JSON.parse(line) as { endpoint: string };
    const ecs = new ECSClient({ endpoint, maxAttempts: 1 });
    clients.push(ecs);
    await ecs.send(registration());
    const counts = await (await fetch(`${endpoint}/aws-proxy/counts`)).json() as { byOperation: Record<string, unknown> };
    assert.deepEqual(counts.byOperation, { 'ecs:RegisterTaskDefinition': { requests: 1, throttled: 0, errors: 0 } });
    await fetch(`${endpoint}/aws-proxy/reset`, { method: 'POST' });
    assert.equal(((await (await fetch(`${endpoint}/aws-proxy/counts`)).json()) as { requests: number }).requests, 0);
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
});
