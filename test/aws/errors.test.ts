// How AWS SDK errors map to the operator's classes: a table of the shapes the SDK throws.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RetryableError, StalledError, classifyError } from '../../src/core/errors.js';
import { isAccessDeniedError, outcomeUnknown, toOperatorError } from '../../src/aws/errors.js';

/** An error as the SDK throws it: a name, a message and the HTTP status in $metadata. */
function sdkError(name: string, status?: number, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${name} happened`), { name, ...(status ? { $metadata: { httpStatusCode: status } } : {}), ...extra });
}

test('each AWS error maps to Stalled (with its reason) or Retryable', () => {
  const cases: Array<{ error: unknown; want: string }> = [
    { error: sdkError('ThrottlingException', 400), want: 'retry' },
    { error: sdkError('SomethingElse', 429), want: 'retry' },
    { error: sdkError('AccessDeniedException', 400), want: 'stalled AccessDenied' },
    { error: sdkError('Forbidden', 403), want: 'stalled AccessDenied' },
    // A 403 whose body the SDK could not parse (XML or HTML to a JSON-protocol call) is still a refusal.
    { error: sdkError('SyntaxError', 403), want: 'stalled AccessDenied' },
    { error: sdkError('Unknown', 403), want: 'stalled AccessDenied' },
    { error: sdkError('UnrecognizedClientException', 400), want: 'stalled AccessDenied' },
    // The credential chain failed to load or refresh (metadata endpoint briefly away): it passes.
    { error: sdkError('CredentialsProviderError'), want: 'retry' },
    // Clock skew: the SDK corrects its clock from the server's answer and signs again.
    { error: sdkError('InvalidSignatureException', 403), want: 'retry' },
    { error: sdkError('ClusterNotFoundException', 400), want: 'stalled NotFound' },
    { error: sdkError('InvalidParameterException', 400), want: 'stalled InvalidParameter' },
    { error: sdkError('ValidationException', 400), want: 'stalled InvalidParameter' },
    // ELBv2's name for a malformed parameter (a target group ARN that is no ARN).
    { error: sdkError('ValidationError', 400), want: 'stalled InvalidParameter' },
    { error: sdkError('ServerException', 500), want: 'retry' },
    { error: sdkError('TimeoutError', undefined, { code: 'ETIMEDOUT' }), want: 'retry' },
    { error: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), want: 'retry' },
  ];
  for (const c of cases) {
    const mapped = toOperatorError(c.error, 'DescribeServices');
    const cls = classifyError(mapped);
    assert.equal(cls.type === 'Stalled' ? `stalled ${cls.reason}` : cls.type === 'Retrying' ? 'retry' : cls.type, c.want, (c.error as Error).name);
    assert.match(mapped.message, /^DescribeServices: /);
  }
});

test("the operator's own errors pass through unchanged", () => {
  const stalled = new StalledError('NotFound', 'gone');
  const retry = new RetryableError('later', 5_000);
  assert.equal(toOperatorError(stalled, 'X'), stalled);
  assert.equal(toOperatorError(retry, 'X'), retry);
});

test('whether a failed write may still have happened: no answer or a 5xx, never a throttle or another 4xx', () => {
  const cases: Array<[unknown, boolean]> = [
    [Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), true],
    [sdkError('TimeoutError', undefined, { code: 'ETIMEDOUT' }), true],
    [sdkError('ServerException', 500), true],
    [sdkError('ServiceUnavailable', 503), true],
    [sdkError('ThrottlingException', 400), false],
    [sdkError('SomethingElse', 429), false],
    [sdkError('ClientException', 400), false],
    [sdkError('InvalidParameterException', 400), false],
    [toOperatorError(sdkError('ServerException', 500), 'RegisterTaskDefinition'), true],
    [toOperatorError(sdkError('ClientException', 400), 'RegisterTaskDefinition'), false],
  ];
  for (const [error, unknown] of cases) assert.equal(outcomeUnknown(error), unknown, (error as Error).message);
});

test('isAccessDeniedError: any 403 and the access errors by name, never throttling nor transient authentication', () => {
  const cases: Array<[Error, boolean]> = [
    [sdkError('SyntaxError', 403), true],
    [sdkError('AccessDeniedException', 400), true],
    [sdkError('AccessDenied', 403), true],
    [sdkError('InvalidSignatureException', 403), false],
    [sdkError('CredentialsProviderError'), false],
    [sdkError('ThrottlingException', 403), false],
    [sdkError('ServerException', 500), false],
    [new StalledError('AccessDenied', 'already mapped'), false],
  ];
  for (const [error, want] of cases) assert.equal(isAccessDeniedError(error), want, `${error.name} ${(error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode}`);
});
