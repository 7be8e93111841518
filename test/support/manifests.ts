// Manifest files and folders loaded as `validate` reads a plain folder (names as given), against the
// operator's kinds: for tests that check what the loader makes of files on disk.
import type { KindRulebook } from '../../src/desired/kind-rules.js';
import { loadRevision, type LoadOptions, type LoadResult } from '../../src/desired/load.js';
import { KIND_REGISTRY } from '../../src/kinds/registry.js';
import { readRevision } from '../../src/sources/files.js';

/** Reads files and folders (see readRevision) and loads them against `kinds` (default: the product's). */
export async function validatePaths(paths: string[], kinds: KindRulebook = KIND_REGISTRY.rules, options: LoadOptions = {}): Promise<LoadResult> {
  return loadRevision(await readRevision(paths, { names: 'as-given' }), kinds, options);
}
