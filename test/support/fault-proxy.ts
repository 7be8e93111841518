// A small HTTP proxy between the AWS SDK and moto that injects the faults AWS really produces:
// throttling (400 ThrottlingException), server errors (500), latency, dropped connections, and
// refusals (403, with the bodies endpoints really send). Faults are drawn per request from a seeded
// generator, so a failing run can be replayed. Every request is recorded with its time.
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Faults {
  /** Probability of a ThrottlingException. */
  throttle?: number;
  /** Probability of a 500 ServerException. */
  serverError?: number;
  /** Probability of closing the connection without an answer. */
  drop?: number;
  /** Added delay per request (ms). */
  latencyMs?: number;
  /** Only requests whose X-Amz-Target operation matches get faults (all when absent). */
  operations?: RegExp;
  /** Only requests whose whole X-Amz-Target (`DynamoDB_20120810.UpdateItem`) matches get faults. */
  targets?: RegExp;
  /** Answers 403 to the eligible requests, with this body: XML (as moto's IAM check does), JSON, or none. */
  deny?: 'xml' | 'json' | 'empty';
}

/** One request as the proxy saw it: when, the X-Amz-Target (or a query API's Action), and what it did. */
export interface ProxiedCall {
  at: number;
  target: string;
  operation: string;
  fault?: 'dropped' | 'throttled' | 'serverError' | 'denied';
}

export interface FaultProxy {
  endpoint: string;
  faults: Faults;
  counts: { requests: number; throttled: number; serverErrors: number; dropped: number; denied: number };
  calls: ProxiedCall[];
  stop(): Promise<void>;
}

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function awsError(res: ServerResponse, status: number, type: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type });
  res.end(JSON.stringify({ __type: type, message }));
}

const DENIED_XML = '<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error><Code>AccessDenied</Code>'
  + '<Message>User: arn:aws:iam::123456789012:user/ci is not authorized to perform: ecs:CreateCluster</Message></Error>'
  + '<RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId></ErrorResponse>';

function denied(res: ServerResponse, body: NonNullable<Faults['deny']>): void {
  if (body === 'xml') {
    res.writeHead(403, { 'content-type': 'text/html; charset=utf-8' });
    return void res.end(DENIED_XML);
  }
  if (body === 'json') return awsError(res, 403, 'AccessDeniedException', 'User: arn:aws:iam::123456789012:user/ci is not authorized to perform: ecs:CreateCluster');
  res.writeHead(403, { 'content-length': '0' });
  res.end();
}

/**
 * `keepHost` forwards the Host header as the client sent it, as a signature that covers it (moto with
 * IAM enforcement checks signatures) stays valid only then.
 */
export async function startFaultProxy(target: string, faults: Faults = {}, seed = 42, options: { keepHost?: boolean } = {}): Promise<FaultProxy> {
  const upstream = new URL(target);
  const random = seeded(seed);
  const proxy = { faults, counts: { requests: 0, throttled: 0, serverErrors: 0, dropped: 0, denied: 0 }, calls: [] } as unknown as FaultProxy;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      proxy.counts.requests++;
      const f = proxy.faults;
      const body = Buffer.concat(chunks);
      const target = String(req.headers['x-amz-target'] ?? '') || `query.${new URLSearchParams(body.toString()).get('Action') ?? ''}`;
      const operation = target.split('.').pop() ?? '';
      const call: ProxiedCall = { at: Date.now(), target, operation };
      proxy.calls.push(call);
      const eligible = (!f.operations || f.operations.test(operation)) && (!f.targets || f.targets.test(target));
      if (f.latencyMs) await new Promise((r) => setTimeout(r, f.latencyMs));
      if (eligible && f.deny) {
        proxy.counts.denied++;
        call.fault = 'denied';
        return denied(res, f.deny);
      }
      const roll = random();
      if (eligible && roll < (f.drop ?? 0)) {
        proxy.counts.dropped++;
        call.fault = 'dropped';
        req.socket.destroy();
        return;
      }
      if (eligible && roll < (f.drop ?? 0) + (f.throttle ?? 0)) {
        proxy.counts.throttled++;
        call.fault = 'throttled';
        return awsError(res, 400, 'ThrottlingException', 'Rate exceeded');
      }
      if (eligible && roll < (f.drop ?? 0) + (f.throttle ?? 0) + (f.serverError ?? 0)) {
        proxy.counts.serverErrors++;
        call.fault = 'serverError';
        return awsError(res, 500, 'ServerException', 'Service unavailable');
      }
      const forward = httpRequest(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: options.keepHost ? req.headers.host : upstream.host } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => res.destroy());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  proxy.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.stop = () => new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return proxy;
}
