// `ecs-operator validate` on a source with Environments, through the built CLI: each environment is
// checked as it renders (not its templated base files as literal manifests, nor the Environment as
// an unknown kind); a lookup it does not make is an error naming the parameter, with the flag that
// makes it; an error in a value names the environment and the reference's file:line:col.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../support/cli.js';
import { ENV_HEADER, SERVICE, TASK_DEFINITION } from './helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

test('validate checks the example environments as they render: valid, each resource named with its environment', async () => {
  const text = await runCli(['validate', 'examples/environments'], { cwd: ROOT });
  assert.equal(text.code, 0, text.stdout + text.stderr);
  assert.match(text.stdout, /^valid: 11 resource\(s\) in 2 environment\(s\), 1 warning\(s\)$/m);
  assert.doesNotMatch(text.stdout, /must be one of|unknown kind/);
  const json = await runCli(['validate', 'examples/environments', '-o', 'json', '--allow-env', 'WEB_TAG'], { cwd: ROOT, env: { WEB_TAG: '1.28' } });
  assert.equal(json.code, 0, json.stderr);
  const out = JSON.parse(json.stdout) as { valid: boolean; warnings: unknown[]; resources: { environment: string; kind: string; name: string }[] };
  assert.equal(out.valid, true);
  assert.deepEqual(out.warnings, [], 'WEB_TAG allowed: no warning');
  assert.deepEqual([...new Set(out.resources.map((r) => r.environment))].sort(), ['production', 'staging']);
  assert.equal(out.resources.filter((r) => r.kind === 'Service' && r.name === 'web').length, 2);
});

test('validate without --lookups: each SSM parameter and stack output is an error naming it; exit 1', async () => {
  const r = await runCli(['validate', 'examples/accounts'], { cwd: ROOT });
  assert.equal(r.code, 1, r.stdout);
  for (const name of ['"/network/private-subnets"', '"/network/app-security-groups"', '"ProductionDeployRoleArn"']) {
    assert.ok(r.stdout.split('\n').some((l) => l.includes(name) && l.includes('needs an AWS lookup')), `${name} named in ${r.stdout}`);
  }
  assert.match(r.stdout, /^examples\/accounts\/staging\/environment\.yaml:\d+:\d+: environment "staging": SSM parameter "\/network\/private-subnets" needs an AWS lookup/m);
  assert.match(r.stdout, /^invalid: 5 error\(s\)$/m);
  assert.match(r.stdout, /^validate --lookups makes the SSM and CloudFormation lookups/m);
});

test('validate: a typo in a value reference is one error at the reference naming the environment; the plain base is not reported as literal', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'validate-env-'));
  try {
    await mkdir(join(dir, 'base'));
    await mkdir(join(dir, 'staging'));
    await writeFile(join(dir, 'base', 'service.yaml'), SERVICE.replace('values.count', 'values.cuont'));
    await writeFile(join(dir, 'base', 'task-definition.yaml'), TASK_DEFINITION);
    await writeFile(join(dir, 'staging', 'environment.yaml'), `${ENV_HEADER}metadata: {name: staging}\nspec:\n  include: [../base]\n  values: {count: 2, subnets: [subnet-1], mode: blue}\n`);
    const r = await runCli(['validate', dir]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const errors = r.stdout.split('\n').filter((l) => l.includes(': ') && !l.startsWith('invalid'));
    assert.equal(errors.length, 1, r.stdout);
    assert.match(errors[0]!, /base\/service\.yaml:8:17: environment "staging": unknown value "cuont" \(did you mean "count"\?\) \(at \/spec\/desiredCount\)$/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
