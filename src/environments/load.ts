// The environments layer's entry point: a Revision in, each environment rendered and loaded (validated
// and resolved by the same loader as a plain folder) out, with every diagnostic placed through the
// rendered documents' provenance. Pure but for the lookups it is given.
import type { Diagnostic, ResourceKey, Revision } from '../core/types.js';
import type { KindRulebook } from '../desired/kind-rules.js';
import { loadDocuments, parseLimits, type LoadResult } from '../desired/load.js';
import { sortDiagnostics, uniqueDiagnostics } from '../desired/positions.js';
import { isObject } from '../normalize/common.js';
import { discover } from './discover.js';
import type { EnvironmentTarget, ValueLookups } from './lookups.js';
import { renderEnvironment } from './render.js';

export interface EnvironmentLoad {
  /** Undefined for the implicit environment of a folder without an Environment. */
  name?: string;
  /** The Environment's file. */
  file?: string;
  target?: EnvironmentTarget;
  /** The loader's result on the rendered documents (a state when the environment is valid). */
  result: LoadResult;
  /** The files each resource's rendered manifest came from: its base file first. */
  sources: Map<ResourceKey, string[]>;
}

export interface EnvironmentsLoad {
  environments: EnvironmentLoad[];
  /** Problems outside any one environment; any makes the revision invalid. */
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

export interface EnvironmentsOptions {
  lookups: ValueLookups;
  /** The kinds the rendered manifests are loaded against (the kind registry's rulebook). */
  kinds: KindRulebook;
  /** Folders (or files) that includes must stay inside, named as the revision names its files. Default: the revision's root. */
  roots?: readonly string[];
  maxDepth?: number;
}

/** Every environment of a revision, rendered and loaded, sorted by name. */
export async function loadEnvironments(revision: Revision, options: EnvironmentsOptions): Promise<EnvironmentsLoad> {
  const limits = parseLimits(options.maxDepth === undefined ? {} : { maxDepth: options.maxDepth });
  const kinds = [...options.kinds.keys()];
  const discovery = discover(revision, limits, options.roots, kinds);
  const environments: EnvironmentLoad[] = [];
  for (const { environment, documents, found } of discovery.environments) {
    const rendered = await renderEnvironment(environment, documents, { lookups: options.lookups, kinds, maxDepth: limits.maxDepth, partial: found.errors.length > 0 });
    const result = loadDocuments(revision.info, rendered.documents, options.kinds, { errors: [...found.errors, ...rendered.errors], warnings: [...found.warnings, ...rendered.warnings] });
    result.errors = result.errors.filter((d) => !rendered.suppressed.has(d));
    const sources = new Map<ResourceKey, string[]>();
    for (const doc of rendered.documents) {
      const value = doc.value;
      if (!isObject(value) || typeof value.kind !== 'string' || !isObject(value.metadata) || typeof value.metadata.name !== 'string') continue;
      const key = `${value.kind}/${value.metadata.name}` as ResourceKey;
      if (!sources.has(key)) sources.set(key, doc.files);
    }
    environments.push({
      ...(rendered.name !== undefined ? { name: rendered.name } : {}),
      ...(rendered.file !== undefined ? { file: rendered.file } : {}),
      ...(rendered.target ? { target: rendered.target } : {}),
      result,
      sources,
    });
  }
  return { environments, errors: sortDiagnostics(uniqueDiagnostics(discovery.errors)), warnings: sortDiagnostics(uniqueDiagnostics(discovery.warnings)) };
}
