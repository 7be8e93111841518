// The AWS budget of idle resyncs of autoscaled services behind a load balancer, measured through the
// real SDK against moto: scalable targets read 50 a call, policies and scheduled actions by namespace
// listing, one target group read and one target health read per group, and nothing written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { createAwsClients } from '../../src/aws/clients.js';
import { sdkPorts } from '../../src/cli/app.js';
import { createHandlers } from '../../src/kinds/registry.js';
import { loadRevision } from '../../src/desired/load.js';
import { Controller } from '../../src/runtime/controller.js';
import { useMoto } from '../support/moto.js';
import { createFixtures } from '../../src/tools/fixtures.js';
import { generatedRevision } from '../../src/tools/generate.js';
import { KIND_REGISTRY } from '../../src/kinds/registry.js';

const moto = useMoto({ MOTO_ECS_SERVICE_RUNNING: '1' });
const N = 60;

/** N generated services, each bound to one shared target group and scaled by two policies and a schedule. */
function scaledRevision(targetGroupArn: string) {
  const revision = generatedRevision(N);
  for (const [file, text] of revision.files) {
    const name = /metadata: \{name: (svc-\d+)\}/.exec(text)?.[1];
    if (!name) continue;
    const bound = text.replace('desiredCount: 1}', `desiredCount: 1, loadBalancers: [{targetGroupArn: "${targetGroupArn}", containerName: app, containerPort: 80}]}`);
    const metric = (type: string) => `{targetValue: 60, predefinedMetricSpecification: {predefinedMetricType: ${type}}}`;
    revision.files.set(file, `${bound}---\n${[
      'apiVersion: ecs-operator.dev/v1alpha1',
      'kind: ServiceAutoScaling',
      `metadata: {name: ${name}}`,
      'spec:',
      `  service: ${name}`,
      '  minCapacity: 1',
      '  maxCapacity: 4',
      '  policies:',
      `    - {policyName: cpu, policyType: TargetTrackingScaling, targetTrackingScalingPolicyConfiguration: ${metric('ECSServiceAverageCPUUtilization')}}`,
      `    - {policyName: memory, policyType: TargetTrackingScaling, targetTrackingScalingPolicyConfiguration: ${metric('ECSServiceAverageMemoryUtilization')}}`,
      '  scheduledActions:',
      '    - {scheduledActionName: night, schedule: "cron(0 22 * * ? *)", scalableTargetAction: {minCapacity: 1, maxCapacity: 2}}',
    ].join('\n')}\n`);
  }
  return revision;
}

test(`idle resyncs of ${N} autoscaled services behind a load balancer: batched reads, zero writes`, async () => {
  await moto.server.reset();
  const tg = (await createFixtures()).webTargetGroup;
  const aws = createAwsClients({ rateScale: Infinity });
  const controller = new Controller({ handlers: createHandlers(sdkPorts(aws)), mode: 'run', log: pino({ level: 'silent' }), concurrency: 16 });
  const { state, errors } = loadRevision(scaledRevision(tg), KIND_REGISTRY.rules);
  assert.deepEqual(errors, []);
  controller.setDesired(state!);
  controller.start();
  await controller.idle();
  const statuses = controller.status.list();
  assert.equal(statuses.filter((s) => s.sync === 'Synced' && s.health === 'Healthy').length, 3 * N + 1, JSON.stringify(statuses.find((s) => s.sync !== 'Synced')));
  assert.equal(aws.stats.count('application-autoscaling', 'PutScalingPolicy'), 2 * N);

  const resyncs = 3;
  const before = { writes: aws.stats.writes, ops: aws.stats.snapshot() };
  for (let i = 0; i < resyncs; i++) {
    await controller.resync();
    await controller.idle();
  }
  const byOp = aws.stats.since(before.ops);
  assert.equal(aws.stats.writes - before.writes, 0, JSON.stringify(byOp));
  const per = (op: string) => (byOp[op] ?? 0) / resyncs;
  assert.equal(per('application-autoscaling:DescribeScalableTargets'), Math.ceil(N / 50));
  assert.equal(per('application-autoscaling:DescribeScalingPolicies'), Math.ceil((2 * N) / 10), 'one namespace listing, 10 policies a page');
  assert.ok(per('application-autoscaling:DescribeScheduledActions') <= Math.ceil(N / 50));
  assert.equal(per('elbv2:DescribeTargetGroups'), 1);
  assert.equal(per('elbv2:DescribeTargetHealth'), 1, 'one shared target group: one read a pass');
  assert.equal(per('ecs:DescribeServices'), Math.ceil(N / 10));
  const aasReads = Object.entries(byOp).filter(([op]) => op.startsWith('application-autoscaling:')).reduce((n, [, c]) => n + c, 0);
  process.stdout.write(`# per idle resync of ${N} autoscaled services: ${JSON.stringify(Object.fromEntries(Object.keys(byOp).map((op) => [op, per(op)])))}\n`);
  assert.ok(aasReads / resyncs / N <= 0.3, `${(aasReads / resyncs / N).toFixed(3)} Application Auto Scaling reads per target per resync`);
  await controller.stop();
  aws.destroy();
});
