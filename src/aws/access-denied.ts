// Any HTTP 403 is access denied, whatever its body. Some endpoints answer a JSON-protocol call (ECS,
// Application Auto Scaling, DynamoDB) with an XML or HTML 403 that the SDK cannot parse: it then throws
// a SyntaxError that says nothing about permissions. Two middlewares on every client fix that: one
// keeps the body of a 403 readable for the message, the other turns the call's final error into a
// StalledError('AccessDenied') naming the operation, the resource the call was about, and what AWS
// said. The SDK does not retry a 403 (it is neither throttling nor transient, unless its clock-skew
// correction applies, which stays as it is); the operator does not retry a Stalled resource either.
import { Readable } from 'node:stream';
import { StalledError } from '../core/errors.js';
import { isAccessDeniedError } from './errors.js';

type Handler = (args: { input?: unknown; request?: unknown }) => Promise<{ response?: unknown; output?: unknown }>;

/** What the middlewares need of an SDK client (its middleware stack), structurally. */
export interface MiddlewareClient {
  middlewareStack: {
    add(
      middleware: (next: Handler, context: { commandName?: string }) => Handler,
      options: { step: 'initialize' | 'deserialize'; priority: 'low' | 'high'; name: string },
    ): void;
  };
}

interface RawResponse {
  statusCode?: number;
  body?: unknown;
}

/** The text of each 403 body, by response, for the message of the error that follows. */
const deniedBodies = new WeakMap<object, string>();

/** The names the SDK gives an error whose reply it could not read (a parse failure, no error code). */
const UNREAD_NAMES = new Set(['SyntaxError', 'Error', 'Unknown', 'UnknownError']);

/** Bodies beyond this are cut: an error document is a few hundred bytes. */
const MAX_BODY_BYTES = 16 * 1024;

/** Installs both middlewares on `client` (see the file header). */
export function reportAccessDenied(client: MiddlewareClient): void {
  // Innermost (deserialize step, low priority): sees the raw reply before the SDK's deserializer reads it.
  client.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const response = result.response as RawResponse | undefined;
      if (response?.statusCode === 403 && response.body instanceof Readable) {
        const body = await readCapped(response.body);
        deniedBodies.set(response, body.toString('utf8'));
        response.body = Readable.from([body]);
      }
      return result;
    },
    { step: 'deserialize', priority: 'low', name: 'ecsOperatorKeepDeniedBody' },
  );
  // Outermost (initialize step, high priority): sees the error after the SDK's retries are done.
  client.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (err) {
        if (!isAccessDeniedError(err)) throw err;
        const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
        throw new StalledError('AccessDenied', accessDeniedMessage(err, operation, args.input), { cause: err });
      }
    },
    { step: 'initialize', priority: 'high', name: 'ecsOperatorAccessDenied' },
  );
}

/**
 * `CreateService (cluster=prod, service=web): access denied (HTTP 403 AccessDenied): User: ... is not
 * authorized to perform: ecs:CreateService`. What AWS said comes from the parsed error, or else from
 * the body the SDK could not parse; without either, the message says so.
 */
export function accessDeniedMessage(err: unknown, operation: string, input?: unknown): string {
  const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number }; $response?: object };
  const body = e?.$response ? deniedBodies.get(e.$response) : undefined;
  const fromBody = body === undefined ? undefined : errorDocument(body);
  // A name the SDK made up because it could not read the reply says nothing: the body's code does.
  const parsed = e?.name !== undefined && !UNREAD_NAMES.has(e.name);
  const code = parsed ? e.name : fromBody?.code;
  const said = (parsed ? e.message : undefined) ?? fromBody?.message ?? 'the reply carried no readable error';
  const status = e?.$metadata?.httpStatusCode;
  const target = describeTarget(input);
  return `${operation}${target ? ` (${target})` : ''}: access denied (${[status ? `HTTP ${status}` : undefined, code].filter(Boolean).join(' ')}): ${said}`;
}

/** The fields of an input that name what a call is about, in the order a reader looks for them. */
const TARGET_FIELDS = [
  'cluster', 'clusterName', 'clusters', 'service', 'serviceName', 'services', 'taskDefinition', 'family', 'resourceArn',
  'ServiceNamespace', 'ResourceId', 'ResourceIds', 'ResourceARN', 'PolicyName', 'ScheduledActionName',
  'TargetGroupArn', 'TargetGroupArns', 'LoadBalancerArn', 'TableName',
];

/** `cluster=prod, service=web` from a request's input; undefined when nothing in it names a resource. */
export function describeTarget(input: unknown): string | undefined {
  if (input === null || typeof input !== 'object') return undefined;
  const record = input as Record<string, unknown>;
  const parts: string[] = [];
  for (const field of TARGET_FIELDS) {
    const value = record[field];
    if (typeof value === 'string' && value) parts.push(`${field}=${value}`);
    else if (Array.isArray(value) && value.length > 0) {
      const shown = value.slice(0, 3).map(String).join(',');
      parts.push(`${field}=${shown}${value.length > 3 ? `,… (${value.length})` : ''}`);
    }
  }
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/** The code and message of a JSON (`__type`, `message`) or XML (`<Code>`, `<Message>`) error document. */
function errorDocument(text: string): { code?: string; message?: string } {
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    const type = typeof json.__type === 'string' ? json.__type.split('#').pop() : undefined;
    const message = [json.message, json.Message].find((m): m is string => typeof m === 'string');
    return { ...(type ? { code: type } : {}), ...(message ? { message } : {}) };
  } catch {
    const element = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(text)?.[1]?.trim();
    const code = element('Code');
    const message = element('Message');
    return { ...(code ? { code: unescapeXml(code) } : {}), ...(message ? { message: unescapeXml(message) } : {}) };
  }
}

function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|quot|apos|amp);/g, (_, entity: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[entity]!);
}

async function readCapped(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    if (size < MAX_BODY_BYTES) chunks.push(buffer.subarray(0, MAX_BODY_BYTES - size));
    size += buffer.length;
  }
  return Buffer.concat(chunks);
}
