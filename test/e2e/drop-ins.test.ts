// Real exports drop in, through the built CLI against moto: the whole `aws ecs describe-task-definition`
// output, and an ecspresso task and service definition with empty enum strings and ".25 vCPU" / ".5 GB"
// units, validate (with a warning per thing accepted), apply, and a second apply writes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { createFixtures, substituteIds } from '../../src/tools/fixtures.js';
import { ecsClient } from '../support/aws.js';
import { runCli } from '../support/cli.js';
import { useMoto } from '../support/moto.js';

const moto = useMoto({ MOTO_ECS_SERVICE_RUNNING: '1' });
const FIXTURES = new URL('../fixtures/drop-ins/', import.meta.url);
const fixture = async (name: string) => JSON.parse(await readFile(new URL(name, FIXTURES), 'utf8')) as Record<string, unknown>;
const manifest = (kind: string, name: string, spec: unknown) => `${JSON.stringify({ apiVersion: 'ecs-operator.dev/v1alpha1', kind, metadata: { name }, spec }, null, 2)}\n`;

async function dropInFolder(): Promise<string> {
  const ids = await createFixtures();
  const dir = await mkdtemp(join(tmpdir(), 'drop-ins-'));
  const files: Record<string, string> = {
    'cluster.yaml': 'apiVersion: ecs-operator.dev/v1alpha1\nkind: Cluster\nmetadata: {name: prod}\nspec:\n  capacityProviders: [FARGATE]\n  defaultCapacityProviderStrategy: [{capacityProvider: FARGATE, weight: 1}]\n',
    'api-task-definition.json': manifest('TaskDefinition', 'api', await fixture('describe-task-definition.json')),
    'app-task-definition.json': manifest('TaskDefinition', 'app', await fixture('ecs-task-def.json')),
    'app-service.json': manifest('Service', 'app', { cluster: 'prod', taskDefinition: 'app', ...(await fixture('ecs-service-def.json')) }),
  };
  for (const [file, text] of Object.entries(files)) await writeFile(join(dir, file), substituteIds(text, ids));
  return dir;
}

test('a describe-task-definition output and ecspresso definitions validate, apply, and a second apply writes nothing', async () => {
  await moto.server.reset();
  const dir = await dropInFolder();
  try {
    const env = moto.server.awsEnv;
    const valid = await runCli(['validate', dir, '-o', 'json']);
    assert.equal(valid.code, 0, valid.stdout);
    const warnings = (JSON.parse(valid.stdout).warnings as Array<{ file: string; path: string; message: string }>).map((w) => `${w.file.slice(dir.length + 1)} ${w.path}: ${w.message}`);
    for (const expected of [
      'api-task-definition.json /spec/taskDefinition: a describe-task-definition output: its taskDefinition is the spec, and its tags the revision\'s tags',
      'api-task-definition.json /spec/taskDefinition/revision: revision is set by AWS, not by a manifest: ignored',
      'app-task-definition.json /spec/pidMode: pidMode is "" (how some tools write an unset value): treated as absent',
      'app-task-definition.json /spec/ipcMode: ipcMode is "" (how some tools write an unset value): treated as absent',
      'app-task-definition.json /spec/containerDefinitions/0/portMappings/0/appProtocol: appProtocol is "" (how some tools write an unset value): treated as absent',
      'app-service.json /spec/launchType: launchType is "" (how some tools write an unset value): treated as absent',
      'app-service.json /spec/propagateTags: propagateTags is "" (how some tools write an unset value): treated as absent',
    ]) assert.ok(warnings.includes(expected), `${expected}\nin\n${warnings.join('\n')}`);

    // moto records launchType EC2 for a service created with a capacity provider strategy (AWS records
    // none), which would read as drift: against moto the service runs by launch type instead.
    const service = JSON.parse(await readFile(join(dir, 'app-service.json'), 'utf8'));
    delete service.spec.capacityProviderStrategy;
    await writeFile(join(dir, 'app-service.json'), JSON.stringify({ ...service, spec: { ...service.spec, launchType: 'FARGATE' } }, null, 2));

    const first = await runCli(['apply', dir, '-o', 'json', '--timeout', '60s'], { env });
    assert.equal(first.code, 0, first.stdout + first.stderr);
    const applied = JSON.parse(first.stdout);
    for (const r of applied.resources) assert.deepEqual([r.key, r.sync], [r.key, 'Synced']);

    const second = JSON.parse((await runCli(['apply', dir, '-o', 'json', '--timeout', '60s'], { env })).stdout);
    assert.equal(second.awsCalls.writes, 0, JSON.stringify(second.awsCalls.byOperation));

    // The describe output's tags are the registered revision's tags; ".25 vCPU" and ".5 GB" are sent
    // in the form RegisterTaskDefinition documents (AWS then stores 256 and 512; moto keeps the text).
    const ecs = ecsClient();
    const api = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'api', include: ['TAGS'] }));
    assert.ok(api.tags?.some((t) => t.key === 'team' && t.value === 'payments'), JSON.stringify(api.tags));
    const app = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'app' }));
    assert.deepEqual([app.taskDefinition?.cpu, app.taskDefinition?.memory, app.taskDefinition?.pidMode, app.taskDefinition?.ipcMode], ['0.25 vCPU', '0.5 GB', undefined, undefined]);
    ecs.destroy();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
