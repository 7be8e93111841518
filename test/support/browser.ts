// Headless Chromium for the status page tests: Debian's `chromium` package driven by playwright-core
// (no browser download of its own). When the package is missing and this process can install it
// (root, apt-get present), it is installed once, parallel test files waiting on a lock directory;
// when it cannot be, launching fails with a message saying what to do: a browser test never skips.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { withInstallLock } from '../../src/tools/install-lock.js';

/** Where browser tests write their screenshots, to be looked at (not compared). */
export const SCREENSHOTS = fileURLToPath(new URL('../../.cache/screenshots/', import.meta.url));

/** Where Debian puts the browser. CHROMIUM_PATH overrides it (another build, another distribution). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const lockDir = join(fileURLToPath(new URL('../../', import.meta.url)), '.cache', 'chromium-install.lock');
/** apt-get update plus the package and its libraries take a minute or two on a fresh machine. */
const INSTALL_LIMIT_MS = 15 * 60_000;

const LAUNCH_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

function apt(args: string[]): void {
  const result = spawnSync('apt-get', ['-o', 'DPkg::Lock::Timeout=600', ...args], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    timeout: INSTALL_LIMIT_MS,
  });
  if (result.status !== 0) {
    throw new Error(`apt-get ${args.join(' ')} failed (${result.status ?? result.error?.message}): ${result.stderr?.slice(-1500)}`);
  }
}

function canInstall(): string | undefined {
  if (process.getuid?.() !== 0) return 'this process is not root';
  if (spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status !== 0) return 'apt-get is not available';
  return undefined;
}

/** The browser's path, installing Debian's `chromium` first when it is missing and that is possible. */
export async function ensureChromium(log: (line: string) => void = () => {}): Promise<string> {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  const why = canInstall();
  if (why) {
    throw new Error(`${CHROMIUM} is missing and cannot be installed here (${why}): install Debian's "chromium" package (apt-get install chromium) or set CHROMIUM_PATH`);
  }
  await withInstallLock(lockDir, INSTALL_LIMIT_MS, () => {
    if (existsSync(CHROMIUM)) return;
    log('installing Debian chromium with apt-get (first run only)');
    apt(['update']);
    apt(['install', '-y', '--no-install-recommends', 'chromium']);
  });
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium but ${CHROMIUM} is still missing: set CHROMIUM_PATH`);
  return CHROMIUM;
}

/** A headless Chromium; the caller closes it. */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = await ensureChromium((line) => process.stderr.write(`# ${line}\n`));
  return chromium.launch({ executablePath, args: LAUNCH_ARGS });
}
