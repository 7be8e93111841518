// Secrets given as files (webhook secrets): read once, without the whitespace editors add around them.
import { readFile } from 'node:fs/promises';
import { UsageError } from './errors.js';

/** The content of a secret file named by `flag`; unreadable or empty is a usage error naming the flag. */
export async function readSecretFile(file: string, flag: string): Promise<string> {
  const content = await readFile(file, 'utf8').catch((err: Error) => {
    throw new UsageError(`cannot read ${flag} ${file}: ${err.message}`);
  });
  const secret = content.trim();
  if (!secret) throw new UsageError(`${flag} ${file} is empty`);
  return secret;
}
