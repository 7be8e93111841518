// The Prometheus text: every ecs_operator_ name with the values the status store, the passes, the AWS
// accounting and the alert dispatcher gave it, in a registry of its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OperatorMetrics } from '../../src/metrics/metrics.js';
import { StatusStore } from '../../src/status/store.js';
import { AwsCallStats } from '../../src/aws/stats.js';
import { KIND_ORDER } from '../../src/kinds/registry.js';

const NOW = Date.parse('2030-01-01T01:00:00Z');

function store(): StatusStore {
  const status = new StatusStore(KIND_ORDER);
  status.set({ key: 'Cluster/prod', kind: 'Cluster', name: 'prod', sync: 'Synced', health: 'Healthy', conditions: [] });
  status.set({
    key: 'Service/web', kind: 'Service', name: 'web', sync: 'OutOfSync', health: 'Healthy',
    conditions: [{ type: 'Retrying', reason: 'Throttled', message: 'Rate exceeded', since: '2030-01-01T00:59:00Z' }],
    drift: { differences: [{ path: '/desiredCount', desired: 2, live: 1 }], firstSeen: '2030-01-01T00:30:00Z', policy: 'alert' },
  });
  status.set({
    key: 'Service/quiet', kind: 'Service', name: 'quiet', sync: 'Synced', health: 'Healthy', conditions: [],
    drift: { differences: [{ path: '/desiredCount', desired: 2, live: 1 }], firstSeen: '2030-01-01T00:30:00Z', policy: 'ignore' },
  });
  status.setSource({
    url: 'https://user:token@git.example/ops.git', phase: 'Stalled', lastApplied: { id: 'abc123', source: 'x' }, lastFetchTime: '2030-01-01T00:59:30.000Z',
    errors: [{ file: 'a.yaml', line: 1, col: 1, severity: 'error', path: '', message: 'bad' }],
  });
  return status;
}

test('metrics: status gauges, histogram, AWS and alert counters, process metrics, all prefixed', async () => {
  const status = store();
  const metrics = new OperatorMetrics({ status, clock: { now: () => NOW, setTimeout: () => 0, clearTimeout: () => {} } });
  const aws = new AwsCallStats();
  aws.onRecord((r) => metrics.recordAwsCall(r));
  aws.record('ecs', 'DescribeServices', 'ok');
  aws.record('ecs', 'DescribeServices', 'ok');
  aws.record('ecs', 'UpdateService', 'throttled');
  metrics.observePass({ key: 'Service/web', state: 'drifted', durationMs: 42 });
  metrics.alertSent('DriftDetected', 'webhook');
  metrics.alertFailed('webhook');
  metrics.alertDropped('webhook');
  const text = await metrics.text();
  const has = (line: string) => assert.ok(text.split('\n').includes(line), `missing: ${line}`);
  has('ecs_operator_resource{kind="Service",name="web",sync="OutOfSync",health="Healthy"} 1');
  has('ecs_operator_resource{kind="Cluster",name="prod",sync="Synced",health="Healthy"} 1');
  // One series per resource: its state is in the labels, not in a series per possible state.
  assert.equal(text.split('\n').filter((l) => l.startsWith('ecs_operator_resource{') && l.includes('name="web"')).length, 1);
  has('ecs_operator_resource_condition{kind="Service",name="web",type="Retrying",reason="Throttled"} 1');
  has('ecs_operator_drift_resources 1');
  has('ecs_operator_drift_age_seconds{kind="Service",name="web"} 1800');
  // The source URL is shown as everywhere else: its token replaced by ***.
  has('ecs_operator_source_revision_info{revision="abc123",source="https://user:***@git.example/ops.git"} 1');
  has('ecs_operator_source_phase{phase="Stalled"} 1');
  has('ecs_operator_manifest_errors 1');
  has(`ecs_operator_source_last_read_timestamp_seconds ${Date.parse('2030-01-01T00:59:30.000Z') / 1000}`);
  has('ecs_operator_source_read_failures 0');
  has('ecs_operator_reconcile_duration_seconds_bucket{le="0.05",kind="Service"} 1');
  has('ecs_operator_reconcile_duration_seconds_count{kind="Service"} 1');
  has('ecs_operator_reconcile_total{kind="Service",result="drifted"} 1');
  has('ecs_operator_aws_requests_total{api="ecs",operation="DescribeServices",outcome="ok"} 2');
  has('ecs_operator_aws_requests_total{api="ecs",operation="UpdateService",outcome="throttled"} 1');
  has('ecs_operator_aws_throttles_total{api="ecs",operation="UpdateService"} 1');
  has('ecs_operator_alerts_sent_total{type="DriftDetected",sink="webhook"} 1');
  has('ecs_operator_alerts_failed_total{sink="webhook"} 1');
  has('ecs_operator_alerts_dropped_total{sink="webhook"} 1');
  assert.match(text, /^ecs_operator_process_resident_memory_bytes \d+/m);
  assert.ok(!text.includes('drift_age_seconds{kind="Service",name="quiet"}'), 'ignored drift is not counted');
  const names = [...text.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]!);
  assert.ok(names.every((n) => n.startsWith('ecs_operator_')), names.filter((n) => !n.startsWith('ecs_operator_')).join());
  assert.equal(metrics.contentType.split(';')[0], 'text/plain');

  status.delete('Service/web');
  assert.ok(!(await metrics.text()).includes('name="web"'), 'a removed resource leaves no series');
});

test('metrics: registries are separate', async () => {
  const a = new OperatorMetrics({ status: new StatusStore(KIND_ORDER), processMetrics: false });
  const b = new OperatorMetrics({ status: new StatusStore(KIND_ORDER), processMetrics: false });
  a.alertFailed('webhook');
  assert.match(await a.text(), /ecs_operator_alerts_failed_total\{sink="webhook"\} 1/);
  assert.doesNotMatch(await b.text(), /alerts_failed_total\{/);
});
