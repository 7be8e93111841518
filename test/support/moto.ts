// Test harness: one moto server per test file, the AWS SDK pointed at it through the standard
// environment variables (as a user would point it at any endpoint). Requests pass through a small
// proxy that adds the Application Auto Scaling tags moto lacks (see aas-tags.ts).
import { after, before } from 'node:test';
import { startMoto, type MotoServer } from '../../src/tools/moto-server.js';
import { startAasTagProxy, type AasTagProxy } from './aas-tags.js';

export interface MotoContext {
  /** The emulator as the SDK sees it: `endpoint` and `awsEnv` name the proxy. */
  server: MotoServer;
  /** Scalable target tags by ARN. */
  aasTags: AasTagProxy['tags'];
}

/** Starts moto before the file's tests (installing it on first use) and stops it after. */
export function useMoto(env: Record<string, string> = {}): MotoContext {
  const ctx = {} as MotoContext;
  let moto: MotoServer | undefined;
  let proxy: AasTagProxy | undefined;
  before(async () => {
    moto = await startMoto({ env, log: (line) => process.stderr.write(`# ${line}\n`) });
    proxy = await startAasTagProxy(moto.endpoint);
    const emulator = moto;
    const tags = proxy.tags;
    ctx.aasTags = tags;
    ctx.server = {
      ...emulator,
      endpoint: proxy.endpoint,
      awsEnv: { ...emulator.awsEnv, AWS_ENDPOINT_URL: proxy.endpoint },
      async reset() {
        tags.clear();
        await emulator.reset();
      },
      stop: () => emulator.stop(),
    };
    Object.assign(process.env, ctx.server.awsEnv);
  });
  after(async () => {
    await proxy?.stop();
    await moto?.stop();
  });
  return ctx;
}
