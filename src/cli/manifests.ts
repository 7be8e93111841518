// The manifests at the paths a command was given, loaded against the operator's kinds: what
// `validate`, `diff` and `apply` read. The loader itself (src/desired) reads no file and knows no kind.
import type { KindRulebook } from '../desired/kind-rules.js';
import { loadRevision, type LoadOptions, type LoadResult } from '../desired/load.js';
import { KIND_REGISTRY } from '../kinds/registry.js';
import { readRevision } from '../sources/files.js';

/**
 * Reads files and folders (see readRevision) and loads them against `kinds` (default: the product's):
 * diagnostics name files as the user typed their paths.
 */
export async function validatePaths(paths: string[], kinds: KindRulebook = KIND_REGISTRY.rules, options: LoadOptions = {}): Promise<LoadResult> {
  return loadRevision(await readRevision(paths, { names: 'as-given' }), kinds, options);
}

