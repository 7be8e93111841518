// Values: typed whole-value references, interpolation into strings, values that refer to values, and
// every mistake an error at the reference's file:line:col naming the environment (and, for a value of
// the wrong type, where the value is set), with nothing of the environment usable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { environment, lines, manifest, render, SERVICE, TASK_DEFINITION } from './helpers.js';

const base = { 'base/service.yaml': SERVICE, 'base/task-definition.yaml': TASK_DEFINITION };
const env = (values: string, extra = '') => environment('staging', `include: [../../base]\nvalues:\n${values.trim().split('\n').map((l) => `  ${l}`).join('\n')}\n${extra}`);
const ENV_FILE = 'envs/staging/environment.yaml';

test('a whole-value reference keeps its type; interpolation writes text; shell syntax and $${{ pass through', async () => {
  const load = await render({ ...base, [ENV_FILE]: env('count: 3\nsubnets: [subnet-a, subnet-b]\nmode: fast') });
  assert.deepEqual(lines(load), []);
  const service = manifest(load, 'staging', 'Service/web').spec as any;
  assert.equal(service.desiredCount, 3);
  assert.deepEqual(service.networkConfiguration.awsvpcConfiguration.subnets, ['subnet-a', 'subnet-b']);
  const web = (manifest(load, 'staging', 'TaskDefinition/web').spec as any).containerDefinitions[0];
  assert.deepEqual(web.environment, [{ name: 'LOG_LEVEL', value: 'info' }, { name: 'MODE', value: 'fast' }]);
  assert.deepEqual(web.command, ['sh', '-c', 'echo ${HOSTNAME} ${{ literal }} && exec nginx']);
});

test('values refer to values and to members of maps; numbers and booleans interpolate; environment.name is the name', async () => {
  const load = await render({
    'base/service.yaml': SERVICE.replace('cluster: prod', 'cluster: "${{ values.clusters.main }}"').replace('launchType: FARGATE', 'launchType: FARGATE\n  tags:\n    - {key: env, value: "${{ environment.name }}-${{ values.count }}-${{ values.flag }}"}'),
    'base/task-definition.yaml': TASK_DEFINITION,
    [ENV_FILE]: env('mode: m\ncount: ${{ values.base.count }}\nbase: {count: 2}\nsubnets: ["${{ values.prefix }}-1"]\nprefix: subnet\nclusters: {main: "c-${{ environment.name }}"}\nflag: true'),
  });
  assert.deepEqual(lines(load), []);
  const spec = manifest(load, 'staging', 'Service/web').spec as any;
  assert.equal(spec.desiredCount, 2);
  assert.deepEqual(spec.networkConfiguration.awsvpcConfiguration.subnets, ['subnet-1']);
  assert.equal(spec.cluster, 'c-staging');
  assert.deepEqual(spec.tags, [{ key: 'env', value: 'staging-2-true' }]);
});

test('a typo in a reference, a wrong type, a list in a string, an unknown member: errors at the reference naming the environment', async () => {
  const load = await render({
    'base/service.yaml': SERVICE.replace('values.count', 'values.cuont').replace('cluster: prod', 'cluster: "x-${{ values.subnets }}"'),
    'base/task-definition.yaml': TASK_DEFINITION.replace('values.mode', 'values.modes.fast').replace('cpu: "256"', 'cpu: ${{ values.cpu }}'),
    [ENV_FILE]: env('count: 2\nsubnets: [subnet-a]\nmodes: {slow: 1}\ncpu: 256'),
  });
  assert.deepEqual(lines(load), [
    'base/service.yaml:6:12: environment "staging": value "subnets" is a list: it cannot be written into a string; use ${{ values.subnets }} alone as the whole value (at /spec/cluster)',
    'base/service.yaml:8:17: environment "staging": unknown value "cuont" (did you mean "count"?) (at /spec/desiredCount)',
    `base/task-definition.yaml:8:8: environment "staging": must be a string, got number (quote it: "256"); value "cpu" is set at ${ENV_FILE}:11:5 (at /spec/cpu)`,
    'base/task-definition.yaml:16:31: environment "staging": value "modes" has no member "fast" (at /spec/containerDefinitions/0/environment/1/value)',
  ]);
  assert.equal(load.environments[0]!.result.state, undefined);
});

test('a value of the wrong type in a list names the item where it is set', async () => {
  const load = await render({ ...base, [ENV_FILE]: env('count: 1\nmode: m\nsubnets:\n  - subnet-a\n  - 42') });
  assert.deepEqual(lines(load), [`base/service.yaml:12:16: environment "staging": must be a string, got number (quote it: "42"); value "subnets" is set at ${ENV_FILE}:12:9 (at /spec/networkConfiguration/awsvpcConfiguration/subnets/1)`]);
});

test('a cycle of values is an error naming it; what uses it is not told again', async () => {
  const load = await render({ ...base, [ENV_FILE]: env('count: ${{ values.a }}\na: ${{ values.b }}\nb: "${{ values.count }}"\nmode: m\nsubnets: [s]') });
  assert.deepEqual(lines(load), [`${ENV_FILE}:10:8: environment "staging": value "count" refers to itself: count -> a -> b -> count (at /spec/values/b)`]);
});

test('a reference that names nothing known, a reference in a key, an unclosed ${{', async () => {
  const load = await render({
    'base/service.yaml': SERVICE.replace('values.count', 'value.count').replace('launchType: FARGATE', 'launchType: FARGATE\n  "${{ values.key }}": 1\n  platformVersion: "${{ values.x"'),
    [ENV_FILE]: env('count: 1\nsubnets: [s]'),
  });
  const out = lines(load);
  assert.ok(out.includes('base/service.yaml:8:17: environment "staging": "${{ value.count }}" is not a reference: write ${{ values.NAME }} or ${{ environment.name }} (and "$${{" for a literal "${{") (at /spec/desiredCount)'), out.join('\n'));
  assert.ok(out.includes('base/service.yaml:10:3: environment "staging": "${{ values.key }}": references are not expanded in keys (at /spec/${{ values.key }})'), out.join('\n'));
  assert.ok(out.includes('base/service.yaml:11:20: environment "staging": "${{" is not closed with "}}" (write "$${{" for a literal "${{") (at /spec/platformVersion)'), out.join('\n'));
});

test('a folder without an Environment is one implicit environment: references there are errors, escapes are read', async () => {
  const load = await render({ 'service.yaml': SERVICE, 'task-definition.yaml': TASK_DEFINITION.replace('"${{ values.mode }}"', 'fast') });
  assert.deepEqual(lines(load), [
    'service.yaml:8:17: unknown value "count": this folder has no Environment, so no values are set (at /spec/desiredCount)',
    'service.yaml:12:16: unknown value "subnets": this folder has no Environment, so no values are set (at /spec/networkConfiguration/awsvpcConfiguration/subnets)',
  ]);
});

test('values multiplied by references are refused at the reference that passes the limit', async () => {
  // Each value doubles the one before: 2^24 copies of a 16-character string if nothing stopped it.
  const doubling = Array.from({ length: 24 }, (_, i) => `v${i + 1}: ["\${{ values.v${i} }}", "\${{ values.v${i} }}"]`).join('\n');
  const started = Date.now();
  const load = await render({ ...base, [ENV_FILE]: env(`count: 1\nmode: m\nv0: "0123456789abcdef"\n${doubling}\nsubnets: \${{ values.v24 }}`) });
  assert.ok(Date.now() - started < 5000, 'refused before it costs');
  const out = lines(load);
  assert.equal(out.length, 1, out.join('\n'));
  assert.match(out[0]!, new RegExp(`^${ENV_FILE}:\\d+:\\d+: environment "staging": \\$\\{\\{ values\\.v\\d+ \\}\\} expands this document beyond 1048576 bytes: refused`));
});

test('YAML anchors: within the environment file they work; across files they are a syntax error', async () => {
  const within = await render({ ...base, [ENV_FILE]: env('count: &n 2\nsubnets: [s]\nmode: m', 'patches:\n  - kind: Service\n    name: web\n    spec: {healthCheckGracePeriodSeconds: *n}') });
  assert.deepEqual(lines(within), []);
  assert.equal(manifest(within, 'staging', 'Service/web').spec.healthCheckGracePeriodSeconds, 2);
  const across = await render({ 'base/service.yaml': SERVICE.replace('desiredCount: ${{ values.count }}', 'desiredCount: &count 1'), 'base/task-definition.yaml': TASK_DEFINITION, [ENV_FILE]: env('count: 2\nsubnets: [s]\nmode: m', 'patches:\n  - {kind: Service, name: web, spec: {desiredCount: *count}}') });
  // The broken Environment is the only thing told: its revision is not taken for a plain folder.
  assert.deepEqual(lines(across), [`${ENV_FILE}:1:1: Unresolved alias (the anchor must be set before the alias): count`]);
  assert.deepEqual(lines(across, 'warnings'), []);
});

test('the limits of files apply to Environments: an alias bomb is refused, and so is depth gained from values', async () => {
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 6 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`)].join('\n');
  const aliases = await render({ ...base, [ENV_FILE]: env(`count: 1\nmode: m\nsubnets: [s]\n${bomb}`) });
  assert.deepEqual(lines(aliases), [`${ENV_FILE}:1:1: YAML aliases expand more than 100 times: refused as a possible alias bomb`]);
  // 58 levels in the environment's file and 10 in the base's are each within 64, not together.
  const deep = `${'['.repeat(58)}x${']'.repeat(58)}`;
  const nested = await render({ 'base/service.yaml': SERVICE.replace('launchType: FARGATE', 'launchType: FARGATE\n  a: {b: {c: {d: {e: {f: {g: {h: {i: "${{ values.deep }}"}}}}}}}}'), 'base/task-definition.yaml': TASK_DEFINITION, [ENV_FILE]: env(`count: 1\nmode: m\nsubnets: [s]\ndeep: ${deep}`) });
  const pointer = `/spec/a/b/c/d/e/f/g/h/i${'/0'.repeat(54)}`;
  assert.deepEqual(lines(nested).filter((l) => l.includes('nested')), [`base/service.yaml:10:38: environment "staging": nested deeper than 64 levels once values are substituted; value "deep" is set at ${ENV_FILE}:11:65 (at ${pointer})`]);
});

test('what references add to all the documents of an environment together is bounded too', async () => {
  // 20 documents, each taking a 900 kB value (under the 1 MiB of one document): 18 MB in all.
  const files: Record<string, string> = { [ENV_FILE]: env(`big: "${'x'.repeat(900_000)}"`) };
  for (let i = 0; i < 20; i++) files[`base/td-${String(i).padStart(2, '0')}.yaml`] = TASK_DEFINITION.replace('name: web\nspec', `name: td${i}\nspec`).replace('"${{ values.mode }}"', '"${{ values.big }}"');
  const load = await render(files);
  const out = lines(load);
  assert.equal(out.length, 2, `${out.length}\n${out.map((l) => l.slice(0, 200)).join('\n')}`);
  assert.match(out[0]!, /^base\/td-18\.yaml:16:31: environment "staging": \$\{\{ values\.big \}\} expands the environment's documents beyond 16777216 bytes: refused/);
});
