// A folder without an Environment is one implicit environment: rendered, its documents are placed by
// their provenance, and every diagnostic is the one validate gives on the files themselves (the
// rendered Locator is faithful, an unwrapped export included).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readRevision } from '../../src/sources/files.js';
import { loadRevision } from '../../src/desired/load.js';
import { loadEnvironments } from '../../src/environments/load.js';
import { processLookups } from '../../src/environments/lookups.js';
import { EXAMPLES } from '../support/examples.js';
import { doc, FARGATE_SERVICE, FARGATE_TD, lines as format } from '../desired/helpers.js';
import { KIND_REGISTRY } from '../../src/kinds/registry.js';

async function both(revision: Parameters<typeof loadRevision>[0]) {
  const plain = loadRevision(revision, KIND_REGISTRY.rules);
  const rendered = await loadEnvironments(revision, { lookups: processLookups([], {}), kinds: KIND_REGISTRY.rules });
  assert.equal(rendered.environments.length, 1);
  const env = rendered.environments[0]!;
  assert.equal(env.name, undefined);
  return { plain, env };
}

test('the example manifests: the same resources, warnings and manifests as the loader gives the files', async () => {
  const { plain, env } = await both(await readRevision([EXAMPLES]));
  assert.deepEqual(plain.errors, []);
  assert.deepEqual(format(env.result.warnings), format(plain.warnings), 'the export unwrapped from its envelope is told at the same places');
  assert.deepEqual(env.result.state!.order, plain.state!.order);
  for (const [key, resource] of plain.state!.resources) {
    assert.deepEqual(env.result.state!.resources.get(key)!.manifest, resource.manifest, key);
    assert.equal(env.result.state!.resources.get(key)!.hash, resource.hash, key);
  }
});

test('broken manifests: every error at the same file:line:col with the same message', async () => {
  const files = new Map(Object.entries({
    'td.yaml': doc('TaskDefinition', 'web', FARGATE_TD.replace('memory: "512"', 'memory: "4 GB"').replace('cpu: "256"', 'cpu: "256"\ncpuArchitecture: ARM64')),
    'app.yaml': [doc('TaskDefinition', 'api', 'containerDefinitions:\n  - name: api\n    memory: 256'), doc('Service', 'api', 'taskDefinition: api\ndesiredCount: -1'), doc('Service', 'web', FARGATE_SERVICE.replace('cluster: prod', 'cluster: prod\ndesiredCont: 1'))].join('---\n'),
    'bad.yaml': 'kind: Servce\nmetadata: {name: x}\n',
    'dup.yaml': doc('Service', 'api', 'taskDefinition: missing'),
  }));
  const { plain, env } = await both({ info: { id: 'x', source: 'x' }, files });
  assert.ok(plain.errors.length >= 6, format(plain.errors).join('\n'));
  assert.deepEqual(format(env.result.errors), format(plain.errors));
  assert.deepEqual(format(env.result.warnings), format(plain.warnings));
});
