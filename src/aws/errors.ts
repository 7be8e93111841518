// The one place AWS errors become the operator's errors (core/errors.ts): what needs a human
// (StalledError with its reason: AccessDenied, InvalidParameter, NotFound...) and what will pass
// (RetryableError: Throttled or TransientError). "Not there" is a StalledError('NotFound') when it
// reaches a pass; an adapter that knows better in context (a delete repeated after a lost answer, a
// listing of a cluster that is gone) asks isNotFoundError first. Where AWS says what happened only in
// its message, the one reading of that message is a named predicate here.
import { RetryableError, StalledError } from '../core/errors.js';

const THROTTLING = new Set([
  'ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded', 'SlowDown',
  'ProvisionedThroughputExceededException', 'RequestThrottled', 'RequestThrottledException',
]);
const ACCESS = new Set([
  'AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation', 'UnrecognizedClientException',
  'InvalidClientTokenId', 'FailedResourceAccessException',
]);
/**
 * Authentication failures that pass on their own: credentials that could not be loaded or refreshed
 * this time (instance or container metadata briefly unreachable), and a signature refused for clock
 * skew, which the SDK corrects from the server's clock on its next attempt. Checked before the 403 rule.
 */
const TRANSIENT_AUTH = new Set(['CredentialsProviderError', 'InvalidSignatureException']);
const INVALID = new Set([
  'ClientException', 'InvalidParameterException', 'ValidationException', 'InvalidParameterValue',
  'PlatformUnknownException', 'PlatformTaskDefinitionIncompatibilityException', 'UnsupportedFeatureException',
  'LimitExceededException', 'InvalidConfigurationRequest', 'ValidationError',
]);
const NOT_FOUND = new Set([
  'ClusterNotFoundException', 'ServiceNotFoundException', 'ServiceNotActiveException', 'ObjectNotFoundException',
  'TargetGroupNotFoundException', 'LoadBalancerNotFoundException', 'ResourceNotFoundException', 'NamespaceNotFoundException',
]);

interface AwsLikeError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: { throttling?: boolean };
}

function errorName(err: unknown): string {
  const e = err as AwsLikeError;
  return e?.name ?? e?.code ?? 'Error';
}

export function isThrottlingError(err: unknown): boolean {
  const e = err as AwsLikeError;
  return THROTTLING.has(errorName(err)) || e?.$metadata?.httpStatusCode === 429 || e?.$retryable?.throttling === true;
}

/**
 * Whether a failed request may still have happened: no answer came (a timeout, a dropped or reset
 * connection, an abort) or AWS answered with a server error (5xx). Throttling and every other 4xx
 * answer say the request was refused: it did not happen.
 */
export function outcomeUnknown(err: unknown): boolean {
  if (err instanceof StalledError || err instanceof RetryableError) return outcomeUnknown(err.cause);
  if (isThrottlingError(err)) return false;
  const status = (err as AwsLikeError)?.$metadata?.httpStatusCode;
  return status === undefined || status >= 500;
}

/** True when AWS says the thing asked for does not exist. */
export function isNotFoundError(err: unknown): boolean {
  return NOT_FOUND.has(errorName(err));
}

/**
 * True when AWS refused the call for want of permission: any HTTP 403, whatever its body (parseable or
 * not), or an access error by name; never the transient authentication failures above.
 */
export function isAccessDeniedError(err: unknown): boolean {
  const name = errorName(err);
  if (isThrottlingError(err) || TRANSIENT_AUTH.has(name)) return false;
  return ACCESS.has(name) || (err as AwsLikeError)?.$metadata?.httpStatusCode === 403;
}

/**
 * Turns an error thrown by an AWS SDK call into StalledError or RetryableError, with the operation
 * named in the message. Errors that are already the operator's own pass through unchanged.
 */
export function toOperatorError(err: unknown, operation: string): Error {
  if (err instanceof StalledError || err instanceof RetryableError) return err;
  const e = err as AwsLikeError;
  const name = errorName(err);
  const message = `${operation}: ${name}: ${e?.message ?? String(err)}`;
  if (isThrottlingError(err)) return new RetryableError(message, undefined, { cause: err, reason: 'Throttled' });
  if (TRANSIENT_AUTH.has(name)) return new RetryableError(message, undefined, { cause: err });
  if (isAccessDeniedError(err)) return new StalledError('AccessDenied', message, { cause: err });
  if (NOT_FOUND.has(name)) return new StalledError('NotFound', message, { cause: err });
  if (INVALID.has(name)) return new StalledError('InvalidParameter', message, { cause: err });
  // 5xx, timeouts, refused or reset connections and anything unknown: retry with backoff rather than wedge.
  return new RetryableError(message, undefined, { cause: err });
}

/** Runs one SDK call and maps its failure. */
export async function awsCall<T>(operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toOperatorError(err, operation);
  }
}

const messageOf = (err: unknown) => String((err as AwsLikeError)?.message ?? '');

/**
 * DescribeTaskDefinition of a task definition that does not exist: ECS answers a ClientException
 * ("Unable to describe task definition") with no error code of its own.
 */
export function isUnknownTaskDefinition(err: unknown): boolean {
  return /unable to describe|not found|does not exist/i.test(messageOf(err));
}

/**
 * CreateService refused because a service of that name exists already, made otherwise (another
 * clientToken, another client): an InvalidParameterException that says so only in its message.
 */
export function isServiceNameTaken(err: unknown): boolean {
  return errorName(err) === 'InvalidParameterException' && /not idempotent|already exists/i.test(messageOf(err));
}

/**
 * Application Auto Scaling does not see the ECS service yet (right after CreateService): a
 * ValidationException that says so only in its message.
 */
export function isScalableResourceNotVisible(err: unknown): boolean {
  return errorName(err) === 'ValidationException' && /does(n't| not) exist/i.test(messageOf(err));
}

/**
 * What the SDK's credential chain said when it found no credentials, when it says more than "none
 * of the providers had any" (a profile that does not parse, a token file that cannot be read).
 */
export function credentialChainDetail(err: unknown): string | undefined {
  const said = messageOf(err);
  return said && !/could not load credentials from any providers/i.test(said) ? said.split('\n')[0] : undefined;
}
