// /metrics at the benchmark's size (1,000 services with a task definition family each, one cluster):
// one series per resource whatever its state, a few more only for the resources with a condition or
// a drift, and the whole exposition within 200 KB as the benchmark's idle run leaves it; what does not
// grow with the resources (the histogram by kind, the counters, the process) stays bounded however
// long the process runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OperatorMetrics } from '../../src/metrics/metrics.js';
import { StatusStore } from '../../src/status/store.js';
import { AwsCallStats } from '../../src/aws/stats.js';
import type { Kind } from '../../src/core/types.js';
import { PASS_STATES } from '../../src/runtime/pass-record.js';
import type { ResourceStatus } from '../../src/status/types.js';
import { KIND_ORDER } from '../../src/kinds/registry.js';

const NOW = Date.parse('2030-01-01T01:00:00Z');
const name = (i: number) => `svc-${String(i).padStart(4, '0')}`;
/** Every ECS operation the operator calls. */
const OPERATIONS = [
  'DescribeClusters', 'ListClusters', 'CreateCluster', 'UpdateCluster', 'UpdateClusterSettings', 'PutClusterCapacityProviders', 'DeleteCluster',
  'DescribeServices', 'ListServices', 'CreateService', 'UpdateService', 'DeleteService', 'DescribeTaskDefinition', 'ListTaskDefinitions',
  'RegisterTaskDefinition', 'DeregisterTaskDefinition', 'TagResource', 'UntagResource', 'ListTagsForResource',
];
/** What the benchmark's idle run has counted by the time it reads /metrics. */
const IDLE_RUN = { kinds: ['Cluster', 'TaskDefinition', 'Service'] as Kind[], states: ['synced', 'waiting'], operations: ['DescribeClusters', 'DescribeServices', 'ListTaskDefinitions', 'DescribeTaskDefinition'] };
/** A long run: every kind in every resting state, every operation with every outcome. */
const LONG_RUN = { kinds: [...KIND_ORDER], states: [...PASS_STATES], operations: OPERATIONS };

function resource(kind: Kind, n: string, extra: Partial<ResourceStatus> = {}): ResourceStatus {
  return { key: `${kind}/${n}`, kind, name: n, sync: 'Synced', health: 'Healthy', conditions: [], ...extra };
}

/** The benchmark's resources, a few of them unwell, and the counters as `run` has filled them. */
async function exposition(services: number, run = IDLE_RUN): Promise<{ text: string; status: StatusStore }> {
  const status = new StatusStore(KIND_ORDER);
  if (services === 0) return { text: await counters(status, run), status };
  status.set(resource('Cluster', 'bench'));
  for (let i = 0; i < services; i++) {
    status.set(resource('TaskDefinition', name(i)));
    status.set(resource('Service', name(i)));
  }
  const since = '2030-01-01T00:00:00Z';
  status.set(resource('Service', name(1), { health: 'Degraded', conditions: [{ type: 'Stalled', reason: 'RolloutFailed', message: 'the rollout failed', since }] }));
  status.set(resource('Service', name(2), { sync: 'OutOfSync', drift: { differences: [{ path: '/desiredCount', desired: 2, live: 1 }], firstSeen: since, policy: 'alert' } }));
  status.set(resource('TaskDefinition', name(3), { sync: 'Unknown', conditions: [{ type: 'Retrying', reason: 'Throttled', message: 'Rate exceeded', since }, { type: 'Waiting', reason: 'DependencyNotReady', message: 'x', since }] }));
  return { text: await counters(status, run), status };
}

async function counters(status: StatusStore, run: typeof IDLE_RUN): Promise<string> {
  const metrics = new OperatorMetrics({ status, clock: { now: () => NOW, setTimeout: () => 0, clearTimeout: () => {} } });
  for (const kind of run.kinds) for (const state of run.states) metrics.observePass({ key: `${kind}/x`, state, durationMs: 20 });
  const aws = new AwsCallStats();
  aws.onRecord((r) => metrics.recordAwsCall(r));
  const outcomes = run === IDLE_RUN ? ['ok'] as const : ['ok', 'throttled', 'error'] as const;
  for (const op of run.operations) for (const outcome of outcomes) aws.record('ecs', op, outcome);
  metrics.followPacing(() => ['service-read', 'service-modify', 'task-definition-read', 'task-definition-modify', 'cluster-read', 'tag-modify'].map((b) => ({ bucket: `ecs:${b}`, perSecond: 20, baseline: 20 })));
  return metrics.text();
}

test('/metrics at 1,000 services: within 200 KB, one series per resource, more only for a condition or a drift', async () => {
  const { text, status } = await exposition(1000);
  const bytes = Buffer.byteLength(text);
  process.stdout.write(`# /metrics at 1,000 services (2,001 resources): ${bytes} bytes\n`);
  assert.ok(bytes <= 200_000, `${bytes} bytes`);

  const lines = text.split('\n').filter((l) => l && !l.startsWith('#'));
  const perResource = new Map<string, string[]>();
  for (const line of lines) {
    const m = /\{kind="(\w+)",name="([^"]+)"/.exec(line);
    if (m) perResource.set(`${m[1]}/${m[2]}`, [...(perResource.get(`${m[1]}/${m[2]}`) ?? []), line.slice(0, line.indexOf('{'))]);
  }
  assert.equal(perResource.size, 2001, 'every resource has its series');
  for (const r of status.values()) {
    const series = perResource.get(r.key)!;
    const expected = ['ecs_operator_resource', ...r.conditions.map(() => 'ecs_operator_resource_condition'), ...(r.drift ? ['ecs_operator_drift_age_seconds'] : [])];
    assert.deepEqual(series.sort(), expected.sort(), r.key);
  }
  assert.ok(lines.includes('ecs_operator_resource{kind="Service",name="svc-0001",sync="Synced",health="Degraded"} 1'));
  assert.ok(lines.includes('ecs_operator_resource{kind="TaskDefinition",name="svc-0003",sync="Unknown",health="Healthy"} 1'));
  assert.ok(lines.includes('ecs_operator_drift_age_seconds{kind="Service",name="svc-0002"} 3600'));
  // The histogram is by kind: its size does not grow with resting states or resources.
  assert.equal(lines.filter((l) => l.startsWith('ecs_operator_reconcile_duration_seconds_bucket')).length, IDLE_RUN.kinds.length * 14);
});

test('/metrics without resources stays small however long the process runs', async () => {
  const idle = Buffer.byteLength((await exposition(0)).text);
  const long = Buffer.byteLength((await exposition(0, LONG_RUN)).text);
  process.stdout.write(`# /metrics without resources: ${idle} bytes after the benchmark's idle run, ${long} bytes with every kind, state and outcome counted\n`);
  assert.ok(long <= 25_000, `${long} bytes`);
});

test('/metrics grows by one short line per resource added', async () => {
  const small = Buffer.byteLength((await exposition(1000)).text);
  const large = Buffer.byteLength((await exposition(2000)).text);
  const perResource = (large - small) / 2000;
  assert.ok(perResource <= 95, `${perResource} bytes per resource`);
});
