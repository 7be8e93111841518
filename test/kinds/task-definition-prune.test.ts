// Task definition prune discovery against moto: a family is this instance's when any ACTIVE revision
// carries its tags, not only the latest one; revisions are described once (cached by ARN), so a
// second discovery costs the listing alone; removal deregisters only this instance's revisions, and
// among them those without origin=created only when adopted ones may go.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAwsClients } from '../../src/aws/clients.js';
import { ecsPorts } from '../../src/aws/ecs/ports.js';
import { taskDefinitionHandler } from '../../src/kinds/task-definition/handler.js';
import { useMoto } from '../support/moto.js';
import { fakeContext } from '../support/fake-kind.js';

const moto = useMoto();
const ctx = fakeContext();
// Tagged as a version that wrote no origin did: it reads as adopted.
const legacy = [{ key: 'ecs-operator.dev/managed-by', value: 'default' }, { key: 'ecs-operator.dev/resource', value: 'TaskDefinition/web' }];
const ours = [...legacy, { key: 'ecs-operator.dev/origin', value: 'created' }];
const container = (image: string) => [{ name: 'app', image, memory: 128 }];

test('an owned family is found by any ACTIVE revision, read once; only owned revisions are deregistered, adopted ones only when asked', async () => {
  await moto.server.reset();
  const aws = createAwsClients({ rateScale: Infinity });
  const ecs = ecsPorts(aws.ecs);
  try {
    const old = await ecs.taskDefinitions.registerTaskDefinition({ family: 'web', containerDefinitions: container('web:0'), tags: legacy });
    const mine = await ecs.taskDefinitions.registerTaskDefinition({ family: 'web', containerDefinitions: container('web:1'), tags: ours });
    // Registered by someone else afterwards: the family's latest revision is not ours.
    const theirs = await ecs.taskDefinitions.registerTaskDefinition({ family: 'web', containerDefinitions: container('web:2') });
    await ecs.taskDefinitions.registerTaskDefinition({ family: 'other', containerDefinitions: container('other:1') });
    const fresh = ecsPorts(aws.ecs); // a restarted operator: nothing cached
    const handler = taskDefinitionHandler(fresh.taskDefinitions);

    const before = aws.stats.snapshot();
    const owned = await handler.discoverOwned!(ctx);
    assert.deepEqual(owned.map((o) => [o.key, o.observation.arn]), [['TaskDefinition/web', mine.taskDefinition.taskDefinitionArn]]);
    assert.deepEqual(aws.stats.since(before), { 'ecs:ListTaskDefinitions': 1, 'ecs:DescribeTaskDefinition': 3 });

    const again = aws.stats.snapshot();
    assert.equal((await handler.discoverOwned!(ctx)).length, 1);
    assert.deepEqual(aws.stats.since(again), { 'ecs:ListTaskDefinitions': 1 }, 'descriptions cached by ARN');

    const removed = await handler.remove!(owned[0]!, ctx, { pruneAdopted: false });
    assert.equal(removed.writes, 1);
    assert.deepEqual(await fresh.taskDefinitions.listTaskDefinitionArns('web', 'ACTIVE'), [old.taskDefinition.taskDefinitionArn, theirs.taskDefinition.taskDefinitionArn]);
    assert.equal((await handler.remove!(owned[0]!, ctx, { pruneAdopted: true })).writes, 1);
    assert.deepEqual(await fresh.taskDefinitions.listTaskDefinitionArns('web', 'ACTIVE'), [theirs.taskDefinition.taskDefinitionArn]);
  } finally {
    aws.destroy();
  }
});

test("a revision whose ownership tags were removed since it was read is not deregistered", async () => {
  await moto.server.reset();
  const aws = createAwsClients({ rateScale: Infinity });
  const ecs = ecsPorts(aws.ecs);
  try {
    const mine = await ecs.taskDefinitions.registerTaskDefinition({ family: 'web', containerDefinitions: container('web:1'), tags: ours });
    const arn = mine.taskDefinition.taskDefinitionArn!;
    const handler = taskDefinitionHandler(ecsPorts(aws.ecs).taskDefinitions); // a restarted operator
    const owned = await handler.discoverOwned!(ctx);
    assert.equal(owned.length, 1);
    // Someone keeps the revision by taking the operator's tags off it (the description stays cached).
    const { ECSClient, UntagResourceCommand } = await import('@aws-sdk/client-ecs');
    const direct = new ECSClient({});
    await direct.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['ecs-operator.dev/managed-by'] }));
    direct.destroy();
    const removed = await handler.remove!(owned[0]!, ctx, { pruneAdopted: false });
    assert.equal(removed.writes, 0);
    assert.deepEqual(await ecs.taskDefinitions.listTaskDefinitionArns('web', 'ACTIVE'), [arn]);
  } finally {
    aws.destroy();
  }
});
