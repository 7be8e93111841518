// Which files an environment renders: its includes (folders at any depth, files), inside the source;
// what it cannot include (outside the source, its own file, another environment's file); what no
// environment includes (a warning, rendered nowhere); and the Environment's own file and name rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { environment, lines, named, render, SERVICE, TASK_DEFINITION } from './helpers.js';

const VALUES = 'values: {count: 1, subnets: [s], mode: m}';
const base = { 'base/service.yaml': SERVICE, 'base/task-definition.yaml': TASK_DEFINITION };
const keys = (load: Awaited<ReturnType<typeof render>>, env: string) => [...named(load, env).result.state!.resources.keys()].sort();

test('folders at any depth and single files, relative to the Environment; a file included twice is read once', async () => {
  const load = await render({
    'apps/web/service.yaml': SERVICE,
    'apps/web/deep/task-definition.yaml': TASK_DEFINITION,
    'envs/prod/environment.yaml': environment('prod', `include: [../../apps, ../../apps/web/service.yaml, autoscaling.yaml]\n${VALUES}`),
    'envs/prod/autoscaling.yaml': 'apiVersion: ecs-operator.dev/v1alpha1\nkind: ServiceAutoScaling\nmetadata: {name: web}\nspec: {service: web, minCapacity: 1, maxCapacity: 2}\n',
  });
  assert.deepEqual(lines(load), []);
  assert.deepEqual(keys(load, 'prod'), ['Service/web', 'ServiceAutoScaling/web', 'TaskDefinition/web']);
  assert.deepEqual(named(load, 'prod').sources.get('Service/web' as never), ['apps/web/service.yaml', 'envs/prod/environment.yaml']);
  assert.deepEqual(named(load, 'prod').sources.get('ServiceAutoScaling/web' as never), ['envs/prod/autoscaling.yaml']);
});

test('an environment including its own folder skips its own file; environments are rendered in name order', async () => {
  const load = await render({
    ...base,
    'envs/b/environment.yaml': environment('b', `include: [../../base]\n${VALUES}`),
    'envs/a/environment.yaml': environment('a', `include: [., ../../base/service.yaml, ../../base/task-definition.yaml]\n${VALUES}`),
  });
  assert.deepEqual(lines(load), ['envs/a/environment.yaml:6:13: environment "a": include "." names no manifest file or folder of the source besides this Environment (at /spec/include/0)']);
  assert.deepEqual(load.environments.map((e) => e.name), ['a', 'b']);
});

test('includes outside the source, of its own file, of another environment, of nothing: errors at the include', async () => {
  const envFile = 'envs/prod/environment.yaml';
  const again = await render({
    ...base,
    'envs/staging/environment.yaml': environment('staging', `include: [../../base]\n${VALUES}`),
    'envs/prod/environment.yaml': environment('prod', `include: [sub/../../../../elsewhere, environment.yaml, .., ../../bsae]\n${VALUES}`),
  });
  assert.deepEqual(lines(again), [
    `${envFile}:6:13: environment "prod": include "sub/../../../../elsewhere" is outside the source (.): an environment includes only what the source holds (at /spec/include/0)`,
    `${envFile}:6:40: environment "prod": include "environment.yaml" is this Environment's own file (at /spec/include/1)`,
    `${envFile}:6:58: environment "prod": include ".." takes in envs/staging/environment.yaml, which holds Environment "staging": an environment cannot include another (include the base they share) (at /spec/include/2)`,
    `${envFile}:6:62: environment "prod": include "../../bsae" names no manifest file or folder of the source (at /spec/include/3)`,
  ]);
  assert.equal(named(again, 'prod').result.state, undefined);
  assert.ok(named(again, 'staging').result.state, 'another environment is not made invalid by it');
});

test('roots: a source given as a folder keeps includes inside it', async () => {
  const load = await render({ 'repo/base/service.yaml': SERVICE, 'repo/base/task-definition.yaml': TASK_DEFINITION, 'repo/envs/prod/environment.yaml': environment('prod', `include: [../../base]\n${VALUES}`) }, undefined, ['repo/envs']);
  assert.deepEqual(lines(load), ['repo/envs/prod/environment.yaml:6:13: environment "prod": include "../../base" is outside the source (repo/envs): an environment includes only what the source holds (at /spec/include/0)']);
});

test('a file no environment includes is a warning and rendered nowhere', async () => {
  const load = await render({ ...base, 'stray/service.yaml': SERVICE.replace('name: web', 'name: stray'), 'envs/prod/environment.yaml': environment('prod', `include: [../../base]\n${VALUES}`) });
  assert.deepEqual(lines(load), []);
  assert.deepEqual(lines(load, 'warnings'), ['stray/service.yaml:1:1: warning: not included by any Environment: not rendered']);
  assert.deepEqual(keys(load, 'prod'), ['Service/web', 'TaskDefinition/web']);
});

test('the Environment file: alone in its file, a unique name, its own schema, fields that cannot hold references', async () => {
  const load = await render({
    ...base,
    'envs/a/environment.yaml': `${environment('a', `include: [../../base]\n${VALUES}`)}---\n${SERVICE}`,
    'envs/b/environment.yaml': environment('a', `include: [../../base]\n${VALUES}`),
    'envs/c/environment.yaml': environment('c', 'include: ["${{ values.dir }}"]\nvalues: {1st: x}\ntarget: {region: eu-west, rolArn: x}\nimages: [{container: web}]\nvaluesFrom: [{name: x, env: X, ssm: /x}]'),
  });
  const out = lines(load);
  assert.ok(out.includes('envs/a/environment.yaml:9:1: a file with an Environment holds only the Environment: move this document to a file of its own'), out.join('\n'));
  assert.ok(out.includes('envs/b/environment.yaml:4:3: duplicate Environment "a": first defined at envs/a/environment.yaml:1 (at /metadata/name)'), out.join('\n'));
  assert.ok(out.includes('envs/c/environment.yaml:8:12: environment "c": must be an AWS Region such as "eu-west-1", got "eu-west" (at /spec/target/region)'), out.join('\n'));
  assert.ok(out.includes('envs/c/environment.yaml:8:29: environment "c": unknown field "rolArn" (did you mean "roleArn"?) (at /spec/target/rolArn)'), out.join('\n'));
});

test('rules beyond the schema: one source per valuesFrom entry, names that collide, references where none is expanded', async () => {
  const load = await render({
    ...base,
    'envs/c/environment.yaml': environment('c', 'include: ["${{ values.dir }}", /etc]\nvalues: {1st: x, count: 1}\nimages: [{container: web}, {container: web, newTag: a, digest: "sha256:0123456789abcdef0123456789abcdef"}]\nvaluesFrom: [{name: x, env: X, ssm: /x}, {name: count, env: C}, {name: y, ssm: /y, default: 1}, {name: z, env: Z, region: eu-west-1}]\npatches: [{kind: Service, name: web}]'),
  });
  const file = 'envs/c/environment.yaml';
  assert.deepEqual(lines(load), [
    `${file}:6:13: environment "c": "\${{ values.dir }}": references are expanded in values, images, patches and target, not here (at /spec/include/0)`,
    `${file}:6:34: environment "c": include "/etc" must be a relative path with "/" (at /spec/include/1)`,
    `${file}:7:12: environment "c": value name "1st" must be letters, digits, "_" and "-", starting with a letter or "_" (at /spec/values/1st)`,
    `${file}:8:12: environment "c": an image override needs newName, newTag or digest (at /spec/images/0)`,
    `${file}:8:31: environment "c": container "web" has another override before this one (at /spec/images/1/container)`,
    `${file}:8:58: environment "c": newTag and digest exclude each other: write one or the other (at /spec/images/1/digest)`,
    `${file}:9:16: environment "c": a valuesFrom entry reads one source: env and ssm exclude each other (at /spec/valuesFrom/0)`,
    `${file}:9:45: environment "c": value "count" is also set in values (at /spec/values/count): set it in one place (at /spec/valuesFrom/1/name)`,
    `${file}:9:86: environment "c": default is for env only: a parameter or output that is missing is an error, never a silent default (at /spec/valuesFrom/2/default)`,
    `${file}:9:117: environment "c": region is for ssm and cloudFormation: a process variable has none (at /spec/valuesFrom/3/region)`,
    `${file}:10:13: environment "c": a patch needs spec or metadata (at /spec/patches/0)`,
  ]);
});

test('what an include in error (or a broken included file) would have held is not told again as a patch or an override that matches nothing', async () => {
  const load = await render({
    ...base,
    'more/broken.yaml': 'kind: [',
    'envs/prod/environment.yaml': environment('prod', `include: [../../bsae, ../../more]\n${VALUES}\nimages: [{container: web, newTag: "2"}]\npatches: [{kind: Service, name: web, spec: {desiredCount: 2}}]`),
  });
  const out = lines(load);
  assert.equal(out.length, 2, out.join('\n'));
  assert.match(out[0]!, /^envs\/prod\/environment\.yaml:6:13: environment "prod": include "\.\.\/\.\.\/bsae" names no manifest file or folder/);
  assert.match(out[1]!, /^more\/broken\.yaml:1:8: YAML syntax error: /);
});
