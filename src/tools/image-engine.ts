// The container engine the image test drives: Docker when an engine answers, else buildah, installed
// with apt-get when this process is root. buildah runs with chroot isolation and vfs storage (unless
// BUILDAH_ISOLATION or STORAGE_DRIVER say otherwise), which need no daemon, no user namespaces and no
// overlay mounts. Both engines run a container as the image says (its entrypoint, command, user, working
// directory and environment) on the host's network, and stop it as `docker stop` does: SIGTERM to the
// container's main process, SIGKILL after a timeout.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { aptInstall, aptUnavailable } from './apt.js';

/** What the image config says about running it (Docker's config names). */
export interface ImageConfig {
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  User?: string;
  Healthcheck?: { Test?: string[] };
}

export interface RunOptions {
  env: Record<string, string>;
  /** [host path, container path] pairs, mounted read-only. */
  volumes: Array<[string, string]>;
}

export interface RunningContainer {
  /** Runs a command in the container (its user and environment, plus `env`); returns the exit status. */
  exec(argv: string[], env?: Record<string, string>): { status: number | null; output: string };
  /** The uid the container's main process runs as, read from /proc. */
  mainUid(): number | undefined;
  /** SIGTERM to the main process, SIGKILL after `timeoutMs`; resolves with the main process's exit code. */
  stop(timeoutMs: number): Promise<number | null>;
  /** Everything the container wrote on stdout and stderr. */
  output(): string;
  /** False once the main process has exited. */
  running(): boolean;
}

export interface ContainerEngine {
  name: 'docker' | 'buildah';
  hasImage(ref: string): boolean;
  build(context: string, tag: string, buildArgs: Record<string, string>): void;
  /** An image made of a root file system tarball, with environment and command. */
  importRootfs(tarball: string, tag: string, env: Record<string, string>, cmd: string[]): void;
  config(ref: string): ImageConfig;
  start(ref: string, options: RunOptions): RunningContainer;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, inherit = false): string {
  const result = spawnSync(cmd, args, { env, encoding: 'utf8', stdio: ['ignore', inherit ? 'inherit' : 'pipe', inherit ? 'inherit' : 'pipe'], maxBuffer: 64 << 20 });
  if (result.status !== 0) throw new Error(`${cmd} ${args.slice(0, 3).join(' ')} failed (${result.status ?? result.error?.message}): ${(result.stderr ?? '').slice(-2000)}`);
  return result.stdout ?? '';
}

const ok = (cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env) => spawnSync(cmd, args, { env, stdio: 'ignore' }).status === 0;

/** Parent pid of every process, from /proc. */
function parents(): Map<number, number> {
  const out = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      out.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function uidOf(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    return Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  } catch {
    return undefined;
  }
}

function collect(child: ChildProcess): () => string {
  let text = '';
  child.stdout?.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (text += d.toString()));
  return () => text;
}

const envFlags = (env: Record<string, string>) => Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
const volumeFlags = (volumes: RunOptions['volumes']) => volumes.flatMap(([host, inside]) => ['-v', `${host}:${inside}:ro`]);

function buildah(): ContainerEngine {
  const env = { ...process.env, BUILDAH_ISOLATION: process.env.BUILDAH_ISOLATION ?? 'chroot', STORAGE_DRIVER: process.env.STORAGE_DRIVER ?? 'vfs' };
  const b = (args: string[], inherit = false) => run('buildah', args, env, inherit);
  const config = (ref: string): ImageConfig => JSON.parse(b(['inspect', '--type', 'image', ref])).Docker?.config ?? {};
  return {
    name: 'buildah',
    hasImage: (ref) => ok('buildah', ['inspect', '--type', 'image', ref], env),
    build: (context, tag, args) => void b(['bud', '--layers', '--format', 'docker', ...Object.entries(args).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]), '-t', tag, context], true),
    importRootfs(tarball, tag, vars, cmd) {
      const ctr = b(['from', 'scratch']).trim();
      b(['add', ctr, tarball, '/']);
      b(['config', ...Object.entries(vars).flatMap(([k, v]) => ['--env', `${k}=${v}`]), '--cmd', JSON.stringify(cmd), ctr]);
      b(['commit', '--rm', '--format', 'docker', ctr, tag]);
    },
    config,
    start(ref, options) {
      const ctr = b(['from', ref]).trim();
      const image = config(ref);
      const argv = [...(image.Entrypoint ?? []), ...(image.Cmd ?? [])];
      const child = spawn('buildah', ['run', ...volumeFlags(options.volumes), ...envFlags(options.env), ctr, '--', ...argv], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      const output = collect(child);
      const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
      // buildah-chroot-exec runs the entrypoint: its child is the container's main process. buildah
      // itself does not pass SIGTERM on to it, so the signal goes to that process directly.
      const main = (): number | undefined => {
        const tree = parents();
        const below = (pid: number): number[] => [...tree].filter(([, p]) => p === pid).flatMap(([c]) => [c, ...below(c)]);
        const cmdline = (pid: number) => {
          try {
            return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
          } catch {
            return '';
          }
        };
        const exec = below(child.pid!).find((pid) => cmdline(pid).startsWith('buildah-chroot-exec'));
        return exec === undefined ? undefined : [...tree].find(([, p]) => p === exec)?.[0];
      };
      return {
        exec: (cmd, extra = {}) => {
          const result = spawnSync('buildah', ['run', ...envFlags({ ...options.env, ...extra }), ctr, '--', ...cmd], { env, encoding: 'utf8' });
          return { status: result.status, output: `${result.stdout}${result.stderr}` };
        },
        mainUid: () => uidOf(main()),
        running: () => child.exitCode === null && child.signalCode === null,
        async stop(timeoutMs) {
          const pid = main();
          if (pid) process.kill(pid, 'SIGTERM');
          const timer = setTimeout(() => {
            const left = main();
            if (left) process.kill(left, 'SIGKILL');
          }, timeoutMs);
          const code = await exited;
          clearTimeout(timer);
          b(['rm', ctr]);
          return code;
        },
        output,
      };
    },
  };
}

function docker(): ContainerEngine {
  const d = (args: string[], inherit = false) => run('docker', args, process.env, inherit);
  return {
    name: 'docker',
    hasImage: (ref) => ok('docker', ['image', 'inspect', ref]),
    build: (context, tag, args) => void d(['build', ...Object.entries(args).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]), '-t', tag, context], true),
    importRootfs: (tarball, tag, vars, cmd) => void d([
      'import', ...Object.entries(vars).flatMap(([k, v]) => ['--change', `ENV ${k}=${v}`]), '--change', `CMD ${JSON.stringify(cmd)}`, tarball, tag,
    ]),
    config: (ref) => JSON.parse(d(['image', 'inspect', ref]))[0]?.Config ?? {},
    start(ref, options) {
      const id = d(['run', '-d', '--network', 'host', ...volumeFlags(options.volumes), ...envFlags(options.env), ref]).trim();
      const logs = () => {
        const result = spawnSync('docker', ['logs', id], { encoding: 'utf8' });
        return `${result.stdout}${result.stderr}`;
      };
      let final: string | undefined;
      return {
        exec: (cmd, extra = {}) => {
          const result = spawnSync('docker', ['exec', ...envFlags(extra), id, ...cmd], { encoding: 'utf8' });
          return { status: result.status, output: `${result.stdout}${result.stderr}` };
        },
        mainUid: () => uidOf(Number(d(['inspect', '-f', '{{.State.Pid}}', id]).trim())),
        async stop(timeoutMs) {
          d(['stop', '-t', String(Math.ceil(timeoutMs / 1000)), id]);
          const code = Number(d(['inspect', '-f', '{{.State.ExitCode}}', id]).trim());
          final = logs();
          d(['rm', id]);
          return code;
        },
        output: () => final ?? logs(),
        running: () => final === undefined && d(['inspect', '-f', '{{.State.Running}}', id]).trim() === 'true',
      };
    },
  };
}

/** Docker when its engine answers; else buildah, installing it (and debootstrap) with apt-get as root. */
export function chooseEngine(log: (line: string) => void): ContainerEngine {
  if (ok('docker', ['info'])) return docker();
  if (!ok('buildah', ['--version'])) {
    const why = aptUnavailable();
    if (why) throw new Error(`no Docker engine answers and buildah is missing (${why}): install buildah (apt-get install buildah) or start Docker`);
    log('no Docker engine here: installing buildah with apt-get (first run only)');
    aptInstall(['buildah']);
  }
  return buildah();
}
