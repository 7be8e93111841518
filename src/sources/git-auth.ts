// Credentials for https sources given as a token file (--git-token-file): the header git sends, and
// the origin it is scoped to. Other mechanisms (SSH keys and agents, GIT_SSH_COMMAND, credential
// helpers) need nothing here: git finds them in the environment it inherits.
import { readFile } from 'node:fs/promises';
import { redactUrl } from '../core/redact.js';

/**
 * The scheme, host and port an https token is sent to; throws for other URLs, and for plain http
 * unless the host is a loopback address (a token must not cross a network in clear text).
 */
export function tokenOrigin(url: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  const loopback = parsed && /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(parsed.hostname);
  if (parsed?.protocol === 'https:' || (parsed?.protocol === 'http:' && loopback)) return parsed.origin;
  throw new Error(`--git-token-file needs an https:// source URL, not ${redactUrl(url)}`);
}

/**
 * `Authorization: Basic ...` from a token file holding `TOKEN` (sent as the password of user
 * x-access-token, which GitHub, GitLab, Gitea and Azure DevOps accept) or `USER:TOKEN`. Throws an
 * Error naming the file (never the token) when it cannot be read or is empty.
 */
export async function authorizationHeader(file: string): Promise<string> {
  const text = (await readFile(file, 'utf8').catch((err: Error) => {
    throw new Error(`cannot read the git token file ${file}: ${err.message}`);
  })).trim();
  if (!text) throw new Error(`the git token file ${file} is empty`);
  const credentials = text.includes(':') ? text : `x-access-token:${text}`;
  return `Authorization: Basic ${Buffer.from(credentials).toString('base64')}`;
}
