// A small HTTP proxy between the AWS SDK and moto that injects the faults AWS really produces:
// throttling (400 ThrottlingException), server errors (500), latency, dropped connections (the request
// never reached AWS), lost replies (AWS did the request, its answer never came back), refusals (403,
// with the bodies endpoints really send), and answers AWS rewrote. Faults are drawn per request from a
// seeded generator, so a failing run can be replayed. Every request is recorded with its time, target,
// operation and fate, and counted by operation (faulted or not): how tests see what was called.
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Faults {
  /** Probability of a ThrottlingException. */
  throttle?: number;
  /** Probability of a 500 ServerException. */
  serverError?: number;
  /** Probability of closing the connection without an answer. */
  drop?: number;
  /** Probability of forwarding the request, then closing the connection without relaying the answer. */
  dropReply?: number;
  /** Added delay per request (ms). */
  latencyMs?: number;
  /** Only requests whose X-Amz-Target operation matches get faults (all when absent). */
  operations?: RegExp;
  /** Only requests whose whole X-Amz-Target (`AnyScaleFrontendService.ListTagsForResource`) matches. */
  targets?: RegExp;
  /** Answers 403 to the eligible requests, with this body: XML (as moto's IAM check does), JSON, or none. */
  deny?: 'xml' | 'json' | 'empty';
  /** Rewrites the JSON answer of a forwarded request (any operation): what AWS "kept". */
  rewrite?: (operation: string, body: Record<string, unknown>) => Record<string, unknown>;
}

export type Fate = 'forwarded' | 'dropped' | 'replyDropped' | 'throttled' | 'serverError' | 'denied';

/** One request as the proxy saw it: when, the X-Amz-Target (or a query API's Action), and what it did. */
export interface ProxiedCall {
  at: number;
  target: string;
  operation: string;
  fate: Fate;
  /** The fault injected, if any (every fate but `forwarded`). */
  fault?: Exclude<Fate, 'forwarded'>;
}

export interface FaultProxy {
  endpoint: string;
  faults: Faults;
  counts: {
    requests: number; throttled: number; serverErrors: number; dropped: number; repliesDropped: number; denied: number;
    byOperation: Record<string, number>;
  };
  /** Every request, in arrival order. */
  calls: ProxiedCall[];
  /** The same records as `calls`. */
  log: ProxiedCall[];
  /** Requests of one operation (every attempt), optionally only those with one fate. */
  count(operation: string, fate?: Fate): number;
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

/** The X-Amz-Target of an AWS JSON request, else `query.<Action>` for a query request. */
function targetOf(req: IncomingMessage, body: Buffer): string {
  const target = String(req.headers['x-amz-target'] ?? '');
  return target || `query.${new URLSearchParams(body.toString()).get('Action') ?? ''}`;
}

/**
 * `keepHost` forwards the Host header as the client sent it, as a signature that covers it (moto with
 * IAM enforcement checks signatures) stays valid only then.
 */
export async function startFaultProxy(target: string, faults: Faults = {}, seed = 42, options: { keepHost?: boolean } = {}): Promise<FaultProxy> {
  const upstream = new URL(target);
  const random = seeded(seed);
  const calls: ProxiedCall[] = [];
  const proxy = {
    faults, calls, log: calls,
    counts: { requests: 0, throttled: 0, serverErrors: 0, dropped: 0, repliesDropped: 0, denied: 0, byOperation: {} },
    count: (operation: string, fate?: Fate) => calls.filter((r) => r.operation === operation && (!fate || r.fate === fate)).length,
  } as unknown as FaultProxy;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      proxy.counts.requests++;
      const f = proxy.faults;
      const body = Buffer.concat(chunks);
      const target = targetOf(req, body);
      const operation = target.split('.').pop() ?? '';
      proxy.counts.byOperation[operation] = (proxy.counts.byOperation[operation] ?? 0) + 1;
      const call: ProxiedCall = { at: Date.now(), target, operation, fate: 'forwarded' };
      calls.push(call);
      const fate = (value: Exclude<Fate, 'forwarded'>) => {
        call.fate = value;
        call.fault = value;
      };
      const eligible = (!f.operations || f.operations.test(operation)) && (!f.targets || f.targets.test(target));
      if (f.latencyMs) await new Promise((r) => setTimeout(r, f.latencyMs));
      if (eligible && f.deny) {
        proxy.counts.denied++;
        fate('denied');
        return denied(res, f.deny);
      }
      const roll = random();
      let edge = 0;
      const hit = (p: number | undefined) => eligible && roll < (edge += p ?? 0);
      if (hit(f.drop)) {
        proxy.counts.dropped++;
        fate('dropped');
        req.socket.destroy();
        return;
      }
      const loseReply = hit(f.dropReply);
      if (!loseReply && hit(f.throttle)) {
        proxy.counts.throttled++;
        fate('throttled');
        return awsError(res, 400, 'ThrottlingException', 'Rate exceeded');
      }
      if (!loseReply && hit(f.serverError)) {
        proxy.counts.serverErrors++;
        fate('serverError');
        return awsError(res, 500, 'ServerException', 'Service unavailable');
      }
      if (loseReply) fate('replyDropped');
      const forward = httpRequest(
        {
          host: upstream.hostname, port: upstream.port, method: req.method, path: req.url,
          headers: { ...req.headers, host: options.keepHost ? req.headers.host : upstream.host },
        },
        (answer) => {
          if (loseReply) {
            // The request happened; the caller never learns how it went.
            proxy.counts.repliesDropped++;
            answer.resume();
            answer.on('end', () => req.socket.destroy());
            return;
          }
          if (!f.rewrite) {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
            return;
          }
          const parts: Buffer[] = [];
          answer.on('data', (c: Buffer) => parts.push(c));
          answer.on('end', () => {
            let text = Buffer.concat(parts).toString();
            try {
              if ((answer.statusCode ?? 500) < 300 && text) text = JSON.stringify(f.rewrite!(operation, JSON.parse(text)));
            } catch {
              // Not JSON: relayed as it came.
            }
            const headers = { ...answer.headers, 'content-length': String(Buffer.byteLength(text)) };
            delete headers['content-encoding'];
            res.writeHead(answer.statusCode ?? 502, headers);
            res.end(text);
          });
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
