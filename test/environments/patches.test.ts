// Patches: a JSON merge patch on spec (and labels and annotations) where the lists of named things
// merge item by item by their key, `$patch: delete` removes an item, null removes a member, and every
// other list is replaced; mistakes are errors at the patch naming the environment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { environment, lines, manifest, render, SERVICE, TASK_DEFINITION } from './helpers.js';

const VALUES = 'values: {count: 2, subnets: [subnet-1], mode: fast}';
const base = { 'base/service.yaml': SERVICE, 'base/task-definition.yaml': TASK_DEFINITION };
const withPatches = (patches: string) => render({ ...base, 'envs/prod/environment.yaml': environment('prod', `include: [../../base]\n${VALUES}\npatches:\n${patches}`) });

test('named lists merge by key: a container by name, its environment by name, a port mapping by containerPort, tags by key', async () => {
  const load = await withPatches(`  - kind: TaskDefinition
    name: web
    spec:
      containerDefinitions:
        - name: web
          environment:
            - {name: LOG_LEVEL, value: warn}
            - {name: NEW, value: "1"}
          portMappings:
            - {containerPort: 80, name: http}
            - {containerPort: 443}
        - name: extra
          image: busybox
          essential: false
      tags:
        - {key: team, value: web}`);
  assert.deepEqual(lines(load), []);
  const td = manifest(load, 'prod', 'TaskDefinition/web').spec as any;
  assert.deepEqual(td.containerDefinitions.map((c: any) => c.name), ['web', 'sidecar', 'extra'], 'base order kept, new items appended');
  assert.deepEqual(td.containerDefinitions[0].environment, [{ name: 'LOG_LEVEL', value: 'warn' }, { name: 'MODE', value: 'fast' }, { name: 'NEW', value: '1' }]);
  assert.deepEqual(td.containerDefinitions[0].portMappings, [{ containerPort: 80, name: 'http' }, { containerPort: 443 }]);
  assert.equal(td.containerDefinitions[0].image, 'public.ecr.aws/nginx/nginx:1.27', 'members the patch does not name are kept');
  assert.deepEqual(td.tags, [{ key: 'team', value: 'web' }]);
});

test('$patch: delete removes a named item; null removes a member; other lists are replaced whole', async () => {
  const load = await withPatches(`  - kind: TaskDefinition
    name: web
    spec:
      containerDefinitions:
        - {name: sidecar, $patch: delete}
        - name: web
          command: [nginx, -g, daemon off;]
          environment:
            - {name: MODE, $patch: delete}
          portMappings: null
  - kind: Service
    name: web
    spec:
      networkConfiguration:
        awsvpcConfiguration:
          subnets: [subnet-2, subnet-3]
    metadata:
      labels: {tier: front}
      annotations: {ecs-operator.dev/drift: alert}`);
  assert.deepEqual(lines(load), []);
  const td = manifest(load, 'prod', 'TaskDefinition/web').spec as any;
  assert.deepEqual(td.containerDefinitions.map((c: any) => c.name), ['web']);
  assert.deepEqual(td.containerDefinitions[0].command, ['nginx', '-g', 'daemon off;'], 'a list without a merge key is replaced');
  assert.deepEqual(td.containerDefinitions[0].environment, [{ name: 'LOG_LEVEL', value: 'info' }]);
  assert.equal(td.containerDefinitions[0].portMappings, undefined);
  const service = manifest(load, 'prod', 'Service/web');
  assert.deepEqual((service.spec as any).networkConfiguration.awsvpcConfiguration.subnets, ['subnet-2', 'subnet-3']);
  assert.deepEqual(service.metadata.labels, { tier: 'front' });
  assert.deepEqual(service.metadata.annotations, { 'ecs-operator.dev/drift': 'alert' });
});

test('two environments patch their own copy of one base', async () => {
  const load = await render({
    ...base,
    'envs/a/environment.yaml': environment('a', `include: [../../base]\n${VALUES}\npatches:\n  - {kind: Service, name: web, spec: {desiredCount: 7}}`),
    'envs/b/environment.yaml': environment('b', `include: [../../base]\n${VALUES.replace('count: 2', 'count: 4')}`),
  });
  assert.deepEqual(lines(load), []);
  assert.equal(manifest(load, 'a', 'Service/web').spec.desiredCount, 7);
  assert.equal(manifest(load, 'b', 'Service/web').spec.desiredCount, 4);
});

test('patch mistakes: a resource not included, an item without its key, deleting what the base lacks, $patch out of place', async () => {
  const load = await withPatches(`  - kind: Service
    name: wbe
    spec: {desiredCount: 3}
  - kind: TaskDefinition
    name: web
    spec:
      containerDefinitions:
        - {image: nginx}
        - {name: sidecra, $patch: delete}
        - {name: web, $patch: replace}
      $patch: delete`);
  const envFile = 'envs/prod/environment.yaml';
  assert.deepEqual(lines(load), [
    `${envFile}:10:13: environment "prod": patches Service "wbe", which the environment does not include (did you mean "web"?) (at /spec/patches/0/name)`,
    `${envFile}:16:13: environment "prod": the items of containerDefinitions are merged by name: this item has no name (at /spec/patches/1/spec/containerDefinitions/0)`,
    `${envFile}:17:14: environment "prod": deletes the containerDefinitions item with name "sidecra", which the base does not have (did you mean "sidecar"?) (at /spec/patches/1/spec/containerDefinitions/1/name)`,
    `${envFile}:18:25: environment "prod": $patch must be "delete" (at /spec/patches/1/spec/containerDefinitions/2/$patch)`,
    `${envFile}:19:9: environment "prod": $patch is read only in the items of a list merged by key (containerDefinitions, environment, secrets, tags...) (at /spec/patches/1/spec/$patch)`,
  ]);
  assert.equal(load.environments[0]!.result.state, undefined, 'nothing of the environment is usable');
});

test('a field a patch makes invalid is told at the patch, naming the manifest and the base field it patches', async () => {
  const load = await withPatches(`  - kind: Service
    name: web
    spec:
      desiredCount: -3
      launchType: FARGAT
      platformVersion: LATEST`);
  assert.deepEqual(lines(load), [
    'envs/prod/environment.yaml:12:9: environment "prod": Service "web": must be between 0 and 5000, got -3; a patch of base/service.yaml:8:3 (at /spec/desiredCount)',
    'envs/prod/environment.yaml:13:9: environment "prod": Service "web": must be one of EC2, FARGATE, EXTERNAL, MANAGED_INSTANCES; got "FARGAT" (did you mean "FARGATE"?); a patch of base/service.yaml:9:3 (at /spec/launchType)',
  ]);
});
