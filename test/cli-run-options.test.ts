// `run` flags from the environment: booleans are read for their value, a flag on the command line wins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import { booleanEnv, runOptions, SECRET_FILE_OPTIONS, secretOf, secretVariable, withoutSecretValues } from '../src/cli/run-options.js';

const parsers = { duration: (v: string) => Number.parseInt(v, 10), positiveInt: Number, rateScale: Number };

function parse(argv: string[], env: Record<string, string>): Record<string, unknown> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const options = runOptions(parsers);
    const command = new Command('run').exitOverride();
    for (const o of options) command.addOption(o);
    command.parse(['node', 'run', ...argv]);
    const values = command.opts();
    booleanEnv(options, values, (attribute) => command.getOptionValueSource(attribute) === 'cli');
    return values;
  } finally {
    for (const key of Object.keys(env)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

test('ECS_OPERATOR_PRUNE=false means off, =true means on; NO_ADOPT=true turns adoption off', () => {
  assert.equal(parse(['--source', 'x'], { ECS_OPERATOR_PRUNE: 'false' }).prune, false);
  assert.equal(parse(['--source', 'x'], { ECS_OPERATOR_PRUNE: 'true' }).prune, true);
  assert.equal(parse(['--source', 'x'], { ECS_OPERATOR_PRUNE_ALLOW_EMPTY: '0' }).pruneAllowEmpty, false);
  assert.equal(parse(['--source', 'x'], { ECS_OPERATOR_PRUNE_ADOPTED: 'true' }).pruneAdopted, true);
  assert.equal(parse(['--source', 'x'], {}).pruneAdopted, undefined, 'off unless asked');
  assert.equal(parse(['--source', 'x'], { ECS_OPERATOR_NO_ADOPT: 'true' }).adopt, false);
  assert.equal(parse(['--source', 'x'], { ECS_OPERATOR_NO_ADOPT: 'false' }).adopt, true);
  assert.equal(parse(['--source', 'x'], {}).adopt, true);
  assert.equal(parse(['--source', 'x', '--prune'], { ECS_OPERATOR_PRUNE: 'false' }).prune, true, 'the command line wins');
});

test('value flags read their variable; a nonsense boolean is a usage error', () => {
  assert.equal(parse([], { ECS_OPERATOR_SOURCE: '/manifests' }).source, '/manifests');
  assert.equal(parse(['--source', 'x'], { ECS_OPERATOR_LISTEN: '127.0.0.1:9000' }).listen, '127.0.0.1:9000');
  assert.equal(parse(['--source', 'x'], { ECS_OPERATOR_SETTLE: '5000' }).settle, 5000);
  assert.equal(parse(['--source', 'x'], {}).settle, 2000);
  assert.throws(() => parse(['--source', 'x'], { ECS_OPERATOR_PRUNE: 'maybe' }), /ECS_OPERATOR_PRUNE=maybe: expected true or false/);
});

test('every secret-file option of run may also be given by value, in the variable named without -file', () => {
  const secretFiles = runOptions(parsers).map((o) => o.long!.slice(2)).filter((name) => /(secret|token)-file$/.test(name));
  assert.deepEqual([...secretFiles].sort(), [...SECRET_FILE_OPTIONS].sort(), 'a secret-file option missing from SECRET_FILE_OPTIONS');
  assert.deepEqual(SECRET_FILE_OPTIONS.map(secretVariable), ['ECS_OPERATOR_GIT_TOKEN', 'ECS_OPERATOR_WEBHOOK_SECRET', 'ECS_OPERATOR_ALERT_WEBHOOK_SECRET', 'ECS_OPERATOR_API_TOKEN']);
  assert.equal(secretOf({ gitTokenFile: '/run/token' }, 'git-token-file', {})?.origin, '--git-token-file');
  assert.equal(secretOf({}, 'git-token-file', { ECS_OPERATOR_GIT_TOKEN: 't' })?.origin, 'ECS_OPERATOR_GIT_TOKEN');
  assert.equal(secretOf({}, 'webhook-secret-file', {}), undefined);
  assert.deepEqual(Object.keys(withoutSecretValues({ ECS_OPERATOR_GIT_TOKEN: 't', ECS_OPERATOR_GIT_TOKEN_FILE: '/f', PATH: '/bin' })).sort(), ['ECS_OPERATOR_GIT_TOKEN_FILE', 'PATH']);
});
