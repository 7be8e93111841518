// The benchmark's AWS account: moto behind the AWS-faithful proxy, N services in one cluster, each
// with its own task definition family holding 3 ACTIVE revisions (two older ones registered straight
// into moto at high concurrency, then the manifests applied once by the built CLI, pacing and
// throttling off). Set-up is timed on its own: it is not what the benchmark measures.
import { spawn } from 'node:child_process';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ECSClient, ListTaskDefinitionsCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { generatedRevision } from '../generate.js';
import { startMoto, type MotoServer } from '../moto-server.js';
import { ProxyProcess } from './proxy-process.js';
import { mapLimit } from '../../core/map-limit.js';

const CLI = fileURLToPath(new URL('../../main.js', import.meta.url));
export const CLUSTER = 'bench';
const OLDER_IMAGES = ['public.ecr.aws/nginx/nginx:1.25', 'public.ecr.aws/nginx/nginx:1.26'];
export const BUMPED_IMAGE = 'public.ecr.aws/nginx/nginx:1.28';

export interface Account {
  moto: MotoServer;
  proxy: ProxyProcess;
  /** The manifests folder `run --source` watches. */
  dir: string;
  /** Environment that points the SDK at the proxy. */
  env: Record<string, string>;
  services: number;
  setup: { olderRevisionsMs: number; applyMs: number; applyCalls: { reads: number; writes: number }; activeRevisions: number };
  close(): Promise<void>;
}

/** Runs `fn` over `items`, at most `limit` at a time. */
export const serviceName = (i: number) => `svc-${String(i).padStart(4, '0')}`;

/**
 * Writes the generated manifests into `dir`, each file atomically (written aside, then renamed);
 * with `only`, just the files of the services it keeps.
 */
export async function writeManifests(dir: string, services: number, imageFor?: (i: number) => string | undefined, only?: (i: number) => boolean): Promise<void> {
  const files = [...generatedRevision(services, { cluster: CLUSTER, imageFor }).files]
    .filter(([path]) => !only || only(Number(/^svc-(\d+)\.yaml$/.exec(path)?.[1] ?? NaN)));
  await mapLimit(files, 64, async ([path, content]) => {
    await writeFile(join(dir, `.${path}.tmp`), content);
    await rename(join(dir, `.${path}.tmp`), join(dir, path));
  });
}

async function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-20000)));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}

export async function createAccount(services: number, scale: number, log: (line: string) => void): Promise<Account> {
  const moto = await startMoto({ env: { MOTO_ECS_SERVICE_RUNNING: '1' }, log });
  const proxy = await ProxyProcess.start(moto.endpoint, scale);
  const dir = await mkdtemp(join(tmpdir(), 'ecs-operator-bench-'));
  const env = { ...moto.awsEnv, AWS_ENDPOINT_URL: proxy.endpoint };
  const close = async () => {
    await proxy.stop();
    await moto.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    let t = performance.now();
    const direct = new ECSClient({ endpoint: moto.endpoint, region: moto.awsEnv.AWS_REGION, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    await mapLimit(Array.from({ length: services }, (_, i) => i), 32, async (i) => {
      for (const image of OLDER_IMAGES) {
        await direct.send(new RegisterTaskDefinitionCommand({ family: serviceName(i), containerDefinitions: [{ name: 'app', image, memory: 128, portMappings: [{ containerPort: 80 }] }] }));
      }
    });
    const olderRevisionsMs = performance.now() - t;
    log(`set-up: ${2 * services} older revisions registered straight into moto in ${(olderRevisionsMs / 1000).toFixed(1)} s`);

    await writeManifests(dir, services);
    await proxy.configure({ throttle: false });
    t = performance.now();
    const applied = await runCli(['apply', dir, '-o', 'json', '--aws-rate-scale', 'off', '--concurrency', '32', '--timeout', '60m', '--log-level', 'warn'], env);
    if (applied.code !== 0) throw new Error(`set-up apply failed (${applied.code}):\n${applied.stderr.slice(-3000)}`);
    const applyMs = performance.now() - t;
    const counts = await proxy.counts();
    const active = (await direct.send(new ListTaskDefinitionsCommand({ status: 'ACTIVE' }))).taskDefinitionArns?.length ?? 0;
    direct.destroy();
    log(`set-up: apply of ${services} services in ${(applyMs / 1000).toFixed(1)} s (${counts.reads} reads, ${counts.writes} writes); ${active} ACTIVE revisions`);
    await proxy.resetCounts();
    await proxy.configure({ throttle: true });
    await proxy.refill();
    return {
      moto, proxy, dir, env, services,
      setup: { olderRevisionsMs, applyMs, applyCalls: { reads: counts.reads, writes: counts.writes }, activeRevisions: active },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
