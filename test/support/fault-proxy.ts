// A small HTTP proxy between the AWS SDK and moto that injects the faults AWS really produces:
// throttling (400 ThrottlingException), server errors (500), latency, and dropped connections. It
// also counts requests by operation (X-Amz-Target), faulted or not: how tests see what was called.
// Faults are drawn per request from a seeded generator, so a failing run can be replayed.
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
  /** Only requests whose whole X-Amz-Target (`AnyScaleFrontendService.ListTagsForResource`) matches. */
  targets?: RegExp;
}

export interface FaultProxy {
  endpoint: string;
  faults: Faults;
  counts: { requests: number; throttled: number; serverErrors: number; dropped: number; byOperation: Record<string, number> };
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

export async function startFaultProxy(target: string, faults: Faults = {}, seed = 42): Promise<FaultProxy> {
  const upstream = new URL(target);
  const random = seeded(seed);
  const proxy = { faults, counts: { requests: 0, throttled: 0, serverErrors: 0, dropped: 0, byOperation: {} } } as FaultProxy;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      proxy.counts.requests++;
      const f = proxy.faults;
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.split('.').pop() ?? '';
      proxy.counts.byOperation[operation] = (proxy.counts.byOperation[operation] ?? 0) + 1;
      const eligible = (!f.operations || f.operations.test(operation)) && (!f.targets || f.targets.test(target));
      if (f.latencyMs) await new Promise((r) => setTimeout(r, f.latencyMs));
      const roll = random();
      if (eligible && roll < (f.drop ?? 0)) {
        proxy.counts.dropped++;
        req.socket.destroy();
        return;
      }
      if (eligible && roll < (f.drop ?? 0) + (f.throttle ?? 0)) {
        proxy.counts.throttled++;
        return awsError(res, 400, 'ThrottlingException', 'Rate exceeded');
      }
      if (eligible && roll < (f.drop ?? 0) + (f.throttle ?? 0) + (f.serverError ?? 0)) {
        proxy.counts.serverErrors++;
        return awsError(res, 500, 'ServerException', 'Service unavailable');
      }
      const forward = httpRequest(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => res.destroy());
      forward.end(Buffer.concat(chunks));
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
