// POST /hooks/git: a push webhook that makes the source fetch now instead of at the next poll.
// GitHub signs the raw body (X-Hub-Signature-256: sha256=<HMAC-SHA256 hex>); GitLab sends the secret
// itself (X-Gitlab-Token). Both are compared in constant time, lengths included. The webhook only
// asks for a fetch: what is applied always comes from Git, never from the request body.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import { json, text, type HttpRequest, type HttpResponse, type Route } from './server.js';

export const WEBHOOK_PATH = '/hooks/git';

export interface GitWebhookOptions {
  /** The shared secret (--webhook-secret-file or ECS_OPERATOR_WEBHOOK_SECRET). Undefined turns webhooks off: the route answers 404. */
  secret: string | undefined;
  /** Called for each accepted push; bursts are the source's to coalesce (Source.refresh). */
  onPush: () => void;
  /** Whether a push to this ref (`refs/heads/main`) concerns the source. Default: every push does. */
  watches?: (ref: string) => boolean;
  log: Logger;
}

/**
 * The webhook route. Answers: 404 webhooks off; 401 no signature or a wrong one (413, a body over 1 MiB,
 * is the HTTP server's own answer);
 * 200 a ping, an event other than a push, or a push to a ref the source does not watch (acknowledged,
 * ignored); 400 a push whose body is not JSON; 202 an accepted push (onPush was called). A signed
 * request without an event header counts as a push, so a CI job can trigger a fetch.
 */
export function gitWebhookRoute(options: GitWebhookOptions): Route {
  return { method: 'POST', path: WEBHOOK_PATH, handle: (request) => handle(request, options) };
}

function handle(request: HttpRequest, options: GitWebhookOptions): HttpResponse {
  const { secret, log } = options;
  if (secret === undefined) return text(404, 'webhooks are off: start the operator with --webhook-secret-file (or ECS_OPERATOR_WEBHOOK_SECRET)\n');
  const verdict = verify(request, secret);
  if (verdict.status !== 'valid') {
    log.warn({ provider: verdict.provider, verdict: verdict.status }, 'webhook refused');
    return text(401, verdict.status === 'missing' ? 'missing signature\n' : 'invalid signature\n');
  }
  const event = header(request, 'x-github-event') ?? header(request, 'x-gitlab-event');
  const delivery = header(request, 'x-github-delivery') ?? header(request, 'x-gitlab-event-uuid');
  if (event === 'ping') return json(200, { ok: true, event });
  if (event !== undefined && !['push', 'Push Hook', 'Tag Push Hook'].includes(event)) {
    return json(200, { ignored: true, reason: `event "${event}" is not a push` });
  }
  const payload = parsePayload(request);
  if (payload === undefined) return text(400, 'push body is not JSON\n');
  const ref = typeof payload.ref === 'string' ? payload.ref : undefined;
  if (ref !== undefined && options.watches && !options.watches(ref)) {
    log.info({ provider: verdict.provider, ref, delivery }, 'webhook push ignored: ref not watched');
    return json(200, { ignored: true, reason: `ref ${ref} is not watched` });
  }
  log.info({ provider: verdict.provider, ref, delivery }, 'webhook push accepted: fetching now');
  options.onPush();
  return json(202, { accepted: true, ...(ref ? { ref } : {}) });
}

type Verdict = { provider: 'github' | 'gitlab' | 'none'; status: 'valid' | 'invalid' | 'missing' };

function verify(request: HttpRequest, secret: string): Verdict {
  const github = header(request, 'x-hub-signature-256');
  if (github !== undefined) {
    const expected = `sha256=${createHmac('sha256', secret).update(request.body).digest('hex')}`;
    return { provider: 'github', status: constantTimeEqual(github.trim().toLowerCase(), expected) ? 'valid' : 'invalid' };
  }
  const gitlab = header(request, 'x-gitlab-token');
  if (gitlab !== undefined) return { provider: 'gitlab', status: constantTimeEqual(gitlab, secret) ? 'valid' : 'invalid' };
  return { provider: 'none', status: 'missing' };
}

/**
 * Equality that takes the same time whatever the inputs: both sides are hashed first, so the buffers
 * compared have equal lengths and not even the length of the expected value leaks.
 */
export function constantTimeEqual(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function header(request: HttpRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** JSON, or GitHub's form encoding (`payload=<url-encoded JSON>`); undefined when neither parses. */
function parsePayload(request: HttpRequest): Record<string, unknown> | undefined {
  let body = request.body.toString('utf8');
  if (String(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
    body = new URLSearchParams(body).get('payload') ?? '';
  }
  if (body.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(body);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
