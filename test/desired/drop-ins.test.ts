// Drop-ins through the loader: export envelopes unwrapped (with diagnostics still at the line and path
// written), empty enum strings treated as absent, leading-dot units, one warning each.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { lines, load } from './helpers.js';

const FIXTURES = new URL('../fixtures/drop-ins/', import.meta.url);
const fixture = (name: string) => JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as Record<string, unknown>;
const manifest = (kind: string, name: string, spec: unknown) => JSON.stringify({ apiVersion: 'ecs-operator.dev/v1alpha1', kind, metadata: { name }, spec }, null, 2);

test('the whole describe-task-definition output is its task definition, with its tags', () => {
  const result = load({ 'td.json': manifest('TaskDefinition', 'api', fixture('describe-task-definition.json')) });
  assert.deepEqual(result.errors, []);
  const spec = result.state!.resources.get('TaskDefinition/api')!.manifest.spec;
  assert.equal(spec.family, 'api');
  assert.deepEqual(spec.tags, [{ key: 'team', value: 'payments' }]);
  assert.equal(spec.taskDefinition, undefined);
  assert.deepEqual(lines(result.warnings).slice(0, 3), [
    'td.json:8:5: warning: a describe-task-definition output: its taskDefinition is the spec, and its tags the revision\'s tags (at /spec/taskDefinition)',
    'td.json:9:7: warning: taskDefinitionArn is set by AWS, not by a manifest: ignored (at /spec/taskDefinition/taskDefinitionArn)',
    'td.json:51:7: warning: revision is set by AWS, not by a manifest: ignored (at /spec/taskDefinition/revision)',
  ]);
});

test('inside an envelope, errors name the line and path as written', () => {
  const output = fixture('describe-task-definition.json') as { taskDefinition: { containerDefinitions: Array<Record<string, unknown>> } };
  delete output.taskDefinition.containerDefinitions[0]!.image;
  output.taskDefinition.containerDefinitions[0]!.memoryReservation = 4096;
  output.taskDefinition.containerDefinitions[0]!.memory = 2048;
  const { errors } = load({ 'td.json': manifest('TaskDefinition', 'api', output) });
  assert.deepEqual(lines(errors), [
    'td.json:11:9: missing required field "image" (at /spec/taskDefinition/containerDefinitions/0/image)',
    'td.json:45:11: memoryReservation 4096 is greater than memory 2048 (at /spec/taskDefinition/containerDefinitions/0/memoryReservation)',
    'td.json:46:11: container memory 2048 MiB is more than the task\'s 1024 MiB (at /spec/taskDefinition/containerDefinitions/0/memory)',
    'td.json:78:7: the containers reserve 4096 MiB in all, more than the task\'s 1024 MiB (at /spec/taskDefinition/memory)',
  ]);
  const twice = { ...fixture('describe-task-definition.json') } as { taskDefinition: Record<string, unknown>; tags: unknown };
  twice.taskDefinition = { ...twice.taskDefinition, tags: twice.tags };
  assert.match(lines(load({ 'td.json': manifest('TaskDefinition', 'api', twice) }).errors).join('\n'), /tags are written twice, here and in taskDefinition: keep one \(at \/spec\/tags\)/);
});

test('a describe-services output with one service is that service; clusterArn names its cluster', () => {
  const service = {
    serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/prod/web', serviceName: 'web',
    clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod', status: 'ACTIVE', desiredCount: 2, runningCount: 2, pendingCount: 0,
    launchType: 'EC2', taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:4', schedulingStrategy: 'REPLICA',
  };
  const cluster = 'apiVersion: ecs-operator.dev/v1alpha1\nkind: Cluster\nmetadata: {name: prod}\nspec: {}\n';
  const result = load({ 'c.yaml': cluster, 's.json': manifest('Service', 'web', { services: [service], failures: [] }) });
  assert.deepEqual(lines(result.errors), []);
  const web = result.state!.resources.get('Service/web')!;
  assert.equal(web.manifest.spec.cluster, 'prod');
  assert.deepEqual(web.dependsOn, ['Cluster/prod'], 'the cluster read from clusterArn is the Cluster manifest');
  assert.deepEqual(lines(result.warnings).filter((w) => w.startsWith('s.json')).slice(0, 3), [
    's.json:8:5: warning: a describe-services output: its one service is the spec (at /spec/services)',
    's.json:10:9: warning: serviceArn is set by AWS, not by a manifest: ignored (at /spec/services/0/serviceArn)',
    's.json:12:9: warning: clusterArn is set by AWS: read as cluster "prod" (at /spec/services/0/clusterArn)',
  ]);
  const two = load({ 's.json': manifest('Service', 'web', { services: [service, { ...service, serviceName: 'api' }], failures: [] }) });
  assert.deepEqual(lines(two.errors), ['s.json:8:5: a describe-services output with 2 services: a Service manifest holds exactly one service (at /spec/services)']);
});

test('empty strings for enum members are absent, with a warning naming each; other empty strings stay errors', () => {
  const result = load({ 'app.json': manifest('TaskDefinition', 'app', fixture('ecs-task-def.json')), 's.json': manifest('Service', 'app', { taskDefinition: 'app', ...fixture('ecs-service-def.json') }) });
  assert.deepEqual(lines(result.errors), []);
  const enumWarnings = lines(result.warnings).filter((w) => w.includes('treated as absent'));
  assert.deepEqual(enumWarnings, [
    'app.json:31:13: warning: appProtocol is "" (how some tools write an unset value): treated as absent (at /spec/containerDefinitions/0/portMappings/0/appProtocol)',
    'app.json:43:5: warning: ipcMode is "" (how some tools write an unset value): treated as absent (at /spec/ipcMode)',
    'app.json:46:5: warning: pidMode is "" (how some tools write an unset value): treated as absent (at /spec/pidMode)',
    's.json:28:5: warning: launchType is "" (how some tools write an unset value): treated as absent (at /spec/launchType)',
    's.json:45:5: warning: propagateTags is "" (how some tools write an unset value): treated as absent (at /spec/propagateTags)',
  ]);
  const spec = result.state!.resources.get('TaskDefinition/app')!.manifest.spec;
  assert.deepEqual([spec.pidMode, spec.ipcMode, spec.cpu, spec.memory], [undefined, undefined, '0.25 vCPU', '0.5 GB']);
  // An empty image is no enum: still an error.
  const emptyImage = load({ 'a.json': manifest('TaskDefinition', 't', { containerDefinitions: [{ name: 'a', image: '', memory: 64 }] }) });
  assert.match(lines(emptyImage.errors).join('\n'), /must be an image reference .* got "" \(at \/spec\/containerDefinitions\/0\/image\)/);
});

test('".25 vCPU" and ".5 GB" are Fargate sizes like "256" and "512"', () => {
  const td = (cpu: string, memory: string) => manifest('TaskDefinition', 't', { requiresCompatibilities: ['FARGATE'], networkMode: 'awsvpc', cpu, memory, containerDefinitions: [{ name: 'a', image: 'nginx' }] });
  assert.deepEqual(lines(load({ 'a.json': td('.25 vCPU', '.5 GB') }).errors), []);
  assert.deepEqual(lines(load({ 'a.json': td('.5 vCPU', '.5 GB') }).errors), ['a.json:13:5: memory 512 MiB does not fit cpu 512 on Fargate: use 1024 to 4096 MiB in steps of 1024 (at /spec/memory)']);
});
