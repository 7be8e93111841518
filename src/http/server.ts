// A small HTTP server on node:http for the operator's few endpoints: exact-path routing, a body size
// cap enforced while reading (so a large POST is refused before it is buffered), and the raw body
// kept as bytes for signature checks.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';

export interface HttpRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** The raw body (POST only). */
  body: Buffer;
}

export interface HttpResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface Route {
  method: 'GET' | 'POST';
  path: string;
  handle(request: HttpRequest): Promise<HttpResponse> | HttpResponse;
}

export interface HttpServerOptions {
  host: string;
  port: number;
  routes: Route[];
  log: Logger;
  /** Largest request body accepted (413 above). Default 1 MiB. */
  maxBodyBytes?: number;
}

export function json(status: number, value: unknown): HttpResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(value, null, 2) };
}

export function text(status: number, body: string): HttpResponse {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body };
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) return reject(new BodyTooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export class HttpServer {
  private server: Server | undefined;

  constructor(private readonly options: HttpServerOptions) {}

  async start(): Promise<AddressInfo> {
    const server = createServer((req, res) => void this.dispatch(req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => resolve());
    });
    return server.address() as AddressInfo;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    const candidates = this.options.routes.filter((r) => r.path === url.pathname);
    const route = candidates.find((r) => r.method === method || (r.method === 'GET' && method === 'HEAD'));
    let response: HttpResponse;
    try {
      if (!route) {
        response = candidates.length > 0 ? text(405, 'method not allowed\n') : text(404, 'not found\n');
      } else {
        const body = method === 'POST' ? await readBody(req, this.options.maxBodyBytes ?? 1024 * 1024) : Buffer.alloc(0);
        response = await route.handle({ method, path: url.pathname, query: url.searchParams, headers: req.headers, body });
      }
    } catch (err) {
      if (err instanceof BodyTooLarge) response = text(413, 'request body too large\n');
      else {
        this.options.log.error({ err: (err as Error).message, path: url.pathname }, 'http handler failed');
        response = text(500, 'internal error\n');
      }
    }
    res.writeHead(response.status, { 'cache-control': 'no-store', ...response.headers });
    res.end(method === 'HEAD' ? undefined : response.body);
  }
}

/** Parses `--listen`: `HOST:PORT`, `:PORT` (all interfaces) or `PORT`. */
export function parseListen(value: string): { host: string; port: number } {
  const m = /^(?:(\[[^\]]+\]|[^:]*):)?(\d{1,5})$/.exec(value.trim());
  const port = Number(m?.[2]);
  if (!m || port > 65535) throw new Error(`invalid listen address "${value}": use HOST:PORT, :PORT or PORT`);
  const host = m[1] ? m[1].replace(/^\[|\]$/g, '') : '0.0.0.0';
  return { host, port };
}
