// Credentials for https sources given as a token (--git-token-file, or ECS_OPERATOR_GIT_TOKEN): the
// header git sends, and the origin it is scoped to. Other mechanisms (SSH keys and agents,
// GIT_SSH_COMMAND, credential helpers) need nothing here: git finds them in the environment it inherits.
import { redactUrl } from '../core/redact.js';
import type { Secret } from '../core/secret.js';

/**
 * The scheme, host and port an https token is sent to; throws for other URLs, and for plain http
 * unless the host is a loopback address (a token must not cross a network in clear text). `given`
 * names where the token came from in that message.
 */
export function tokenOrigin(url: string, given = '--git-token-file'): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  const loopback = parsed && /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(parsed.hostname);
  if (parsed?.protocol === 'https:' || (parsed?.protocol === 'http:' && loopback)) return parsed.origin;
  throw new Error(`${given} needs an https:// source URL, not ${redactUrl(url)}`);
}

/**
 * `Authorization: Basic ...` from a token `TOKEN` (sent as the password of user x-access-token, which
 * GitHub, GitLab, Gitea and Azure DevOps accept) or `USER:TOKEN`. Throws an Error naming where the
 * token comes from (never the token) when it cannot be read or is empty.
 */
export async function authorizationHeader(token: Secret): Promise<string> {
  const text = await token.read();
  const credentials = text.includes(':') ? text : `x-access-token:${text}`;
  return `Authorization: Basic ${Buffer.from(credentials).toString('base64')}`;
}
