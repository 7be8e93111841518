// Expected errors of the built CLI are one clear line each, never a stack trace: a busy --listen port,
// no credentials (naming what the SDK's chain tried), no region (naming the variables and the
// profile). AWS_DEFAULT_REGION counts after AWS_REGION; --region and --profile work on every AWS
// command; help texts list every exit code and every environment variable of `run`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useMoto } from '../support/moto.js';
import { eventually, runCli, startCli } from '../support/cli.js';
import { exampleManifests } from '../support/examples.js';
import { freePort } from '../../src/tools/moto-server.js';

const moto = useMoto({ MOTO_ECS_SERVICE_RUNNING: '2' });

/** The environment without any AWS setting of the parent, with a home and config files of its own. */
async function bareEnv(extra: Record<string, string>): Promise<Record<string, string>> {
  const home = await mkdtemp(join(tmpdir(), 'ecs-operator-home-'));
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('AWS_') && !k.startsWith('ECS_OPERATOR_')) env[k] = v;
  return {
    ...env, HOME: home, AWS_CONFIG_FILE: join(home, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_ENDPOINT_URL: moto.server.endpoint, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', NO_COLOR: '1', ...extra,
  };
}

/** Runs with exactly `env` (runCli merges into process.env, which useMoto filled with AWS settings). */
async function run(args: string[], env: Record<string, string>) {
  const saved = { ...process.env };
  for (const k of Object.keys(process.env)) if (k.startsWith('AWS_') || k.startsWith('ECS_OPERATOR_')) delete process.env[k];
  try {
    return await runCli(args, { env });
  } finally {
    Object.assign(process.env, saved);
  }
}

function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line, got:\n${stderr}`);
  assert.doesNotMatch(stderr, /^\s+at /m, 'no stack trace');
  return lines[0]!;
}

test('a busy --listen port is one line naming the flag and the address', async () => {
  await moto.server.reset();
  const { dir } = await exampleManifests();
  const port = await freePort();
  const busy = createServer();
  await new Promise<void>((resolve) => busy.listen(port, '127.0.0.1', resolve));
  try {
    const r = await runCli(['run', '--source', dir, '--listen', `127.0.0.1:${port}`, '--log-level', 'silent'], { env: moto.server.awsEnv });
    assert.equal(r.code, 2);
    assert.equal(oneLine(r.stderr), `error: --listen 127.0.0.1:${port}: address already in use`);
  } finally {
    busy.close();
  }
});

test('no credentials: one line saying "credentials" and what was tried, not one network error per resource', async () => {
  await moto.server.reset();
  const { dir } = await exampleManifests();
  const r = await run(['diff', dir], await bareEnv({ AWS_REGION: 'us-east-1' }));
  assert.equal(r.code, 2);
  const line = oneLine(r.stderr);
  assert.match(line, /^error: no AWS credentials: tried AWS_ACCESS_KEY_ID\/AWS_SECRET_ACCESS_KEY, the profile "default" \(--profile or AWS_PROFILE/);
  for (const tried of ['web identity', 'container credentials', 'instance metadata']) assert.ok(line.includes(tried), tried);
  const profile = await run(['apply', dir, '--profile', 'ops'], await bareEnv({ AWS_REGION: 'us-east-1' }));
  assert.equal(profile.code, 2);
  assert.match(oneLine(profile.stderr), /credentials.*the profile "ops"/);
});

test('no region: one line naming --region, AWS_REGION, AWS_DEFAULT_REGION and the profile', async () => {
  await moto.server.reset();
  const { dir } = await exampleManifests();
  const r = await run(['diff', dir], await bareEnv({ AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' }));
  assert.equal(r.code, 2);
  assert.equal(oneLine(r.stderr), 'error: no AWS region: set --region, AWS_REGION or AWS_DEFAULT_REGION, or a region in the profile "default" (~/.aws/config)');
});

test('AWS_DEFAULT_REGION, --region and --profile are honoured', async () => {
  await moto.server.reset();
  const { dir } = await exampleManifests();
  const keys = { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' };
  const byDefault = await run(['diff', dir, '-o', 'json'], await bareEnv({ ...keys, AWS_DEFAULT_REGION: 'us-east-1' }));
  assert.equal(byDefault.code, 1, byDefault.stderr);
  assert.equal(JSON.parse(byDefault.stdout).totals.create, 6);
  const byFlag = await run(['diff', dir, '--region', 'us-east-1', '-o', 'json'], await bareEnv(keys));
  assert.equal(byFlag.code, 1, byFlag.stderr);
  // A profile with its own region and keys, and nothing else set.
  const env = await bareEnv({});
  await writeFile(env.AWS_CONFIG_FILE!, '[profile ops]\nregion = us-east-1\n');
  await writeFile(env.AWS_SHARED_CREDENTIALS_FILE!, '[ops]\naws_access_key_id = testing\naws_secret_access_key = testing\n');
  const byProfile = await run(['diff', dir, '--profile', 'ops', '-o', 'json'], env);
  assert.equal(byProfile.code, 1, byProfile.stderr);
  assert.equal(JSON.parse(byProfile.stdout).totals.create, 6);
});

test('help texts: every exit code on every command, every environment variable of run', async () => {
  for (const [command, codes] of [['validate', ['0', '1', '2']], ['diff', ['0', '1', '2']], ['apply', ['0', '1', '2']], ['run', ['0', '2']]] as const) {
    const help = (await runCli([command, '--help'])).stdout;
    assert.match(help, /\nExit codes:\n/, command);
    for (const code of codes) assert.match(help, new RegExp(`^  ${code}  \\S`, 'm'), `${command} exit ${code}`);
  }
  const help = (await runCli(['run', '--help'])).stdout.replace(/\s+/g, ' ');
  const flags = [...help.matchAll(/ --([a-z][a-z-]+)/g)].map((m) => m[1]!).filter((f) => f !== 'help');
  assert.ok(flags.length > 25, flags.join(' '));
  for (const flag of new Set(flags)) assert.ok(help.includes(`ECS_OPERATOR_${flag.replace(/-/g, '_').toUpperCase()}`), `env of --${flag}`);
  assert.match(help, /--drift <policy> .*"heal", "alert", "ignore"/);
  for (const flag of ['--region', '--profile']) {
    for (const command of ['diff', 'apply', 'run']) assert.ok((await runCli([command, '--help'])).stdout.includes(flag), `${command} ${flag}`);
  }
});

test('--drift ignore (and ECS_OPERATOR_DRIFT=ignore) is accepted by run', async () => {
  await moto.server.reset();
  const { dir } = await exampleManifests();
  for (const [args, env] of [[['--drift', 'ignore'], {}], [[], { ECS_OPERATOR_DRIFT: 'ignore' }]] as const) {
    const port = await freePort();
    const op = startCli(['run', '--source', dir, '--listen', `127.0.0.1:${port}`, '--log-level', 'warn', ...args], { env: { ...moto.server.awsEnv, ...env } });
    try {
      await eventually(async () => ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200 ? true : undefined), 30_000, '/readyz');
    } finally {
      assert.equal(await op.stop(), 0, op.out.stderr);
    }
  }
});
