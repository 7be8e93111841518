// Reading manifest files and folders into a Revision, and validatePaths (what the CLI's validate runs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validatePaths } from '../support/manifests.js';
import { readRevision } from '../../src/sources/files.js';
import { lines } from './helpers.js';

const fixtures = fileURLToPath(new URL('../fixtures/manifests/', import.meta.url));
const good = join(fixtures, 'good');

function withTempDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'manifests-'));
  return run(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

test('a single folder is the root: manifest files at any depth, hidden entries and other extensions skipped', async () => {
  const revision = await readRevision([good]);
  assert.deepEqual([...revision.files.keys()].sort(), ['app/api-scaling.json', 'app/api.yaml', 'cluster.yaml']);
  assert.match(revision.info.id, /^[0-9a-f]{12}$/);
  assert.equal(revision.info.source, good);
  assert.equal(revision.unreadable, undefined);
});

test('several paths: files and folders relative to the working directory', async () => {
  const cluster = join(good, 'cluster.yaml');
  const revision = await readRevision([cluster, join(good, 'app')]);
  const rel = (p: string) => relative(process.cwd(), p).split('\\').join('/');
  assert.deepEqual([...revision.files.keys()].sort(), [rel(join(good, 'app/api-scaling.json')), rel(join(good, 'app/api.yaml')), rel(cluster)].sort());
  assert.equal(revision.info.source, `${cluster} ${join(good, 'app')}`);
});

test('the revision id depends on paths and contents only', async () => {
  await withTempDir(async (dir) => {
    cpSync(good, join(dir, 'copy'), { recursive: true });
    const original = await readRevision([good]);
    assert.equal((await readRevision([join(dir, 'copy')])).info.id, original.info.id);
    writeFileSync(join(dir, 'copy', 'cluster.yaml'), '# changed\n', { flag: 'a' });
    assert.notEqual((await readRevision([join(dir, 'copy')])).info.id, original.info.id);
  });
});

test('a file over the cap is not read and is reported', async () => {
  await withTempDir(async (dir) => {
    writeFileSync(join(dir, 'big.yaml'), `# ${'x'.repeat(1.5 * 1024 * 1024)}\n`);
    writeFileSync(join(dir, 'small.yaml'), `# ${'x'.repeat(148)}\n`);
    const revision = await readRevision([dir]);
    assert.deepEqual([...revision.files.keys()], ['small.yaml']);
    assert.deepEqual(lines(revision.unreadable!), ['big.yaml:1:1: file is 1.5 MiB, over the 1 MiB limit: not read']);
    const capped = await readRevision([dir], { maxFileBytes: 100 });
    assert.deepEqual(lines(capped.unreadable!), [
      'big.yaml:1:1: file is 1.5 MiB, over the 100 bytes limit: not read',
      'small.yaml:1:1: file is 151 bytes, over the 100 bytes limit: not read',
    ]);
  });
});

test('a path that does not exist is an error naming it', async () => {
  await assert.rejects(readRevision([join(good, 'nope')]), { message: `no such file or directory: ${join(good, 'nope')}`, code: 'ENOENT' });
});

test('a symlink loop is walked once', async () => {
  await withTempDir(async (dir) => {
    mkdirSync(join(dir, 'a'));
    writeFileSync(join(dir, 'a', 'c.yaml'), 'x: 1\n');
    symlinkSync(dir, join(dir, 'a', 'loop'));
    const revision = await readRevision([dir]);
    assert.deepEqual([...revision.files.keys()], ['a/c.yaml']);
  });
});

test('validatePaths: the good fixtures load; the bad ones give one error per mistake', async () => {
  const ok = await validatePaths([good]);
  assert.deepEqual(ok.errors, []);
  assert.deepEqual(ok.state!.order, ['Cluster/small', 'TaskDefinition/api', 'Service/api', 'ServiceAutoScaling/api']);
  const bad = await validatePaths([join(fixtures, 'bad')]);
  assert.equal(bad.state, undefined);
  assert.ok(bad.errors.every((e) => e.file.startsWith(join(fixtures, 'bad'))), 'named as the path was given');
  assert.deepEqual(lines(bad.errors).map((l) => l.replace(`${join(fixtures, 'bad')}/`, '')), [
    'typos.yaml:3:1: must be one of Cluster, TaskDefinition, Service, ServiceAutoScaling; got "Servce" (did you mean "Service"?) (at /kind)',
    'typos.yaml:15:3: memory 4096 MiB does not fit cpu 256 on Fargate: use 512, 1024 or 2048 MiB (at /spec/memory)',
    'typos.yaml:29:44: must be one of tcp, udp; got "tpc" (did you mean "tcp"?) (at /spec/containerDefinitions/0/portMappings/0/protocol)',
    'typos.yaml:36:29: ecs-operator.dev/drift must be heal, alert or ignore; got "warn" (at /metadata/annotations/ecs-operator.dev~1drift)',
    'typos.yaml:38:3: reference to nothing: no TaskDefinition manifest named "wbe" (did you mean "web"?); for a task definition not managed here, write family:revision or its ARN (at /spec/taskDefinition)',
    'typos.yaml:40:3: unknown field "lauchType" (did you mean "launchType"?) (at /spec/lauchType)',
  ]);
});

test('validatePaths names files as the user typed the path', async () => {
  const given = relative(process.cwd(), join(fixtures, 'bad'));
  const result = await validatePaths([given]);
  assert.ok(result.errors.length > 0);
  for (const e of result.errors) assert.ok(e.file.startsWith(`${given}/`), e.file);
});
