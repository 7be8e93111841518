// Test harness: one moto server per test file, the AWS SDK pointed at it through the standard
// environment variables (as a user would point it at any endpoint).
import { after, before } from 'node:test';
import { startMoto, type MotoServer } from '../../src/tools/moto-server.js';

export interface MotoContext {
  server: MotoServer;
}

/** Starts moto before the file's tests (installing it on first use) and stops it after. */
export function useMoto(env: Record<string, string> = {}): MotoContext {
  const ctx = {} as MotoContext;
  before(async () => {
    ctx.server = await startMoto({ env, log: (line) => process.stderr.write(`# ${line}\n`) });
    Object.assign(process.env, ctx.server.awsEnv);
  });
  after(async () => {
    await ctx.server?.stop();
  });
  return ctx;
}
