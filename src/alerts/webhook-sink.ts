// The webhook sink (--alert-webhook): POSTs each event as JSON, the event's fields plus a
// Slack-compatible `text`, so a Slack or Mattermost incoming webhook works as is and any other
// receiver gets the structured event. With a secret (--alert-webhook-secret-file) the body is signed:
// `X-Ecs-Operator-Signature: sha256=<hex HMAC-SHA256 of the exact body bytes>`. Each attempt has a
// timeout; network errors, timeouts, 408, 429 and 5xx are retried with exponential backoff and
// jitter; other answers are final. The dispatcher runs it off the reconcile path.
import { createHmac } from 'node:crypto';
import type { AlertSink } from './dispatcher.js';
import type { AlertEvent } from './events.js';
import { slackText } from './format.js';
import { backoffDelay } from '../core/backoff.js';

export const SIGNATURE_HEADER = 'x-ecs-operator-signature';

export interface WebhookOptions {
  url: string;
  /** HMAC-SHA256 key; no signature header without one. */
  secret?: string;
  /** Per attempt, until the whole answer is read. Default 5 s. */
  timeoutMs?: number;
  /** Attempts in all, the first included. Default 5. */
  attempts?: number;
  /** First retry delay; doubles each retry, up to maxDelayMs. Defaults 1 s and 30 s. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** 0..1 randomness for the jitter, injectable for tests. */
  random?: () => number;
}

/** `sha256=<hex>`: what a receiver recomputes over the raw body with the shared secret to check it. */
export function signBody(body: string | Buffer, secret: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(body).digest('hex');
}

export function webhookBody(event: AlertEvent): string {
  return JSON.stringify({ ...event, text: slackText(event) });
}

class GiveUp extends Error {}

const RETRYABLE_STATUS = (status: number) => status === 408 || status === 429 || status >= 500;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export class WebhookSink implements AlertSink {
  readonly name = 'webhook';
  private readonly target: string;

  constructor(private readonly options: WebhookOptions) {
    // Only the origin is ever named: Slack-style webhook URLs carry their secret in the path.
    this.target = originOf(options.url);
  }

  async send(event: AlertEvent, signal: AbortSignal): Promise<void> {
    const body = webhookBody(event);
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'ecs-operator',
      'x-ecs-operator-event': event.type,
      'x-ecs-operator-delivery': event.id,
    };
    if (this.options.secret) headers[SIGNATURE_HEADER] = signBody(body, this.options.secret);
    const attempts = Math.max(1, this.options.attempts ?? 5);
    let last = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      let retryAfterMs: number | undefined;
      try {
        const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 5_000);
        const res = await fetch(this.options.url, {
          method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.any([signal, timeout]),
        });
        await res.arrayBuffer(); // read to the end, so the connection is reused and a stalled body times out
        if (res.ok) return;
        last = `HTTP ${res.status}`;
        if (!RETRYABLE_STATUS(res.status)) throw new GiveUp(`${this.target} answered ${last}`);
        const after = Number(res.headers.get('retry-after'));
        if (Number.isFinite(after) && after > 0) retryAfterMs = after * 1000;
      } catch (err) {
        if (err instanceof GiveUp || signal.aborted) throw err;
        last = (err as Error).name === 'TimeoutError' ? 'timed out' : (err as Error).message;
      }
      if (attempt < attempts) await sleep(this.delay(attempt, retryAfterMs), signal);
    }
    throw new Error(`${this.target}: ${last} after ${attempts} attempts`);
  }

  /** Retry-After when the receiver says, else the shared backoff (many operators never retry in step). */
  private delay(attempt: number, retryAfterMs: number | undefined): number {
    const max = this.options.maxDelayMs ?? 30_000;
    if (retryAfterMs !== undefined) return Math.min(retryAfterMs, max);
    return backoffDelay(attempt, this.options.baseDelayMs ?? 1_000, max, this.options.random);
  }
}

/** The scheme, host and port of a URL, never its path or credentials. */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'the alert webhook';
  }
}
