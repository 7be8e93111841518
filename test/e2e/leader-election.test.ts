// Leader election end to end: `run` processes sharing one lease table (moto's DynamoDB), each behind
// its own counting proxy. Exactly one writes to ECS and Application Auto Scaling (the lease's own
// DynamoDB calls do not count); the standby serves health and status and says who leads; SIGTERM of
// the leader hands over within 5 s; after kill -9 of the leader, the standby applies a manifest edit
// within 20 s; a leader cut off from DynamoDB stops writing before the standby can take the lease,
// and leads a second term once healed and handed the lease again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { isReadOperation } from '../../src/aws/stats.js';
import { freePort } from '../../src/tools/moto-server.js';
import { firstImage } from '../support/aws.js';
import { eventually, runCli, startCli } from '../support/cli.js';
import { exampleManifests } from '../support/examples.js';
import { startFaultProxy, type FaultProxy, type ProxiedCall } from '../support/fault-proxy.js';
import { useMoto } from '../support/moto.js';

const moto = useMoto({ MOTO_ECS_SERVICE_RUNNING: '2' });

interface Status {
  phase: string;
  leader: boolean;
  lease?: { self: string; holder?: string; held: boolean; token?: number; expiresAt?: string };
  resources: Array<{ sync: string; health: string }>;
}

/** One `run` process behind its own proxy. A short --settle: the partition test edits a file every 700 ms. */
async function operator(dir: string, table: string) {
  const proxy = await startFaultProxy(moto.server.endpoint);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const op = startCli(['run', '--source', dir, '--listen', `127.0.0.1:${port}`, '--lease-table', table, '--resync-interval', '3s', '--debounce', '100ms', '--settle', '200ms'], {
    env: { ...moto.server.awsEnv, AWS_ENDPOINT_URL: proxy.endpoint },
  });
  const status = async () => (await (await fetch(`${base}/api/v1/status`)).json()) as Status;
  return { op, proxy, base, status, async stop(signal: NodeJS.Signals = 'SIGTERM') {
    const code = await op.stop(signal);
    await proxy.stop();
    return code;
  } };
}
type Operator = Awaited<ReturnType<typeof operator>>;

/** The actions of the policy's lease statement, sorted. */
async function leaseActions(): Promise<string[]> {
  const policy = JSON.parse(await readFile(new URL('../../deploy/iam-policy.json', import.meta.url), 'utf8')) as { Statement: Array<{ Sid?: string; Action: string | string[] }> };
  const statement = policy.Statement.find((s) => s.Sid === 'LeaderElectionLease')!;
  return [statement.Action].flat().sort();
}

/** ECS and Application Auto Scaling writes: what the lease must keep to one process. */
const writes = (proxy: FaultProxy): ProxiedCall[] => proxy.calls.filter((c) => !c.target.startsWith('DynamoDB_') && !isReadOperation(c.operation));
const awsCalls = (proxy: FaultProxy): ProxiedCall[] => proxy.calls.filter((c) => !c.target.startsWith('DynamoDB_'));

async function leaderAmong(ops: Operator[], timeoutMs = 30_000): Promise<{ leader: Operator; standbys: Operator[] }> {
  return eventually(async () => {
    const statuses = await Promise.all(ops.map((o) => o.status().catch(() => undefined)));
    const leaders = ops.filter((_, i) => statuses[i]?.leader === true);
    if (leaders.length > 1) throw new Error('two leaders');
    return leaders.length === 1 ? { leader: leaders[0]!, standbys: ops.filter((o) => o !== leaders[0]) } : undefined;
  }, timeoutMs, 'a leader');
}

test('two operators, one lease: one writer; SIGTERM hands over within 5 s; after kill -9 the standby applies an edit within 20 s', async () => {
  await moto.server.reset();
  const { dir } = await exampleManifests();
  // The second starts once the first leads, as in a rolling deploy. (Started at the same instant, two
  // processes race for the lease; DynamoDB's conditional writes let only one win, but moto's threaded
  // server does not serialize them, so the race is not run here: test/aws/dynamodb-lease.test.ts
  // checks the condition itself.)
  const running = [await operator(dir, 'leases-handover')];
  try {
    await leaderAmong(running);
    const second = await operator(dir, 'leases-handover');
    running.push(second);
    await eventually(async () => ((await second.status()).phase === 'standby' ? true : undefined), 30_000, 'the second standing by');
    const { leader: first, standbys: [standby] } = await leaderAmong(running);
    await eventually(async () => ((await first.status()).resources.every((r) => r.sync === 'Synced' && r.health === 'Healthy') ? true : undefined), 40_000, 'all Synced and Healthy');
    await new Promise((r) => setTimeout(r, 4_000)); // a resync wave or two on both
    const led = await first.status();
    const stood = await standby!.status();
    assert.equal(stood.phase, 'standby');
    assert.equal(stood.lease?.holder, led.lease?.self, 'the standby names the leader');
    assert.equal(led.lease?.holder, led.lease?.self);
    assert.equal(await (await fetch(`${standby!.base}/readyz`)).text(), 'ready (standby)\n');
    assert.match(await (await fetch(`${first.base}/metrics`)).text(), /^ecs_operator_leader 1$/m);
    assert.match(await (await fetch(`${standby!.base}/metrics`)).text(), /^ecs_operator_leader 0$/m);
    assert.ok(writes(first.proxy).length > 0, 'the leader wrote');
    assert.deepEqual(writes(standby!.proxy), [], 'the standby wrote nothing');
    assert.deepEqual(awsCalls(standby!.proxy), [], 'nor read: it does not reconcile');

    // A rolling deploy: SIGTERM to the leader; the standby leads within 5 s.
    const stopping = Date.now();
    const exited = first.stop('SIGTERM');
    await eventually(async () => ((await standby!.status()).leader ? true : undefined), 5_000, 'the standby leading');
    const handover = Date.now() - stopping;
    assert.equal(await exited, 0);
    assert.ok(/"msg":"lease released"/.test(first.op.out.stderr), 'the leader released the lease');
    running.splice(running.indexOf(first), 1);
    process.stderr.write(`# SIGTERM handover: ${handover} ms\n`);
    // The lease statement of deploy/iam-policy.json grants exactly what the lease used: create, look, hold, hand over.
    const made = new Set([first, standby!].flatMap((o) => o.proxy.calls.filter((c) => c.target.startsWith('DynamoDB_')).map((c) => `dynamodb:${c.operation}`)));
    assert.deepEqual([...made].sort(), await leaseActions());

    // The next task of the deploy stands by; then the leader dies without a word.
    const third = await operator(dir, 'leases-handover');
    running.push(third);
    await eventually(async () => ((await third.status()).lease?.holder === (await standby!.status()).lease?.self ? true : undefined), 20_000, 'a new standby');
    const killed = Date.now();
    await standby!.stop('SIGKILL');
    running.splice(running.indexOf(standby!), 1);
    const file = join(dir, 'web/task-definition.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('nginx:1.27', 'nginx:1.28'));
    await eventually(async () => ((await firstImage('web'))?.endsWith(':1.28') ? true : undefined), 20_000, 'the edit applied by the former standby');
    process.stderr.write(`# kill -9, edit applied after ${Date.now() - killed} ms\n`);
    assert.ok(writes(third.proxy).some((c) => c.operation === 'RegisterTaskDefinition'), 'applied by the new leader');
  } finally {
    for (const o of running) assert.equal(await o.stop('SIGTERM'), 0, o.op.out.stderr.slice(-2000));
  }
});

test('a leader cut off from DynamoDB stops writing before its lease lapses; the standby writes only after; healed, it leads again later', async () => {
  await moto.server.reset();
  const { dir } = await exampleManifests();
  const a = await operator(dir, 'leases-partition');
  await leaderAmong([a]);
  const b = await operator(dir, 'leases-partition');
  const running = [a, b];
  const file = join(dir, 'web/task-definition.yaml');
  const original = await readFile(file, 'utf8');
  let editing = true;
  // A steady stream of changes, so that whoever leads has something to write at every moment.
  const edits = (async () => {
    for (let n = 1; editing; n++) {
      await writeFile(file, original.replace('nginx:1.27', `nginx:1.27.${n}`));
      await new Promise((r) => setTimeout(r, 700));
    }
  })();
  const ddb = new DynamoDBClient({});
  try {
    await eventually(async () => ((await b.status()).phase === 'standby' ? true : undefined), 20_000, 'b standing by');
    await eventually(() => (writes(a.proxy).length > 3 ? true : undefined), 20_000, 'a writing');
    a.proxy.faults = { targets: /^DynamoDB_/, drop: 1 };
    const cut = Date.now();
    await new Promise((r) => setTimeout(r, 4_000)); // no renewal of a's gets through any more
    const item = (await ddb.send(new GetItemCommand({ TableName: 'leases-partition', Key: { leaseName: { S: 'default' } }, ConsistentRead: true }))).Item!;
    const expiresAt = Number(item.expiresAt!.N);
    await eventually(async () => ((await b.status()).leader ? true : undefined), 25_000, 'b leading');
    await eventually(() => (writes(b.proxy).length > 0 ? true : undefined), 10_000, 'b writing');
    const lastA = Math.max(...writes(a.proxy).map((c) => c.at));
    const firstB = Math.min(...writes(b.proxy).map((c) => c.at));
    process.stderr.write(`# cut at ${cut}, lease expiry ${expiresAt}: a's last write ${expiresAt - lastA} ms before it, b's first ${firstB - expiresAt} ms after\n`);
    assert.ok(lastA < expiresAt - 1_000, `a wrote until ${expiresAt - lastA} ms before the expiry`);
    assert.ok(firstB > expiresAt, 'b wrote only once the lease had lapsed');
    assert.ok(/"msg":"lease lost: this process is a standby now"/.test(a.op.out.stderr), 'a logged the loss');
    assert.equal((await a.status()).leader, false);

    // Healed, a stands by; once b hands over, a leads a second term and applies what changed.
    editing = false;
    await edits;
    a.proxy.faults = {};
    await eventually(async () => ((await a.status()).lease?.holder === (await b.status()).lease?.self ? true : undefined), 20_000, 'a standing by');
    assert.equal(await b.stop('SIGTERM'), 0);
    running.splice(running.indexOf(b), 1);
    await eventually(async () => ((await a.status()).leader ? true : undefined), 10_000, 'a leading again');
    const since = Date.now();
    await writeFile(file, original.replace('nginx:1.27', 'nginx:1.29'));
    await eventually(async () => ((await firstImage('web'))?.endsWith(':1.29') ? true : undefined), 20_000, 'the edit applied in a\'s second term');
    assert.ok(writes(a.proxy).some((c) => c.at >= since && c.operation === 'RegisterTaskDefinition'));
  } finally {
    editing = false;
    await edits;
    ddb.destroy();
    a.proxy.faults = {};
    for (const o of running) assert.equal(await o.stop('SIGTERM'), 0, o.op.out.stderr.slice(-2000));
  }
});

test('lease settings that would lose the lease on one failed renewal are a usage error', async () => {
  const result = await runCli(['run', '--source', '.', '--lease-table', 'leases', '--lease-duration', '8s'], { env: moto.server.awsEnv });
  assert.equal(result.code, 2);
  assert.match(result.stderr, /^error: --lease-duration \/ --lease-renew-interval: the lease duration \(8000ms\) must exceed twice the renew interval \(5000ms\) plus the 2000ms clock skew allowance/m);
});
