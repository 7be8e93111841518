// Debian packages a tool or a test needs (Chromium for the status page tests, buildah and debootstrap
// for the image test), installed with apt-get on first use when this process may: as root, where
// apt-get exists. Otherwise the caller says what to install by hand.
import { spawnSync } from 'node:child_process';

/** apt-get update plus a few packages and their libraries take a minute or two on a fresh machine. */
export const APT_LIMIT_MS = 15 * 60_000;

/** Why apt-get cannot install here, or undefined when it can. */
export function aptUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'this process is not root';
  if (spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status !== 0) return 'apt-get is not available';
  return undefined;
}

/** Runs apt-get non-interactively, waiting for dpkg's lock; throws with apt's own words on failure. */
export function aptGet(args: string[]): void {
  const result = spawnSync('apt-get', ['-o', 'DPkg::Lock::Timeout=600', ...args], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    timeout: APT_LIMIT_MS,
  });
  if (result.status !== 0) {
    throw new Error(`apt-get ${args.join(' ')} failed (${result.status ?? result.error?.message}): ${result.stderr?.slice(-1500)}`);
  }
}

/** `apt-get update`, then the packages without their recommendations. */
export function aptInstall(packages: string[]): void {
  aptGet(['update']);
  aptGet(['install', '-y', '--no-install-recommends', ...packages]);
}
