// A small HTTP proxy between the AWS SDK and moto that injects the faults AWS really produces:
// throttling (400 ThrottlingException), server errors (500), latency, dropped connections (the request
// never reached AWS), lost replies (AWS did the request, its answer never came back), and answers AWS
// rewrote. Faults are drawn per request from a seeded generator, so a failing run can be replayed;
// every request is logged with its operation, time and fate, and counted by operation (faulted or
// not): how tests see what was called.
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Faults {
  /** Probability of a ThrottlingException. */
  throttle?: number;
  /** Probability of a 500 ServerException. */
  serverError?: number;
  /** Probability of closing the connection without forwarding the request. */
  drop?: number;
  /** Probability of forwarding the request, then closing the connection instead of relaying the answer. */
  dropReply?: number;
  /** Added delay per request (ms). */
  latencyMs?: number;
  /** Only requests whose X-Amz-Target operation matches get faults (all when absent). */
  operations?: RegExp;
  /** Only requests whose whole X-Amz-Target (`AnyScaleFrontendService.ListTagsForResource`) matches. */
  targets?: RegExp;
  /** Rewrites the JSON answer of a forwarded request (any operation): what AWS "kept". */
  rewrite?: (operation: string, body: Record<string, unknown>) => Record<string, unknown>;
}

export type Fate = 'forwarded' | 'dropped' | 'replyDropped' | 'throttled' | 'serverError';

export interface FaultProxy {
  endpoint: string;
  faults: Faults;
  counts: { requests: number; throttled: number; serverErrors: number; dropped: number; repliesDropped: number; byOperation: Record<string, number> };
  /** Every request, in arrival order. */
  log: Array<{ at: number; operation: string; fate: Fate }>;
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

/** The operation of an AWS JSON request (X-Amz-Target), else of a query request (Action=...). */
function operationOf(req: IncomingMessage, body: Buffer): string {
  const target = String(req.headers['x-amz-target'] ?? '');
  if (target) return target.split('.').pop() ?? '';
  return /(?:^|&)Action=([A-Za-z]+)/.exec(body.toString())?.[1] ?? '';
}

export async function startFaultProxy(target: string, faults: Faults = {}, seed = 42): Promise<FaultProxy> {
  const upstream = new URL(target);
  const random = seeded(seed);
  const proxy = {
    faults, counts: { requests: 0, throttled: 0, serverErrors: 0, dropped: 0, repliesDropped: 0, byOperation: {} }, log: [],
    count: (operation: string, fate?: Fate) => proxy.log.filter((r) => r.operation === operation && (!fate || r.fate === fate)).length,
  } as unknown as FaultProxy;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      proxy.counts.requests++;
      const f = proxy.faults;
      const body = Buffer.concat(chunks);
      const operation = operationOf(req, body);
      const record = (fate: Fate) => proxy.log.push({ at: Date.now(), operation, fate });
      const target = String(req.headers['x-amz-target'] ?? '');
      proxy.counts.byOperation[operation] = (proxy.counts.byOperation[operation] ?? 0) + 1;
      const eligible = (!f.operations || f.operations.test(operation)) && (!f.targets || f.targets.test(target));
      if (f.latencyMs) await new Promise((r) => setTimeout(r, f.latencyMs));
      const roll = random();
      let edge = 0;
      const hit = (p: number | undefined) => eligible && roll < (edge += p ?? 0);
      if (hit(f.drop)) {
        proxy.counts.dropped++;
        record('dropped');
        req.socket.destroy();
        return;
      }
      const loseReply = hit(f.dropReply);
      if (!loseReply && hit(f.throttle)) {
        proxy.counts.throttled++;
        record('throttled');
        return awsError(res, 400, 'ThrottlingException', 'Rate exceeded');
      }
      if (!loseReply && hit(f.serverError)) {
        proxy.counts.serverErrors++;
        record('serverError');
        return awsError(res, 500, 'ServerException', 'Service unavailable');
      }
      record(loseReply ? 'replyDropped' : 'forwarded');
      const forward = httpRequest(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
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
