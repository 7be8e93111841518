// Headless Chromium for the status page tests: Debian's `chromium` package driven by playwright-core
// (no browser download of its own). When the package is missing and this process can install it
// (root, apt-get present), it is installed once, parallel test files waiting on a lock directory;
// when it cannot be, launching fails with a message saying what to do: a browser test never skips.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { APT_LIMIT_MS, aptInstall, aptUnavailable } from '../../src/tools/apt.js';
import { withInstallLock } from '../../src/tools/install-lock.js';

/** Where browser tests write their screenshots, to be looked at (not compared). */
export const SCREENSHOTS = fileURLToPath(new URL('../../.cache/screenshots/', import.meta.url));

/** Where Debian puts the browser. CHROMIUM_PATH overrides it (another build, another distribution). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const lockDir = join(fileURLToPath(new URL('../../', import.meta.url)), '.cache', 'chromium-install.lock');

const LAUNCH_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** The browser's path, installing Debian's `chromium` first when it is missing and that is possible. */
export async function ensureChromium(log: (line: string) => void = () => {}): Promise<string> {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  const why = aptUnavailable();
  if (why) {
    throw new Error(`${CHROMIUM} is missing and cannot be installed here (${why}): install Debian's "chromium" package (apt-get install chromium) or set CHROMIUM_PATH`);
  }
  await withInstallLock(lockDir, APT_LIMIT_MS, () => {
    if (existsSync(CHROMIUM)) return;
    log('installing Debian chromium with apt-get (first run only)');
    aptInstall(['chromium']);
  });
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium but ${CHROMIUM} is still missing: set CHROMIUM_PATH`);
  return CHROMIUM;
}

/** A headless Chromium; the caller closes it. */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = await ensureChromium((line) => process.stderr.write(`# ${line}\n`));
  return chromium.launch({ executablePath, args: LAUNCH_ARGS });
}
