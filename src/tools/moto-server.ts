// A local moto server (the AWS emulator from PyPI) for the demo, the benchmark and the tests.
// It is installed into a private virtual environment under .cache/ on first use, then started on a
// free loopback port. Nothing in the operator itself knows about it: the AWS SDK simply gets an
// endpoint URL, as it would for any AWS-compatible endpoint.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { withInstallLock } from './install-lock.js';
import { startAasTagProxy } from './aas-tags.js';

/** The emulator version every run uses, so results do not change under us. */
export const MOTO_VERSION = '5.2.5';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const venvDir = join(repoRoot, '.cache', 'moto-venv');
const lockDir = join(repoRoot, '.cache', 'moto-install.lock');

export interface MotoServer {
  /** e.g. http://127.0.0.1:41234 */
  endpoint: string;
  port: number;
  /** Environment variables that point the AWS SDK at this server with dummy credentials. */
  awsEnv: Record<string, string>;
  /** Scalable target tags by ARN, kept by the tag shim (with `aasTags`; empty otherwise). */
  aasTags: Map<string, Record<string, string>>;
  /** Forgets every resource (POST /moto-api/reset). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Extra environment for the server, e.g. MOTO_ECS_SERVICE_RUNNING. */
  env?: Record<string, string>;
  /** Called with progress lines (install, start). */
  log?: (line: string) => void;
  /**
   * Put the Application Auto Scaling tag shim (aas-tags.ts) in front: `endpoint` and `awsEnv` then
   * name it, and scalable targets keep their tags as on AWS (moto keeps none).
   */
  aasTags?: boolean;
}

/** Path of the moto_server executable, installing it first when missing. MOTO_SERVER overrides. */
export async function ensureMoto(log: (line: string) => void = () => {}): Promise<string> {
  if (process.env.MOTO_SERVER) return process.env.MOTO_SERVER;
  const bin = join(venvDir, 'bin', 'moto_server');
  if (existsSync(bin)) return bin;
  await withInstallLock(lockDir, 10 * 60_000, async () => {
    if (existsSync(bin)) return;
    log(`installing moto[server]==${MOTO_VERSION} into ${venvDir} (first run only, about a minute)`);
    run('python3', ['-m', 'venv', venvDir]);
    run(join(venvDir, 'bin', 'python'), [
      '-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', `moto[server]==${MOTO_VERSION}`,
    ]);
  });
  return bin;
}

function run(cmd: string, args: string[]): void {
  const result = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (${result.status}): ${result.stderr || result.error?.message}`);
  }
}

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts a moto server on a free loopback port and waits until it answers. */
export async function startMoto(options: StartOptions = {}): Promise<MotoServer> {
  const bin = await ensureMoto(options.log);
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(bin, ['-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitUntilUp(endpoint, child, () => stderr);
  options.log?.(`moto server listening on ${endpoint}`);
  const shim = options.aasTags ? await startAasTagProxy(endpoint) : undefined;
  const front = shim?.endpoint ?? endpoint;
  return {
    endpoint: front,
    port,
    awsEnv: {
      AWS_ENDPOINT_URL: front,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
    },
    aasTags: shim?.tags ?? new Map(),
    async reset() {
      shim?.tags.clear();
      const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!res.ok) throw new Error(`moto reset failed: ${res.status}`);
    },
    async stop() {
      await shim?.stop();
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitUntilUp(endpoint: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto server exited (${child.exitCode}): ${stderr()}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`moto server did not answer on ${endpoint} within 30s: ${stderr()}`);
}
