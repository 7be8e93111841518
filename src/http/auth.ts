// The read API's token (--api-token-file): when set, every route asks for `Authorization: Bearer
// <token>` except those a load balancer, an orchestrator or a Git host must reach without it (the
// health checks, the git webhook with its own signature) and the status page's document, which holds
// no data (its script asks for the token and sends it on its own requests). New routes are protected
// unless listed here: a forgotten route fails closed.
import { constantTimeEqual } from './webhook.js';
import type { HttpRequest, HttpResponse, Route } from './server.js';
import { text } from './server.js';

/** Paths served without the token. */
export const OPEN_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/hooks/git', '/']);

function unauthorized(): HttpResponse {
  const response = text(401, 'missing or wrong bearer token: send "Authorization: Bearer <token>" (the content of --api-token-file)\n');
  return { ...response, headers: { ...response.headers, 'www-authenticate': 'Bearer realm="ecs-operator"' } };
}

/** Whether the request carries the token, compared in constant time. */
export function hasToken(request: HttpRequest, token: string): boolean {
  const header = request.headers.authorization;
  const value = Array.isArray(header) ? header[0] : header;
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(value ?? '');
  return m !== null && constantTimeEqual(m[1]!, token);
}

/** `routes` with the token required on every path not in OPEN_PATHS; as they are without a token. */
export function requireToken(routes: Route[], token: string | undefined): Route[] {
  if (token === undefined) return routes;
  return routes.map((route) => (OPEN_PATHS.has(route.path)
    ? route
    : { ...route, handle: (request: HttpRequest) => (hasToken(request, token) ? route.handle(request) : unauthorized()) }));
}
