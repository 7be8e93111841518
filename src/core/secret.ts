// Secrets the operator is given: a file named by a flag (re-read at every use, so a rotated file is
// picked up), or the value itself in an environment variable, as ECS injects secrets from Secrets
// Manager or SSM Parameter Store. Either way the value is trimmed of the whitespace editors add, and
// never appears in a message: errors name where the secret comes from, not what it is.
import { readFile } from 'node:fs/promises';
import { UsageError } from './errors.js';

export interface Secret {
  /** Where it comes from, for messages: the flag (`--git-token-file`) or the variable (`ECS_OPERATOR_GIT_TOKEN`). */
  readonly origin: string;
  /** The value. Throws a UsageError naming the origin when the file cannot be read or the value is empty. */
  read(): Promise<string>;
}

/** A secret in `file`, named by `flag` in messages. */
export function fileSecret(file: string, flag: string): Secret {
  return {
    origin: flag,
    async read() {
      const content = await readFile(file, 'utf8').catch((err: Error) => {
        throw new UsageError(`cannot read ${flag} ${file}: ${err.message}`);
      });
      const secret = content.trim();
      if (!secret) throw new UsageError(`${flag} ${file} is empty`);
      return secret;
    },
  };
}

/** A secret given by value in the environment variable `name`. */
export function envSecret(name: string, value: string): Secret {
  const secret = value.trim();
  return {
    origin: name,
    read: async () => {
      if (!secret) throw new UsageError(`${name} is set but empty`);
      return secret;
    },
  };
}
