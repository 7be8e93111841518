// Moto (5.2.5) keeps no tags for Application Auto Scaling: TagResource, UntagResource and
// ListTagsForResource answer 500, and RegisterScalableTarget drops its Tags. This pass-through proxy
// in front of moto keeps scalable target tags as AWS does (Tags taken at a target's first
// registration only, dropped with the target), so that the operator's ownership tags work against the
// emulator (startMoto's `aasTags`, for the demo, the image test and the tests) as they do on AWS.
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AasTagProxy {
  endpoint: string;
  /** Tags by scalable target ARN. */
  tags: Map<string, Record<string, string>>;
  stop(): Promise<void>;
}

const TARGET = 'AnyScaleFrontendService.';

function answer(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
  res.end(JSON.stringify(body));
}

/** Starts the proxy; every request but the tag operations goes to `upstream` unchanged. */
export async function startAasTagProxy(upstream: string): Promise<AasTagProxy> {
  const target = new URL(upstream);
  const tags = new Map<string, Record<string, string>>();
  /** `namespace resourceId dimension` -> ARN, from RegisterScalableTarget answers. */
  const arns = new Map<string, string>();
  const forward = (req: IncomingMessage, body: Buffer, done: (status: number, headers: IncomingMessage['headers'], data: Buffer) => void) => {
    // Headers go on as they came, Host included: a signed request must arrive as it was signed.
    const out = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(res.statusCode ?? 502, res.headers, Buffer.concat(chunks)));
    });
    out.on('error', () => done(502, {}, Buffer.alloc(0)));
    out.end(body);
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const op = String(req.headers['x-amz-target'] ?? '');
      const input = op.startsWith(TARGET) && raw.length > 0 ? JSON.parse(raw.toString()) : {};
      const key = `${input.ServiceNamespace} ${input.ResourceId} ${input.ScalableDimension}`;
      switch (op.slice(TARGET.length)) {
        case 'ListTagsForResource': return answer(res, { Tags: tags.get(input.ResourceARN) ?? {} });
        case 'TagResource':
          tags.set(input.ResourceARN, { ...tags.get(input.ResourceARN), ...input.Tags });
          return answer(res, {});
        case 'UntagResource': {
          const kept = { ...tags.get(input.ResourceARN) };
          for (const k of input.TagKeys ?? []) delete kept[k];
          tags.set(input.ResourceARN, kept);
          return answer(res, {});
        }
      }
      forward(req, raw, (status, headers, data) => {
        if (status === 200 && op === `${TARGET}RegisterScalableTarget`) {
          const arn = JSON.parse(data.toString()).ScalableTargetARN as string;
          arns.set(key, arn);
          if (!tags.has(arn)) tags.set(arn, { ...input.Tags });
        }
        if (status === 200 && op === `${TARGET}DeregisterScalableTarget`) tags.delete(arns.get(key) ?? '');
        res.writeHead(status, headers);
        res.end(data);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tags,
    stop: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
