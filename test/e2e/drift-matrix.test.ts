// Git change or drift, through the built CLI against moto, for every drift policy (heal, alert,
// ignore) and every kind of change: the service's own manifest, a change that reaches it through its
// TaskDefinition (an image bump), and a change made out of band. Each cell is tried with the
// operator running, and with the change made while it is stopped (so that only what it recorded on
// the resources tells the two apart). A Git change is rolled out under every policy with no
// DriftDetected, and its log names the commit and the dependency; an out-of-band change is healed
// (heal), alerted exactly once and left (alert), or only recorded (ignore).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeServicesCommand, UpdateServiceCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { useMoto } from '../support/moto.js';
import { eventually, startCli } from '../support/cli.js';
import { ecsClient } from '../support/aws.js';
import { freePort } from '../../src/tools/moto-server.js';

const moto = useMoto({ MOTO_ECS_SERVICE_RUNNING: '9' });
const POLICIES = ['heal', 'alert', 'ignore'] as const;
type Policy = (typeof POLICIES)[number];
const RESYNC_MS = 2_000;

interface LogLine { msg: string; name?: string; kind?: string; actions?: string[]; cause?: string; alert?: { type: string; key: string } }

let dir: string;
let port: number;
let ecs: ECSClient;
let op: ReturnType<typeof startCli> | undefined;

/** The manifests: one cluster, and per policy a task definition and a service annotated with it. */
async function writeManifests(image: string, desiredCount: number): Promise<void> {
  const docs = ['apiVersion: ecs-operator.dev/v1alpha1\nkind: Cluster\nmetadata: {name: prod}\nspec: {}\n'];
  for (const policy of POLICIES) {
    docs.push([
      'apiVersion: ecs-operator.dev/v1alpha1',
      'kind: TaskDefinition',
      `metadata: {name: td-${policy}}`,
      `spec: {containerDefinitions: [{name: app, image: "public.ecr.aws/nginx/nginx:${image}", memory: 128}]}`,
      '---',
      'apiVersion: ecs-operator.dev/v1alpha1',
      'kind: Service',
      `metadata: {name: svc-${policy}, annotations: {ecs-operator.dev/drift: ${policy}}}`,
      `spec: {cluster: prod, taskDefinition: td-${policy}, desiredCount: ${desiredCount}}`,
      '',
    ].join('\n'));
  }
  await writeFile(join(dir, 'manifests.yaml'), docs.join('---\n'));
}

function start(): ReturnType<typeof startCli> {
  op = startCli(['run', '--source', dir, '--listen', `127.0.0.1:${port}`, '--resync-interval', `${RESYNC_MS}ms`, '--debounce', '100ms'], { env: moto.server.awsEnv });
  return op;
}

async function stop(): Promise<void> {
  if (op) assert.equal(await op.stop('SIGTERM'), 0, op.out.stderr.slice(-2000));
  op = undefined;
}

const logLines = (): LogLine[] => op!.out.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as LogLine);
const alerts = (type: string, policy: Policy) => logLines().filter((l) => l.alert?.type === type && l.alert.key === `Service/svc-${policy}/${type}`).length;
const status = async () => (await fetch(`http://127.0.0.1:${port}/api/v1/status`)).json();

async function live(policy: Policy) {
  const s = (await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: [`svc-${policy}`] }))).services![0]!;
  return { desiredCount: s.desiredCount, revision: Number(s.taskDefinition!.split(':').pop()) };
}

async function converged(): Promise<void> {
  await eventually(async () => {
    const s = await status();
    return s.ready && s.resources.length === 7 && s.resources.every((r: { sync: string; health: string }) => r.sync === 'Synced' && r.health === 'Healthy') ? true : undefined;
  }, 60_000, 'every resource Synced and Healthy');
}

/** Every service as `want` says, read from AWS. */
async function liveIs(want: (policy: Policy) => { desiredCount?: number; revision?: number }, what: string): Promise<void> {
  await eventually(async () => {
    for (const policy of POLICIES) {
      const got = await live(policy);
      const w = want(policy);
      if ((w.desiredCount !== undefined && got.desiredCount !== w.desiredCount) || (w.revision !== undefined && got.revision !== w.revision)) return undefined;
    }
    return true;
  }, 30_000, what);
}

/** A Git change reached every service: each one's pass logged it as Git's (naming `what`), none as drift. */
async function assertGitChange(what: RegExp): Promise<void> {
  const passes = (policy: Policy) =>
    logLines().filter((l) => l.msg === 'reconciled' && l.kind === 'Service' && l.name === `svc-${policy}` && l.actions?.length);
  // The status can show the pass before its log line is read from the pipe.
  await eventually(() => (POLICIES.every((p) => passes(p).some((l) => what.test(l.cause ?? ''))) ? true : undefined), 10_000,
    `a pass of every service logged with a cause matching ${what}`);
  for (const policy of POLICIES) {
    assert.ok(passes(policy).every((l) => !l.actions!.some((a) => a.startsWith('healed drift'))), `svc-${policy} healed instead`);
    assert.equal(alerts('DriftDetected', policy), 0, `svc-${policy}: no DriftDetected`);
  }
}

/** Changes desiredCount of every service behind the operator's back. */
async function outOfBand(desiredCount: number): Promise<void> {
  for (const policy of POLICIES) await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: `svc-${policy}`, desiredCount }));
}

/** What each policy makes of an out-of-band change of desiredCount to `changed` (from `desired`). */
async function assertDrift(desired: number, changed: number): Promise<void> {
  await eventually(() => (alerts('DriftResolved', 'heal') >= 1 && alerts('DriftDetected', 'alert') >= 1 ? true : undefined), 4 * RESYNC_MS + 5_000, 'heal healed, alert alerted');
  await new Promise((r) => setTimeout(r, 2 * RESYNC_MS + 500)); // two more resyncs: nothing more happens
  assert.deepEqual(await live('heal'), { desiredCount: desired, revision: (await live('heal')).revision }, 'heal: healed');
  assert.deepEqual([alerts('DriftDetected', 'heal'), alerts('DriftResolved', 'heal')], [1, 1]);
  assert.equal((await live('alert')).desiredCount, changed, 'alert: left as it is');
  assert.equal(alerts('DriftDetected', 'alert'), 1, 'alert: exactly one DriftDetected');
  assert.equal((await live('ignore')).desiredCount, changed, 'ignore: left as it is');
  assert.equal(alerts('DriftDetected', 'ignore'), 0, 'ignore: no alert');
  const byKey = new Map((await status()).resources.map((r: { key: string }) => [r.key, r]));
  const drift = (policy: Policy) => (byKey.get(`Service/svc-${policy}`) as { drift?: { differences: unknown[] } }).drift?.differences;
  assert.deepEqual(drift('alert'), [{ path: '/desiredCount', desired, live: changed }]);
  assert.deepEqual(drift('ignore'), [{ path: '/desiredCount', desired, live: changed }]);
}

describe('Git change or drift, for every policy and every kind of change, before and after a restart', () => {
  before(async () => {
    await moto.server.reset();
    dir = await mkdtemp(join(tmpdir(), 'ecs-operator-matrix-'));
    port = await freePort();
    ecs = ecsClient();
    await writeManifests('1.27', 1);
    start();
    await converged();
  });

  after(async () => {
    await stop();
    ecs?.destroy();
  });

  test('running: the own manifest, then a reference (image bump), then an out-of-band change', async () => {
    await writeManifests('1.27', 2);
    await liveIs(() => ({ desiredCount: 2 }), 'desiredCount 2 everywhere');
    await converged();
    await assertGitChange(/^Git revision \w+: the manifest changed$/);

    await writeManifests('1.28', 2);
    await liveIs(() => ({ revision: 2 }), 'every service on revision 2 of its task definition');
    await converged();
    await assertGitChange(/^Git revision \w+: TaskDefinition\/td-\w+ is now task-definition\/td-\w+:2$/);

    await outOfBand(3);
    await assertDrift(2, 3);
  });

  test('stopped meanwhile: the own manifest, then a reference, then an out-of-band change', async () => {
    await outOfBand(2); // the drift of the last test undone by hand
    await stop();
    await writeManifests('1.28', 1);
    start();
    await liveIs(() => ({ desiredCount: 1 }), 'desiredCount 1 everywhere after the restart');
    await converged();
    await assertGitChange(/^Git revision \w+: the manifest (or what it references )?changed$/);

    await stop();
    await writeManifests('1.29', 1);
    start();
    await liveIs(() => ({ revision: 3 }), 'every service on revision 3 after the restart');
    await converged();
    await assertGitChange(/^Git revision \w+: TaskDefinition\/td-\w+ is now task-definition\/td-\w+:3$/);

    await stop();
    await outOfBand(4);
    start();
    await assertDrift(1, 4);
  });
});
