// Secrets masked by value, everywhere, through the built CLI against moto. A task definition holds
// secrets under names that do not say so (a password in a URL, a Bearer value, --password= and
// --token arguments, a private key, an AWS key pair, a random token) and one that does (DB_PASS);
// someone registers a revision with other secrets out of band, and under `--drift alert` the drift is
// reported. None of the secret substrings appears in /api/v1/status, /api/v1/events, the JSON log,
// the alert webhook bodies, or `diff` text, JSON and markdown; the diffs still say the secrets changed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeregisterTaskDefinitionCommand, RegisterTaskDefinitionCommand, type RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';
import { useMoto } from '../support/moto.js';
import { eventually, runCli, startCli } from '../support/cli.js';
import { ecsClient } from '../support/aws.js';
import { exampleManifests } from '../support/examples.js';
import { freePort } from '../../src/tools/moto-server.js';

const moto = useMoto({ MOTO_ECS_SERVICE_RUNNING: '2' });
const TOKEN = 'api-token-for-the-secrets-test';

/** The secrets in the manifest, then the ones registered out of band; `$` is replaced by 1 or 2. */
const SECRETS = (n: 1 | 2) => ({
  url: `Pg-Secret-47${n}1`,
  bearer: `eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LWJlYXJlcg${n}.sig4711`,
  pass: `plain-pass-47${n}1`,
  key: `MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC${n}`,
  aws: n === 1 ? 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' : 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKE2',
  token: n === 1 ? 'Zx8qT3mP9vL2nR7sK4wY6bH1cJ5dF0gA' : 'Qw7eR9tY2uI4oP6aS8dF1gH3jK5lZ0xC',
  cmdPass: `Cmd-Pass-47${n}1`,
  cmdToken: `Cmd-Token-47${n}1`,
});
const ALL = [...Object.values(SECRETS(1)), ...Object.values(SECRETS(2))];

function container(n: 1 | 2) {
  const s = SECRETS(n);
  return {
    name: 'worker',
    image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/worker:2.4.1',
    command: ['bin/worker', '--queue', 'jobs', `--password=${s.cmdPass}`, '--token', s.cmdToken],
    environment: [
      { name: 'DATABASE_URL', value: `postgres://admin:${s.url}@db/x` },
      { name: 'UPSTREAM_HEADER', value: `Bearer ${s.bearer}` },
      { name: 'DB_PASS', value: s.pass },
      { name: 'TLS_BUNDLE', value: `-----BEGIN PRIVATE KEY-----\n${s.key}\n-----END PRIVATE KEY-----` },
      { name: 'AK', value: 'AKIAIOSFODNN7EXAMPLE' },
      { name: 'SK', value: s.aws },
      { name: 'UPSTREAM', value: s.token },
    ],
    secrets: [{ name: 'DATABASE_PASSWORD', valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:worker/db-AbCdEf' }],
    portMappings: [{ containerPort: 9090, hostPort: 9090, protocol: 'tcp', name: 'metrics' }],
    logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/prod/worker', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'worker' } },
  };
}

const bodies: string[] = [];
let receiver: Server;
let op: ReturnType<typeof startCli>;
let base: string;
let dir: string;

function assertClean(where: string, text: string): void {
  for (const secret of ALL) assert.ok(!text.includes(secret), `${where} shows the secret ${secret}`);
  // JSON escapes '/' nowhere and keeps '\n' as two characters: the private key's lines are searched too.
  assert.ok(!text.includes('MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcw'), `${where} shows the private key`);
}

// Hooks of a suite run after useMoto's file-level ones, so moto is up by then.
describe('secrets end to end', () => {
before(async () => {
  await moto.server.reset();
  dir = (await exampleManifests({ without: ['web/autoscaling.yaml'] })).dir;
  const file = join(dir, 'worker/task-definition.json');
  const manifest = JSON.parse(await readFile(file, 'utf8'));
  manifest.spec.containerDefinitions = [container(1)];
  await writeFile(file, JSON.stringify(manifest, null, 2));
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString());
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const tokenFile = join(tmpdir(), `ecs-operator-api-token-${process.pid}`);
  await writeFile(tokenFile, `${TOKEN}\n`);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  op = startCli([
    'run', '--source', dir, '--listen', `127.0.0.1:${port}`, '--resync-interval', '2s', '--debounce', '100ms', '--drift', 'alert',
    '--alert-webhook', `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/alerts`, '--api-token-file', tokenFile, '--log-level', 'debug',
  ], { env: moto.server.awsEnv });
  await eventually(async () => ((await get('/readyz')).status === 200 ? true : undefined), 60_000, '/readyz');
});

after(async () => {
  receiver?.closeAllConnections();
  receiver?.close();
  if (op) assert.equal(await op.stop(), 0, op.out.stderr.slice(-2000));
});

function get(path: string): Promise<Response> {
  return fetch(`${base}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
}

test('drift on secret values under --drift alert: no secret in status, events, log, webhook or diff', async () => {
  const worker = async () => ((await (await get('/api/v1/status')).json()).resources as Array<{ key: string; drift?: { differences: Array<{ path: string; desired: unknown; live: unknown }> } }>)
    .find((r) => r.key === 'TaskDefinition/worker');
  await eventually(async () => ((await worker())?.drift === undefined ? true : undefined), 30_000, 'worker in sync');
  const ecs = ecsClient();
  try {
    const live = JSON.parse(await readFile(join(dir, 'worker/task-definition.json'), 'utf8')).spec;
    const input = { ...live, containerDefinitions: [container(2)] } as RegisterTaskDefinitionCommandInput;
    for (const field of ['taskDefinitionArn', 'revision', 'status', 'requiresAttributes', 'compatibilities', 'registeredAt', 'registeredBy']) delete (input as unknown as Record<string, unknown>)[field];
    await ecs.send(new RegisterTaskDefinitionCommand(input));
    // An ACTIVE revision equal to the manifest would be reused, not drift: the operator's own goes too.
    const family = String(input.family ?? JSON.parse(await readFile(join(dir, 'worker/task-definition.json'), 'utf8')).metadata.name);
    await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: `${family}:1` }));
  } finally {
    ecs.destroy();
  }
  const drift = await eventually(async () => (await worker())?.drift, 20_000, 'the drift reported');
  assert.ok(drift.differences.length >= 7, JSON.stringify(drift.differences));
  assert.ok(drift.differences.some((d) => String(d.desired).includes('(changed)')), 'a changed secret says so');
  await eventually(() => (bodies.some((b) => b.includes('"DriftDetected"')) ? true : undefined), 10_000, 'the alert delivered');

  assert.equal((await fetch(`${base}/api/v1/status`)).status, 401, 'the API asks for the token');
  assertClean('/api/v1/status', await (await get('/api/v1/status')).text());
  const events = await (await get('/api/v1/events')).text();
  assert.match(events, /DriftDetected/);
  assertClean('/api/v1/events', events);
  assertClean('the alert webhook', bodies.join('\n'));
  assertClean('the log', op.out.stderr);
  assertClean('/metrics', await (await get('/metrics')).text());

  const text = await runCli(['diff', dir], { env: moto.server.awsEnv });
  assert.equal(text.code, 1, text.stderr);
  assert.match(text.stdout, /^~ TaskDefinition\/worker \(update\)$/m);
  assert.match(text.stdout, /^\+ {8}value: "\*\*\* \(changed\)"$/m, text.stdout);
  assert.match(text.stdout, /^- {8}value: postgres:\/\/admin:\*\*\*@db\/x$/m);
  assert.match(text.stdout, /^ +value: AKIAIOSFODNN7EXAMPLE$/m, 'an access key id is not a secret');
  assertClean('diff', text.stdout + text.stderr);
  const json = await runCli(['diff', dir, '-o', 'json'], { env: moto.server.awsEnv });
  assert.match(json.stdout, /\*\*\* \(changed\)/);
  assertClean('diff --output json', json.stdout);
  const markdown = await runCli(['diff', dir, '-o', 'markdown'], { env: moto.server.awsEnv });
  assert.match(markdown.stdout, /<summary><code>TaskDefinition\/worker<\/code>/);
  assertClean('diff --output markdown', markdown.stdout);
});
});
