// The example manifests, copied into a temporary folder with the emulator's fixture IDs written in.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyManifests, createFixtures, type Fixtures } from '../../src/tools/fixtures.js';

export const EXAMPLES = fileURLToPath(new URL('../../manifests', import.meta.url));

export async function exampleManifests(options: { without?: string[] } = {}): Promise<{ dir: string; fixtures: Fixtures }> {
  const fixtures = await createFixtures();
  const dir = await copyManifests(EXAMPLES, fixtures);
  for (const file of options.without ?? []) await rm(join(dir, file));
  return { dir, fixtures };
}
