// Which older ACTIVE revision a manifest reuses when the latest differs, on a fake port that counts
// its calls: the newest equal one (by content-hash tag, else compared in full), none when no ACTIVE
// revision is equal, and the answer kept (no listing) while the latest and the manifest stay the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TaskDefinitionDescription, TaskDefinitionPort } from '../../src/aws/ecs/task-definitions.js';
import { TAG_CONTENT_HASH } from '../../src/core/tags.js';
import { RevisionReuse } from '../../src/kinds/task-definition/reuse.js';
import { taskDefinitionContentHash } from '../../src/kinds/task-definition/normalize.js';
import { planTaskDefinition } from '../../src/kinds/task-definition/handler.js';
import { fakeResource } from '../support/fake-kind.js';

const spec = (image: string) => ({ family: 'web', containerDefinitions: [{ name: 'web', image, memory: 128 }] });
const arn = (n: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/web:${n}`;

function fakePort(revisions: Array<{ image: string; tagged: boolean }>) {
  const calls: string[] = [];
  const described = new Map<string, TaskDefinitionDescription>(revisions.map((r, i) => {
    const content = spec(r.image);
    const tags = r.tagged ? [{ key: TAG_CONTENT_HASH, value: taskDefinitionContentHash(content) }] : [];
    return [arn(i + 1), { taskDefinition: { ...content, taskDefinitionArn: arn(i + 1), revision: i + 1, status: 'ACTIVE' } as never, tags }];
  }));
  const port = {
    async listTaskDefinitionArns() {
      calls.push('list');
      return [...described.keys()];
    },
    async describeTaskDefinition(ref: string) {
      return described.get(ref);
    },
  } as unknown as TaskDefinitionPort;
  return { port, calls, described };
}

const equals = (resource: Parameters<typeof planTaskDefinition>[0], observation: Parameters<typeof planTaskDefinition>[1]) =>
  planTaskDefinition(resource, observation).differences.length === 0;

test('the newest equal older revision, by its tag or by comparison; none when nothing equals', async () => {
  // web:1 v1 (tagged), web:2 v1 registered elsewhere (no tag), web:3 v2, web:4 v3 (latest).
  const { port } = fakePort([{ image: 'v1', tagged: true }, { image: 'v1', tagged: false }, { image: 'v2', tagged: true }, { image: 'v3', tagged: true }]);
  const reuse = new RevisionReuse(port, equals);
  const v1 = fakeResource('TaskDefinition', 'web', spec('v1'));
  assert.equal((await reuse.equalRevision(v1, 'web', arn(4)))?.arn, arn(2), 'newest equal, compared in full');
  assert.equal((await reuse.equalRevision(fakeResource('TaskDefinition', 'web', spec('v2')), 'web', arn(4)))?.arn, arn(3));
  assert.equal(await reuse.equalRevision(fakeResource('TaskDefinition', 'web', spec('v9')), 'web', arn(4)), undefined);
});

test('kept while the latest and the manifest stay the same; read again when either changes or it is deregistered', async () => {
  const { port, calls, described } = fakePort([{ image: 'v1', tagged: true }, { image: 'v2', tagged: true }]);
  const reuse = new RevisionReuse(port, equals);
  const v1 = fakeResource('TaskDefinition', 'web', spec('v1'));
  assert.equal((await reuse.equalRevision(v1, 'web', arn(2)))?.arn, arn(1));
  assert.equal((await reuse.equalRevision(v1, 'web', arn(2)))?.arn, arn(1));
  assert.deepEqual(calls, ['list'], 'the second pass lists nothing');
  await reuse.equalRevision(v1, 'web', arn(3)); // someone registered a newer revision
  await reuse.equalRevision({ ...v1, hash: 'other' }, 'web', arn(3)); // the manifest changed
  assert.deepEqual(calls, ['list', 'list', 'list']);
  const one = described.get(arn(1))!;
  described.set(arn(1), { ...one, taskDefinition: { ...one.taskDefinition, status: 'INACTIVE' } });
  await reuse.equalRevision({ ...v1, hash: 'other' }, 'web', arn(3));
  assert.equal(calls.length, 4, 'a revision known deregistered is looked for again');
});
