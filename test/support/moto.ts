// Test harness: one moto server per test file, the AWS SDK pointed at it through the standard
// environment variables (as a user would point it at any endpoint). Requests pass through the small
// shim that adds the Application Auto Scaling tags moto lacks (src/tools/aas-tags.ts).
import { after, before } from 'node:test';
import { startMoto, type MotoServer } from '../../src/tools/moto-server.js';

export interface MotoContext {
  /** The emulator as the SDK sees it: `endpoint` and `awsEnv` name the shim. */
  server: MotoServer;
  /** Scalable target tags by ARN. */
  aasTags: MotoServer['aasTags'];
}

/** Starts moto before the file's tests (installing it on first use) and stops it after. */
export function useMoto(env: Record<string, string> = {}): MotoContext {
  const ctx = {} as MotoContext;
  let moto: MotoServer | undefined;
  before(async () => {
    moto = await startMoto({ env, aasTags: true, log: (line) => process.stderr.write(`# ${line}\n`) });
    ctx.server = moto;
    ctx.aasTags = moto.aasTags;
    Object.assign(process.env, moto.awsEnv);
  });
  after(async () => {
    await moto?.stop();
  });
  return ctx;
}
