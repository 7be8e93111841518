// Secrets are masked by the name they are stored under: by object key, by pair name, and by path when
// only the value of a pair changed. Names stay readable, ARNs too, and a changed secret says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSecretPath, maskDifferences, maskSpec, maskSpecs, maskStrings, redactUrl } from '../../src/core/redact.js';

test('mask: values under secret-looking names, in every shape', () => {
  const spec = {
    containerDefinitions: [{
      name: 'token-service', // a container's name is not a pair name: its fields stay readable
      image: 'nginx',
      environment: [{ name: 'DB_PASSWORD', value: 'hunter2' }, { name: 'LOG_LEVEL', value: 'debug' }, { name: 'api_key', value: 'k' }],
      secrets: [{ name: 'GITHUB_TOKEN', valueFrom: 'arn:aws:ssm:us-east-1:1:parameter/t' }],
      dockerLabels: { 'x.credential': 'c', team: 'web' },
      logConfiguration: { logDriver: 'splunk', options: { 'splunk-token': 'abc', 'splunk-url': 'https://s' } },
    }],
    tags: [{ key: 'SecretName', value: 's3cr3t' }, { key: 'app', value: 'web' }],
    settings: { Password: { nested: ['a', 1] } },
  };
  assert.deepEqual(maskSpec(spec), {
    containerDefinitions: [{
      name: 'token-service',
      image: 'nginx',
      environment: [{ name: 'DB_PASSWORD', value: '***' }, { name: 'LOG_LEVEL', value: 'debug' }, { name: 'api_key', value: '***' }],
      secrets: [{ name: 'GITHUB_TOKEN', valueFrom: 'arn:aws:ssm:us-east-1:1:parameter/t' }], // a reference, not the secret
      dockerLabels: { 'x.credential': '***', team: 'web' },
      logConfiguration: { logDriver: 'splunk', options: { 'splunk-token': '***', 'splunk-url': 'https://s' } },
    }],
    tags: [{ key: 'SecretName', value: '***' }, { key: 'app', value: 'web' }],
    settings: { Password: { nested: ['***', '***'] } },
  });
});

test('mask: a difference path is resolved through the specs, and an unknown pair name is not trusted', () => {
  const specs = { desired: { environment: [{ name: 'LOG_LEVEL', value: 'info' }, { name: 'SESSION_SECRET', value: 'x' }] } };
  assert.equal(isSecretPath('/environment/0/value', specs), false);
  assert.equal(isSecretPath('/environment/1/value', specs), true);
  assert.equal(isSecretPath('/environment/1/value'), true, 'no specs: masked');
  assert.equal(isSecretPath('/dockerLabels/API_TOKEN'), true);
  assert.equal(isSecretPath('/desiredCount'), false);
  assert.equal(isSecretPath('/tags/0/key', { desired: { tags: [{ key: 'TOKEN', value: 'v' }] } }), false, 'names stay visible');
  const masked = maskDifferences([
    { path: '/environment/1/value', desired: 'x', live: 'y' },
    { path: '/environment/2', desired: { name: 'NEW_TOKEN', value: 'z' }, live: undefined },
    { path: '/desiredCount', desired: 2, live: 1 },
  ], specs);
  assert.deepEqual(masked, [
    { path: '/environment/1/value', desired: '*** (changed)', live: '***' },
    { path: '/environment/2', desired: { name: 'NEW_TOKEN', value: '***' }, live: undefined },
    { path: '/desiredCount', desired: 2, live: 1 },
  ]);
});

test('mask: credentials in a URL', () => {
  assert.equal(redactUrl('https://x-access-token:ghp_abc@github.com/o/r.git'), 'https://x-access-token:***@github.com/o/r.git');
  assert.equal(redactUrl('https://ghp_abc@github.com/o/r.git'), 'https://***@github.com/o/r.git');
  assert.equal(redactUrl('/srv/manifests'), '/srv/manifests');
});

test('mask: a secret that changed shows as changed on the desired side, in place', () => {
  const desired = { environment: [{ name: 'DB_PASS', value: 'new' }, { name: 'DATABASE_URL', value: 'postgres://admin:pw2@db/x' }], cpu: 1 };
  const live = { environment: [{ name: 'DB_PASS', value: 'old' }, { name: 'DATABASE_URL', value: 'postgres://admin:pw1@db/x' }], cpu: 1 };
  assert.deepEqual(maskSpecs(desired, live), {
    desired: { environment: [{ name: 'DB_PASS', value: '*** (changed)' }, { name: 'DATABASE_URL', value: 'postgres://admin:***@db/x (changed)' }], cpu: 1 },
    live: { environment: [{ name: 'DB_PASS', value: '***' }, { name: 'DATABASE_URL', value: 'postgres://admin:***@db/x' }], cpu: 1 },
  });
  const same = maskSpecs(desired, desired);
  assert.deepEqual(same.desired, same.live, 'an unchanged secret is not marked');
});

test('mask: command lists, AWS keys next to their id, and the operator\'s own fields', () => {
  assert.deepEqual(maskSpec({ command: ['app', '--password', 'hunter2', '--db-token=abc123', '--token-file', '/run/t', '--verbose'] }), {
    command: ['app', '--password', '***', '--db-token=***', '--token-file', '/run/t', '--verbose'],
  });
  const secretKey = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  assert.deepEqual(maskSpec({ environment: [{ name: 'AK', value: 'AKIAIOSFODNN7EXAMPLE' }, { name: 'SK', value: secretKey }] }), {
    environment: [{ name: 'AK', value: 'AKIAIOSFODNN7EXAMPLE' }, { name: 'SK', value: '***' }],
  });
  assert.deepEqual(maskSpec({ dockerLabels: { AWS_SAK: secretKey, commit: '0123456789abcdef0123456789abcdef01234567' } }), {
    dockerLabels: { AWS_SAK: '***', commit: '0123456789abcdef0123456789abcdef01234567' },
  });
  // Output of the operator itself: `key` is a resource key, not a secret; values are still checked.
  assert.deepEqual(maskStrings({ key: 'Service/web', message: 'rejected postgres://u:pw@db/x' }), { key: 'Service/web', message: 'rejected postgres://u:***@db/x' });
});

test('mask: a difference into a list that holds an access key id masks the secret key next to it', () => {
  const sk = (c: string) => `wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKE${c}`;
  const env = (c: string) => [{ name: 'AK', value: 'AKIAIOSFODNN7EXAMPLE' }, { name: 'SK', value: sk(c) }];
  const masked = maskDifferences([{ path: '/environment/1/value', desired: sk('Y'), live: sk('Z') }], { desired: { environment: env('Y') }, live: { environment: env('Z') } });
  assert.deepEqual(masked, [{ path: '/environment/1/value', desired: '*** (changed)', live: '***' }]);
});
