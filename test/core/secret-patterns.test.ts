// Secrets by value, whatever their name: one table per pattern, each with the values it must mask and
// the look-alikes it must leave alone (image digests, ARNs, ids, SHAs, ordinary words and paths).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isRandomToken, isSecretName, maskText } from '../../src/core/secret-patterns.js';

type Row = [input: string, expected: string];

function table(name: string, rows: Row[]): void {
  test(`secret patterns: ${name}`, () => {
    for (const [input, expected] of rows) assert.equal(maskText(input), expected, input);
  });
}

table('credentials in URLs', [
  ['postgres://admin:pw@db/x', 'postgres://admin:***@db/x'],
  ['mysql://app:p@ss@db:3306/x', 'mysql://app:***@db:3306/x'],
  ['connect to redis://:s3cret@cache:6379 now', 'connect to redis://:***@cache:6379 now'],
  ['https://x-access-token:ghp_abc@github.com/o/r.git', 'https://x-access-token:***@github.com/o/r.git'],
  ['https://ghp_abc@github.com/o/r.git', 'https://***@github.com/o/r.git'],
  // Not secrets: a URL without user info, an ssh user name.
  ['https://sqs.us-east-1.amazonaws.com/123456789012/jobs', 'https://sqs.us-east-1.amazonaws.com/123456789012/jobs'],
  ['ssh://git@github.com/o/r.git', 'ssh://git@github.com/o/r.git'],
  ['mailto:ops@example.com', 'mailto:ops@example.com'],
]);

table('Authorization values', [
  ['Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig', 'Bearer ***'],
  ['Authorization: Bearer abcdefgh12', 'Authorization: Bearer ***'],
  ['Basic YWRtaW46cHc=', 'Basic ***'],
  ['Authorization: token ghp_short', 'Authorization: ***'],
  // Not secrets: the words in prose.
  ['Basic authentication is off', 'Basic authentication is off'],
  ['Bearer tokens expire', 'Bearer tokens expire'],
]);

table('secret command-line arguments and assignments', [
  ['app --password=hunter2 --verbose', 'app --password=*** --verbose'],
  ['app --db-token tok3n --port 80', 'app --db-token *** --port 80'],
  ['app --api-key="a b c"', 'app --api-key="***"'],
  ['export DB_PASSWORD=hunter2 && run', 'export DB_PASSWORD=*** && run'],
  ['SMTP_PASS=x1y2z3 ./mail', 'SMTP_PASS=*** ./mail'],
  ['https://api.example.com/v1?token=abc123&page=2', 'https://api.example.com/v1?token=***&page=2'],
  // Not secrets: where a secret is kept, a flag without a value, ordinary arguments.
  ['--git-token-file needs an https:// source URL', '--git-token-file needs an https:// source URL'],
  ['app --token-file /run/secrets/t --password-path /p', 'app --token-file /run/secrets/t --password-path /p'],
  ['app --password --verbose', 'app --password --verbose'],
  ['app --queue jobs --port=80', 'app --queue jobs --port=80'],
  // A secret word that only starts an ordinary name (`key`, `token`), in an AWS CLI command the operator prints.
  ['aws dynamodb create-table --key-schema AttributeName=leaseName,KeyType=HASH', 'aws dynamodb create-table --key-schema AttributeName=leaseName,KeyType=HASH'],
  ['--token-endpoint https://idp.example.com/t', '--token-endpoint https://idp.example.com/t'],
  // ...but a strong word anywhere, or a weak one last, is a secret.
  ['SECRET_KEY_BASE=abc123def rails s', 'SECRET_KEY_BASE=*** rails s'],
  ['app --authToken=abc123 --x', 'app --authToken=*** --x'],
]);

table('private keys', [
  ['-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----', '-----BEGIN RSA PRIVATE KEY-----***-----END RSA PRIVATE KEY-----'],
  ['key: -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg (cut)', 'key: -----BEGIN PRIVATE KEY-----***-----END PRIVATE KEY-----'],
  ['-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\n-----END OPENSSH PRIVATE KEY-----', '-----BEGIN OPENSSH PRIVATE KEY-----***-----END OPENSSH PRIVATE KEY-----'],
  // Not a secret: a certificate.
  ['-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----', '-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----'],
]);

table('AWS secret access keys next to an access key id', [
  ['AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'AKIAIOSFODNN7EXAMPLE ***'],
  ['id=AKIAIOSFODNN7EXAMPLE,secret=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'id=AKIAIOSFODNN7EXAMPLE,secret=***'],
  // Not secrets: a git SHA next to a key id (no upper case), 40 characters without a key id near.
  ['AKIAIOSFODNN7EXAMPLE 0123456789abcdef0123456789abcdef01234567', 'AKIAIOSFODNN7EXAMPLE 0123456789abcdef0123456789abcdef01234567'],
  ['build wJalrXUtnFEMIK7MDENGbPxRfiCY in a row', 'build wJalrXUtnFEMIK7MDENGbPxRfiCY in a row'],
]);

table('well-known token formats', [
  ['ghp_16C7e42F292c6912E7710c838347Ae178B4a', '***'],
  ['slack xoxb-1234567890-abcdefghij', 'slack ***'],
  ['glpat-abcdefghij1234567890', '***'],
]);

table('long random tokens', [
  ['Zx8qT3mP9vL2nR7sK4wY6bH1cJ5dF0gA', '***'],
  ['api=aB3dE5fG7hJ9kL1mN2pQ4rS6tU8vW0xY!', 'api=***!'],
  // Not secrets: digests, ARNs, ids, SHAs, words glued together.
  ['nginx@sha256:0d2c7f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6', 'nginx@sha256:0d2c7f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6'],
  ['arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/Stack1-WebService1A2B3C4D-xYz9AbCdEf01/0123456789abcdef', 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/Stack1-WebService1A2B3C4D-xYz9AbCdEf01/0123456789abcdef'],
  ['arn:aws:secretsmanager:us-east-1:123456789012:secret:worker/database-url-AbCdEf', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:worker/database-url-AbCdEf'],
  ['3f2504e0-4f89-11d3-9a0c-0305e82c3301', '3f2504e0-4f89-11d3-9a0c-0305e82c3301'],
  ['revision 0123456789abcdef0123456789abcdef01234567', 'revision 0123456789abcdef0123456789abcdef01234567'],
  ['ProdWebServiceTargetGroup2024Blue', 'ProdWebServiceTargetGroup2024Blue'],
  ['MyVeryLongRoleNameForService2024', 'MyVeryLongRoleNameForService2024'],
  ['/var/lib/AppData/Config2024/settings/Production01', '/var/lib/AppData/Config2024/settings/Production01'],
  ['123456789012.dkr.ecr.us-east-1.amazonaws.com/worker:2.4.1', '123456789012.dkr.ecr.us-east-1.amazonaws.com/worker:2.4.1'],
]);

test('secret patterns: names', () => {
  for (const name of ['DB_PASSWORD', 'api-key', 'GITHUB_TOKEN', 'x.credential', 'SESSION_SECRET', 'DB_PASS', 'SMTP_PWD', 'BASIC_AUTH', 'dbPass', 'passwd', 'GPG_PASSPHRASE', 'PASS']) {
    assert.equal(isSecretName(name), true, name);
  }
  for (const name of ['LOG_LEVEL', 'QUEUE_URL', 'PASSENGER_COUNT', 'AUTHOR', 'COMPASS', 'image', 'BYPASS_CACHE_DIR']) {
    assert.equal(isSecretName(name), false, name);
  }
});

test('secret patterns: random tokens are told from words and hex', () => {
  assert.equal(isRandomToken('Zx8qT3mP9vL2nR7sK4wY6bH1cJ5dF0gA'), true);
  assert.equal(isRandomToken('0d2c7f2a3b4c5d6e7f8091a2b3c4d5e6f708192a'), false);
  assert.equal(isRandomToken('VeryLongEnvironmentVariableValue1'), false);
  assert.equal(maskText('***'), '***', 'masking is idempotent');
  assert.equal(maskText(maskText('postgres://admin:pw@db/x --password=x')), 'postgres://admin:***@db/x --password=***');
});
