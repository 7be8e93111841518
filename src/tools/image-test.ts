// `npm run image:test`: builds the Dockerfile and runs the image for real against a local moto server.
//   1. the engine: Docker if its engine answers, else buildah (image-engine.ts);
//   2. the base: node:22-bookworm-slim from Docker Hub when it answers, else a local equivalent built
//      once (image-base.ts), passed as the Dockerfile's BASE build argument (--base IMAGE forces one);
//   3. the build of the unmodified Dockerfile;
//   4. the container, as the image says to run it, with the examples and deploy/manifests mounted at
//      /manifests and the AWS SDK pointed at moto: /readyz answers 200, every resource is Synced and
//      Healthy, `ecs-operator diff` from outside finds nothing to do, the main process runs as uid
//      1000, the image's HEALTHCHECK passes, and SIGTERM stops it cleanly (exit 0).
// Prints what each step took; exits 1 when a check fails.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { copyManifests, createFixtures } from './fixtures.js';
import { ensureLocalBase } from './image-base.js';
import { chooseEngine, type RunningContainer } from './image-engine.js';
import { freePort, startMoto } from './moto-server.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { values } = parseArgs({
  options: {
    base: { type: 'string' },
    'local-base': { type: 'boolean', default: false },
    tag: { type: 'string', default: 'localhost/ecs-operator:image-test' },
  },
});
const HUB_BASE = 'docker.io/library/node:22-bookworm-slim';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const log = (line: string) => process.stdout.write(`${line}\n`);
const timings: Array<[string, number]> = [];
let failures = 0;

async function timed<T>(title: string, fn: () => T | Promise<T>): Promise<T> {
  process.stdout.write(`\n\x1b[1m== ${title}\x1b[0m\n`);
  const started = Date.now();
  const out = await fn();
  timings.push([title, Date.now() - started]);
  return out;
}

function check(ok: boolean, what: string, detail = ''): void {
  if (!ok) failures++;
  log(`${ok ? '\x1b[32m✓\x1b[0m' : '\x1b[31m✗\x1b[0m'} ${what}${ok || !detail ? '' : `: ${detail}`}`);
}

/** Whether Docker Hub answers at all (any HTTP status): its images can then be pulled. */
async function hubAnswers(): Promise<boolean> {
  try {
    await fetch('https://registry-1.docker.io/v2/', { signal: AbortSignal.timeout(5000) });
    return true;
  } catch {
    return false;
  }
}

async function untilReady(url: string, container: RunningContainer, limitMs: number): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(2000) })).status === 200) return true;
    } catch {
      // not listening yet
    }
    if (!container.running()) return false;
    await sleep(500);
  }
  return false;
}

async function main(): Promise<number> {
  const engine = await timed('Container engine', () => chooseEngine(log));
  log(`engine: ${engine.name}`);
  const base = await timed('Base image', async () => {
    if (values.base) return values.base;
    if (!values['local-base'] && (await hubAnswers())) return HUB_BASE;
    log('Docker Hub does not answer: using the local equivalent of node:22-bookworm-slim');
    const local = ensureLocalBase(engine, log);
    log(local.built ? `built ${local.image}` : `${local.image} is cached`);
    return local.image;
  });
  await timed(`Build the Dockerfile (BASE=${base})`, () => engine.build(root, values.tag!, { BASE: base }));

  const moto = await timed('Start moto and the network the examples assume', () => startMoto({ env: { MOTO_ECS_SERVICE_RUNNING: '2' }, aasTags: true, log }));
  let dir: string | undefined;
  try {
    Object.assign(process.env, moto.awsEnv);
    const fixtures = await createFixtures();
    dir = await copyManifests(join(root, 'manifests'), fixtures);
    await copyManifests(join(root, 'deploy', 'manifests'), fixtures, join(dir, 'ecs-operator'));
    // The container runs as uid 1000: the mounted copy must be readable by it.
    spawnSync('chmod', ['-R', 'a+rX', dir]);
    const port = await freePort();
    const listen = `127.0.0.1:${port}`;
    const env = { ...moto.awsEnv, ECS_OPERATOR_LISTEN: listen, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
    const container = await timed('Run the image until /readyz answers 200', async () => {
      const started = engine.start(values.tag!, { env, volumes: [[dir!, '/manifests']] });
      check(await untilReady(`http://${listen}/readyz`, started, 180_000), `/readyz 200 on ${listen}`, started.output().slice(-3000));
      return started;
    });
    await timed('Checks on the running container (every resource Synced and Healthy, within 90 s)', async () => {
      // Ready means every resource had its first pass; rollouts then complete over the next passes.
      let resources: Array<{ key: string; sync: string; health: string }> = [];
      let off: string[] = ['not read yet'];
      for (const deadline = Date.now() + 90_000; off.length > 0 && Date.now() < deadline; await sleep(1000)) {
        resources = ((await (await fetch(`http://${listen}/api/v1/status`)).json()) as { resources?: typeof resources }).resources ?? [];
        off = resources.filter((r) => r.sync !== 'Synced' || r.health !== 'Healthy').map((r) => `${r.key} ${r.sync}/${r.health}`);
      }
      check(resources.length === 9 && off.length === 0, `${resources.length} resources Synced and Healthy (examples and deploy/manifests)`, off.join(', ') || `${resources.length} resources`);
      const diff = spawnSync(process.execPath, [join(root, 'dist', 'main.js'), 'diff', dir!], { env: { ...process.env, ...env }, encoding: 'utf8' });
      check(diff.status === 0, 'ecs-operator diff from outside the container: AWS (moto) is in sync with the manifests', `${diff.stdout}${diff.stderr}`.slice(-2000));
      check(container.mainUid() === 1000, 'the main process runs as uid 1000', `uid ${container.mainUid()}`);
      const test = engine.config(values.tag!).Healthcheck?.Test ?? [];
      const argv = test[0] === 'CMD-SHELL' ? ['/bin/sh', '-c', test[1]!] : test.slice(1);
      const health = argv.length > 0 ? container.exec(argv) : { status: null, output: 'the image has no HEALTHCHECK' };
      check(health.status === 0, 'the image\'s HEALTHCHECK passes inside the container (node, no curl)', health.output);
    });
    await timed('SIGTERM to the container\'s main process', async () => {
      const code = await container.stop(45_000);
      check(code === 0 && container.output().includes('ecs-operator stopped'), 'stopped cleanly, exit 0', `exit ${code}: ${container.output().slice(-1500)}`);
    });
  } finally {
    await moto.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
  log('\nstep | seconds');
  for (const [title, ms] of timings) log(`${title} | ${(ms / 1000).toFixed(1)}`);
  log(failures === 0 ? '\nimage test passed' : `\nimage test failed: ${failures} check(s)`);
  return failures === 0 ? 0 : 1;
}

main().then((code) => (process.exitCode = code), (err) => {
  process.stderr.write(`image test failed: ${(err as Error).stack}\n`);
  process.exitCode = 1;
});
