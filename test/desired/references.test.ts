// Cross-document rules: duplicates, references (spec fields and metadata.dependsOn), one manifest per AWS
// resource, dependency cycles, the apply order, and which services are autoscaled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ResourceKey } from '../../src/core/types.js';
import { findCycles, topologicalOrder } from '../../src/desired/graph.js';
import { KIND_ORDER } from '../../src/kinds/registry.js';
import { autoscaledServices } from '../../src/kinds/service/autoscaled.js';
import type { Edge } from '../../src/desired/references.js';
import { doc, EC2_TD, FARGATE_SERVICE, FARGATE_TD, lines, load } from './helpers.js';

const join = (...docs: string[]) => docs.join('---\n');
const dependsOn = (...keys: string[]) => `  dependsOn:\n${keys.map((k) => `    - {kind: ${k.split('/')[0]}, name: ${k.split('/')[1]}}`).join('\n')}\n`;

test('two documents with the same kind and name: an error at the second, naming the first', () => {
  const result = load({ 'a.yaml': doc('Cluster', 'c', 'settings: []'), 'b/c.yaml': `# again\n${doc('Cluster', 'c', 'settings: []')}` });
  assert.deepEqual(lines(result.errors), ['b/c.yaml:5:3: duplicate Cluster "c": first defined at a.yaml:1 (at /metadata/name)']);
});

test('the same name in two kinds is fine', () => {
  assert.deepEqual(load({ 'a.yaml': join(doc('TaskDefinition', 'web', FARGATE_TD), doc('Service', 'web', FARGATE_SERVICE)) }).errors, []);
});

test('references: manifests by name or identity, external names, and references to nothing', () => {
  const result = load({
    'a.yaml': join(
      doc('Cluster', 'platform', 'clusterName: prod'),
      doc('TaskDefinition', 'web', `family: web-family\n${EC2_TD}`),
      doc('Service', 'by-name', 'cluster: platform\ntaskDefinition: web\ndesiredCount: 0'),
      doc('Service', 'by-identity', 'cluster: prod\ntaskDefinition: web-family\ndesiredCount: 0'),
      doc('Service', 'external', 'cluster: arn:aws:ecs:us-east-1:123456789012:cluster/other\ntaskDefinition: nginx:3\ndesiredCount: 0'),
      doc('Service', 'typo', 'taskDefinition: wbe\ndesiredCount: 0'),
      doc('ServiceAutoScaling', 'x', 'service: by-nam\nminCapacity: 1\nmaxCapacity: 2', dependsOn('Service/by-name', 'Cluster/nope')),
    ),
  });
  assert.deepEqual(lines(result.errors), [
    'a.yaml:49:3: reference to nothing: no TaskDefinition manifest named "wbe" (did you mean "web"?); for a task definition not managed here, write family:revision or its ARN (at /spec/taskDefinition)',
    'a.yaml:58:23: reference to nothing: no Cluster manifest named "nope" (at /metadata/dependsOn/1/name)',
    'a.yaml:60:3: reference to nothing: no Service manifest named "by-nam" (did you mean "by-name"?) (at /spec/service)',
  ]);
});

test('dependsOn holds implicit references and metadata.dependsOn; the default cluster only when managed', () => {
  const state = load({
    'a.yaml': join(
      doc('Cluster', 'default', 'settings: []'),
      doc('TaskDefinition', 'web', FARGATE_TD),
      doc('Service', 'web', FARGATE_SERVICE.replace('cluster: prod\n', ''), dependsOn('TaskDefinition/web')),
      doc('ServiceAutoScaling', 'web', 'service: web\nminCapacity: 1\nmaxCapacity: 2', dependsOn('Cluster/default')),
    ),
  }).state!;
  assert.deepEqual(state.resources.get('Service/web')!.dependsOn, ['Cluster/default', 'TaskDefinition/web']);
  assert.deepEqual(state.resources.get('ServiceAutoScaling/web')!.dependsOn, ['Service/web', 'Cluster/default']);
  assert.deepEqual(state.resources.get('TaskDefinition/web')!.dependsOn, []);
});

test('order: dependencies first, ties by kind order then name', () => {
  const state = load({
    'z.yaml': join(
      doc('ServiceAutoScaling', 'b', 'service: b\nminCapacity: 1\nmaxCapacity: 2'),
      doc('Service', 'b', 'taskDefinition: b\ncluster: prod\ndesiredCount: 0'),
      doc('Service', 'a', 'desiredCount: 0', dependsOn('Service/b')),
      doc('TaskDefinition', 'b', EC2_TD),
      doc('TaskDefinition', 'a', EC2_TD),
      doc('Cluster', 'prod', 'settings: []'),
      doc('Cluster', 'other', 'settings: []', dependsOn('TaskDefinition/a')),
    ),
  }).state!;
  assert.deepEqual(state.order, [
    'Cluster/prod', 'TaskDefinition/a', 'Cluster/other', 'TaskDefinition/b', 'Service/b', 'Service/a', 'ServiceAutoScaling/b',
  ]);
});

test('cycles: an error at each member naming the whole cycle, where its edge is written', () => {
  const result = load({
    'a.yaml': join(
      doc('Service', 'a', 'desiredCount: 1', dependsOn('Service/b')),
      doc('Service', 'b', 'desiredCount: 1', dependsOn('Service/a')),
      doc('Service', 'self', 'desiredCount: 1', dependsOn('Service/self')),
      doc('TaskDefinition', 'web', FARGATE_TD, dependsOn('Service/c')),
      doc('Service', 'c', 'taskDefinition: web\nlaunchType: FARGATE\nnetworkConfiguration: {awsvpcConfiguration: {subnets: [s]}}'),
      doc('Service', 'outside', 'desiredCount: 1', dependsOn('Service/a')),
    ),
  });
  assert.deepEqual(lines(result.errors), [
    'a.yaml:6:7: dependency cycle: Service/a -> Service/b -> Service/a (at /metadata/dependsOn/0)',
    'a.yaml:15:7: dependency cycle: Service/b -> Service/a -> Service/b (at /metadata/dependsOn/0)',
    'a.yaml:24:7: dependency cycle: Service/self -> Service/self (at /metadata/dependsOn/0)',
    'a.yaml:33:7: dependency cycle: TaskDefinition/web -> Service/c -> TaskDefinition/web (at /metadata/dependsOn/0)',
    'a.yaml:49:3: dependency cycle: Service/c -> TaskDefinition/web -> Service/c (at /spec/taskDefinition)',
  ]);
});

test('a long dependency chain exhausts neither cycle detection nor ordering', () => {
  const edges = new Map<ResourceKey, Edge[]>();
  const n = 20_000; // deeper than a recursive walk could go
  for (let i = 0; i < n; i++) edges.set(`Cluster/c${i}`, i === 0 ? [] : [{ to: `Cluster/c${i - 1}`, path: '/metadata/dependsOn/0' }]);
  assert.deepEqual(findCycles(edges), []);
  const order = topologicalOrder(edges, KIND_ORDER);
  assert.equal(order.length, n);
  assert.deepEqual([order[0], order[n - 1]], ['Cluster/c0', `Cluster/c${n - 1}`]);
  edges.set('Cluster/c0', [{ to: `Cluster/c${n - 1}`, path: '/metadata/dependsOn/0' }]);
  const cycles = findCycles(edges);
  assert.equal(cycles.length, n, 'every member of the one long cycle');
  assert.match(cycles[0]!.keys.join(' -> '), /^Cluster\/c0 -> Cluster\/c19999 -> .* -> … 19990 more … -> Cluster\/c1 -> Cluster\/c0$/);
});

test('two manifests managing one AWS resource', () => {
  const result = load({
    'a.yaml': join(
      doc('Cluster', 'prod', 'settings: []'),
      doc('Cluster', 'prod2', 'clusterName: prod'),
      doc('Service', 'a', 'cluster: prod\ndesiredCount: 1'),
      doc('Service', 'b', 'cluster: prod2\nserviceName: a'),
      doc('Service', 'c', 'serviceName: a'),
      doc('ServiceAutoScaling', 'one', 'service: a\nminCapacity: 1\nmaxCapacity: 2'),
      doc('ServiceAutoScaling', 'two', 'service: a\nminCapacity: 1\nmaxCapacity: 3'),
    ),
  });
  assert.deepEqual(lines(result.errors), [
    'a.yaml:13:3: Cluster "prod2" and Cluster "prod" (at a.yaml:1) both manage clusterName "prod" (at /spec/clusterName)',
    'a.yaml:29:3: Service "b" and Service "a" (at a.yaml:15) both manage serviceName "a" in cluster "prod" (at /spec/serviceName)',
    'a.yaml:50:3: ServiceAutoScaling "two" and ServiceAutoScaling "one" (at a.yaml:38) both manage the scaling of Service "a" (at /metadata/name)',
  ]);
});

test('autoscaledServices maps each scaled Service to its ServiceAutoScaling', () => {
  const state = load({
    'a.yaml': join(
      doc('Service', 'web', 'desiredCount: 2'),
      doc('Service', 'worker', 'desiredCount: 1'),
      doc('ServiceAutoScaling', 'web-scaling', 'service: web\nminCapacity: 2\nmaxCapacity: 10'),
    ),
  }).state!;
  assert.deepEqual([...autoscaledServices(state)], [['Service/web', 'ServiceAutoScaling/web-scaling']]);
});

test('autoscaledServices is worked out once per desired state', () => {
  const files = { 'a.yaml': join(doc('Service', 'web', 'desiredCount: 2'), doc('ServiceAutoScaling', 'web', 'service: web\nminCapacity: 2\nmaxCapacity: 10')) };
  const state = load(files).state!;
  assert.equal(autoscaledServices(state), autoscaledServices(state), 'the same map for the same state');
  assert.notEqual(autoscaledServices(load(files).state!), autoscaledServices(state), 'each state its own');
});
