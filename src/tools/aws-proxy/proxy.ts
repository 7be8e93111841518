// An HTTP proxy between the AWS SDK and an emulator (moto) that makes the emulator answer as AWS does
// where the operator's cost depends on it: listings come in pages of AWS's real sizes (paging.ts),
// ECS's published token buckets refuse what exceeds them with ThrottlingException (buckets.ts), and
// every request is counted by API and operation (counts.ts). Used by the benchmark and by tests, in
// process (startAwsProxy) or as its own process (main.ts); either way the counts are also served as
// JSON on GET /aws-proxy/counts.
import { randomUUID } from 'node:crypto';
import { Agent, createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AccountBuckets, type BucketOptions } from './buckets.js';
import { Counter, isRead, type Counts } from './counts.js';
import { isPaged, ListingCache, pagedAnswer, type Refusal, type UpstreamAnswer } from './paging.js';

export interface AwsProxyOptions {
  /** The emulator, e.g. http://127.0.0.1:5000. */
  upstream: string;
  /** Refuse what the published buckets would refuse (default true). */
  throttle?: boolean;
  /** Page listings as AWS does (default true). */
  paging?: boolean;
  /** Multiplies the buckets' refill rates, not their bursts (default 1: the published rates). */
  scale?: number;
  extraBuckets?: BucketOptions['extra'];
  /** The buckets' clock in milliseconds (default performance.now), for tests. */
  now?: () => number;
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
}

export interface ProxySettings {
  throttle: boolean;
  paging: boolean;
  scale: number;
}

export interface AwsProxy {
  /** What the SDK's AWS_ENDPOINT_URL should be. */
  endpoint: string;
  counts(): Counts;
  resetCounts(): void;
  /** Fills every bucket to its burst. */
  refill(): void;
  settings(): ProxySettings;
  configure(change: Partial<ProxySettings>): ProxySettings;
  stop(): Promise<void>;
}

/** X-Amz-Target prefixes of the JSON protocols, for requests that carry no SigV4 scope. */
const TARGET_PREFIX_API: Record<string, string> = {
  AmazonEC2ContainerServiceV20141113: 'ecs',
  AnyScaleFrontendService: 'application-autoscaling',
};

interface Identified {
  api: string;
  operation: string;
  /** JSON protocols name the operation in X-Amz-Target; the query protocol (ELBv2, EC2) in Action=. */
  json: boolean;
  targetPrefix?: string;
}

function identify(req: IncomingMessage, body: Buffer): Identified | undefined {
  const scope = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\//.exec(String(req.headers.authorization ?? ''))?.[1];
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string' && target.includes('.')) {
    const [prefix, operation] = [target.slice(0, target.lastIndexOf('.')), target.slice(target.lastIndexOf('.') + 1)];
    const api = scope ?? TARGET_PREFIX_API[prefix];
    return api ? { api, operation, json: true, targetPrefix: prefix } : undefined;
  }
  if (!scope || req.method !== 'POST') return undefined;
  const action = new URLSearchParams(body.toString()).get('Action');
  return action ? { api: scope, operation: action, json: false } : undefined;
}

function sendJsonError(res: ServerResponse, status: number, type: string, message: string): void {
  const body = JSON.stringify({ __type: type, message });
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type, 'x-amzn-requestid': randomUUID(),
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

function sendQueryError(res: ServerResponse, status: number, code: string, message: string): void {
  const body = `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
  res.writeHead(status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function sendAnswer(res: ServerResponse, answer: UpstreamAnswer): void {
  const headers = { ...answer.headers };
  delete headers['transfer-encoding'];
  delete headers['content-encoding'];
  delete headers.connection;
  delete headers['keep-alive'];
  headers['content-length'] = String(answer.body.length);
  res.writeHead(answer.status, headers);
  res.end(answer.body);
}

export async function startAwsProxy(options: AwsProxyOptions): Promise<AwsProxy> {
  const upstream = new URL(options.upstream);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const settings: ProxySettings = { throttle: options.throttle ?? true, paging: options.paging ?? true, scale: options.scale ?? 1 };
  const buckets = new AccountBuckets({ scale: settings.scale, extra: options.extraBuckets, now: options.now });
  const counter = new Counter();
  const listings = new ListingCache();

  const forward = (req: IncomingMessage, headers: IncomingMessage['headers'], body: Buffer): Promise<UpstreamAnswer> =>
    new Promise((resolve, reject) => {
      const out = httpRequest({
        host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, agent,
        headers: { ...headers, host: upstream.host, 'content-length': String(body.length) },
      }, (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: Buffer.concat(chunks) }));
        answer.on('error', reject);
      });
      out.on('error', reject);
      out.end(body);
    });

  const admin = (req: IncomingMessage, res: ServerResponse, body: Buffer): void => {
    const reply = (value: unknown) => {
      const text = JSON.stringify(value);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path === '/aws-proxy/counts') return reply(counter.snapshot());
    if (req.method === 'POST' && path === '/aws-proxy/reset') return reply((counter.reset(), counter.snapshot()));
    if (req.method === 'POST' && path === '/aws-proxy/refill') return reply((buckets.refillAll(), settings));
    if (req.method === 'POST' && path === '/aws-proxy/config') return reply(proxy.configure(JSON.parse(body.toString() || '{}')));
    res.writeHead(404).end();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> => {
    if ((req.url ?? '').startsWith('/aws-proxy/')) return admin(req, res, body);
    const id = identify(req, body);
    if (!id) return sendAnswer(res, await forward(req, req.headers, body));
    const done = counter.start(id.api, id.operation);
    // A write may change any listing of its API: before it is sent, and again once it has landed.
    const write = !isRead(id.operation);
    if (write) listings.invalidate(id.api);
    try {
      if (settings.throttle && !buckets.take(id.api, id.operation)) {
        done('throttled');
        return id.json ? sendJsonError(res, 400, 'ThrottlingException', 'Rate exceeded') : sendQueryError(res, 400, 'Throttling', 'Rate exceeded');
      }
      let answer: UpstreamAnswer | Refusal;
      if (settings.paging && id.json && isPaged(id.api, id.operation)) {
        const input = JSON.parse(body.toString() || '{}') as Record<string, unknown>;
        answer = await pagedAnswer(id.api, id.operation, input, (operation, forwarded) =>
          forward(req, { ...req.headers, 'x-amz-target': `${id.targetPrefix}.${operation}` }, Buffer.from(JSON.stringify(forwarded))), listings);
      } else {
        answer = await forward(req, req.headers, body);
        if (write) listings.invalidate(id.api);
      }
      if ('refused' in answer) {
        done('error');
        return sendJsonError(res, 400, answer.refused.type, answer.refused.message);
      }
      done(answer.status >= 200 && answer.status < 300 ? 'ok' : 'error');
      sendAnswer(res, answer);
    } catch (err) {
      done('error');
      throw err;
    }
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks)).catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve()));
  const address = server.address() as AddressInfo;

  const proxy: AwsProxy = {
    endpoint: `http://${address.address}:${address.port}`,
    counts: () => counter.snapshot(),
    resetCounts: () => counter.reset(),
    refill: () => buckets.refillAll(),
    settings: () => ({ ...settings }),
    configure(change) {
      if (change.throttle !== undefined) settings.throttle = Boolean(change.throttle);
      if (change.paging !== undefined) settings.paging = Boolean(change.paging);
      if (change.scale !== undefined && Number(change.scale) > 0) settings.scale = buckets.scale = Number(change.scale);
      return { ...settings };
    },
    stop: () => new Promise((resolve) => {
      server.closeAllConnections();
      agent.destroy();
      server.close(() => resolve());
    }),
  };
  return proxy;
}
