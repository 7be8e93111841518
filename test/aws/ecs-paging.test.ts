// The ECS and Application Auto Scaling ports list through the SDK's paginators at the largest page
// AWS allows, behind the AWS-faithful proxy (which pages as AWS does: ListServices 10 a page unless
// asked for up to 100): every item once, in the fewest calls. Through the real SDK against moto.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { CreateClusterCommand, CreateServiceCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { ApplicationAutoScalingClient, RegisterScalableTargetCommand } from '@aws-sdk/client-application-auto-scaling';
import { ecsPorts } from '../../src/aws/ecs/ports.js';
import { SdkAutoScaling } from '../../src/aws/autoscaling.js';
import { startAwsProxy, type AwsProxy } from '../../src/tools/aws-proxy/proxy.js';
import { answered } from '../../src/tools/aws-proxy/counts.js';
import { useMoto } from '../support/moto.js';

const moto = useMoto();
let proxy: AwsProxy | undefined;
const clients: Array<{ destroy(): void }> = [];
after(async () => {
  for (const c of clients) c.destroy();
  await proxy?.stop();
});

test('services, clusters, revisions and scalable targets: every one listed once, at the largest page', async () => {
  await moto.server.reset();
  proxy = await startAwsProxy({ upstream: moto.server.endpoint, throttle: false });
  const ecs = new ECSClient({ endpoint: proxy.endpoint, maxAttempts: 1 });
  const aas = new ApplicationAutoScalingClient({ endpoint: proxy.endpoint, maxAttempts: 1 });
  clients.push(ecs, aas);
  for (let c = 0; c < 3; c++) await ecs.send(new CreateClusterCommand({ clusterName: `c${c}` }));
  const revisions: string[] = [];
  for (let i = 0; i < 130; i++) {
    const out = await ecs.send(new RegisterTaskDefinitionCommand({ family: 'app', containerDefinitions: [{ name: 'app', image: `nginx:${i}`, memory: 128 }] }));
    revisions.push(out.taskDefinition!.taskDefinitionArn!);
  }
  const services = Array.from({ length: 120 }, (_, i) => `s-${String(i).padStart(3, '0')}`);
  for (const name of services) await ecs.send(new CreateServiceCommand({ cluster: 'c0', serviceName: name, taskDefinition: revisions[0], desiredCount: 0 }));
  for (const name of services.slice(0, 60)) {
    await aas.send(new RegisterScalableTargetCommand({
      ServiceNamespace: 'ecs', ResourceId: `service/c0/${name}`, ScalableDimension: 'ecs:service:DesiredCount', MinCapacity: 1, MaxCapacity: 2,
    }));
  }

  const ports = ecsPorts(ecs);
  proxy.resetCounts();
  const arns = await ports.services.listServiceArns('c0');
  assert.deepEqual(arns.map((a) => a.slice(a.lastIndexOf('/') + 1)).sort(), services, 'every service once');
  assert.equal(answered(proxy.counts(), 'ecs:ListServices'), 2, '100 a page, not the 10 AWS answers without maxResults');

  proxy.resetCounts();
  assert.equal((await ports.taskDefinitions.listTaskDefinitionArns('app', 'ACTIVE')).length, 130);
  assert.equal(answered(proxy.counts(), 'ecs:ListTaskDefinitions'), 2);

  proxy.resetCounts();
  assert.equal((await ports.clusters.listClusterArns()).length, 3);
  assert.equal(answered(proxy.counts(), 'ecs:ListClusters'), 1);

  proxy.resetCounts();
  const targets = await new SdkAutoScaling(aas).listScalableTargets();
  assert.equal(new Set(targets.map((t) => t.resourceId)).size, 60);
  assert.equal(answered(proxy.counts(), 'application-autoscaling:DescribeScalableTargets'), 2, '50 a page, its most');
});
