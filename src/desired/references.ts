// Cross-document rules of a revision: one manifest per kind and name, one manifest per AWS resource,
// references that resolve (spec fields and metadata.dependsOn), and the dependency edges they make.
import { resourceKey, type Diagnostic, type Kind, type Manifest, type ResourceKey } from '../core/types.js';
import type { Candidate } from './documents.js';
import type { Reference, RuleContext } from './kind-rules.js';
import { didYouMean, named } from './messages.js';
import { isObject } from '../normalize/common.js';
import { parsePointer } from '../normalize/pointer.js';

/** A dependency: `to` must be applied first; `path` is where the reference is written in the dependent. */
export interface Edge {
  to: ResourceKey;
  path: string;
}

const where = (c: Candidate) => `${c.locator.file}:${c.locator.start.line}`;

/** The candidates of a revision by key and by identity; also the RuleContext the kinds' checks get. */
export class ManifestIndex implements RuleContext {
  /** The first candidate of each key (later ones are duplicates, reported by build()). */
  readonly byKey = new Map<ResourceKey, Candidate>();
  private readonly byIdentity = new Map<Kind, Map<string, Candidate>>();

  /** Indexes the candidates; returns the duplicate-name errors. */
  build(candidates: Candidate[]): Diagnostic[] {
    const errors: Diagnostic[] = [];
    for (const c of candidates) {
      if (c.name === undefined) continue;
      const key = resourceKey(c.kind, c.name);
      const first = this.byKey.get(key);
      if (first) {
        errors.push(c.locator.diagnostic('/metadata/name', `duplicate ${named(c.kind, c.name)}: first defined at ${where(first)}`));
        continue;
      }
      this.byKey.set(key, c);
      const field = c.rules.identityField;
      const identity = field ? c.manifest?.spec[field] : undefined;
      if (typeof identity !== 'string') continue;
      const identities = this.byIdentity.get(c.kind) ?? new Map<string, Candidate>();
      if (!identities.has(identity)) identities.set(identity, c);
      this.byIdentity.set(c.kind, identities);
    }
    return errors;
  }

  /** The candidate a reference designates: by metadata.name, else (when allowed) by identity field. */
  lookup(kind: Kind, name: string, byIdentity = true): Candidate | undefined {
    return this.byKey.get(resourceKey(kind, name)) ?? (byIdentity ? this.byIdentity.get(kind)?.get(name) : undefined);
  }

  find(kind: Kind, name: string): Manifest | undefined {
    return this.lookup(kind, name)?.manifest;
  }

  /** Every name a reference to `kind` could use, for suggestions. */
  names(kind: Kind, byIdentity: boolean): string[] {
    const names = [...this.byKey.values()].filter((c) => c.kind === kind).map((c) => c.name!);
    return byIdentity ? [...names, ...(this.byIdentity.get(kind)?.keys() ?? [])] : names;
  }
}

/** The dependency edges of every indexed candidate, and the references that resolve to nothing. */
export function resolveReferences(index: ManifestIndex): { edges: Map<ResourceKey, Edge[]>; errors: Diagnostic[] } {
  const edges = new Map<ResourceKey, Edge[]>();
  const errors: Diagnostic[] = [];
  for (const [key, c] of index.byKey) {
    const out: Edge[] = [];
    const add = (to: ResourceKey, path: string) => {
      if (to !== key || path.startsWith('/metadata')) out.push({ to, path });
    };
    const spec = c.value.spec;
    const references: Reference[] = isObject(spec) ? c.rules.references(c.manifest?.spec ?? spec) : [];
    for (const ref of references) {
      const target = index.lookup(ref.kind, ref.name, ref.byIdentity);
      if (target) add(resourceKey(target.kind, target.name!), ref.path);
      else if (!ref.external(ref.name)) errors.push(c.locator.diagnostic(ref.path, nothingMessage(index, ref.kind, ref.name, ref.byIdentity, ref.hint)));
    }
    (c.manifest?.metadata.dependsOn ?? []).forEach((dep, i) => {
      if (index.lookup(dep.kind, dep.name, false)) add(resourceKey(dep.kind, dep.name), `/metadata/dependsOn/${i}`);
      else errors.push(c.locator.diagnostic(`/metadata/dependsOn/${i}/name`, nothingMessage(index, dep.kind, dep.name, false)));
    });
    const seen = new Set<ResourceKey>();
    edges.set(key, out.filter((e) => !seen.has(e.to) && seen.add(e.to)));
  }
  return { edges, errors };
}

function nothingMessage(index: ManifestIndex, kind: Kind, name: string, byIdentity: boolean, hint?: string): string {
  const suggestion = didYouMean(name, index.names(kind, byIdentity));
  return `reference to nothing: no ${kind} manifest named ${JSON.stringify(name)}${suggestion}${hint ? `; ${hint}` : ''}`;
}

/** Two schema-valid manifests of a kind that would manage the same AWS resource: an error at the second. */
export function conflictErrors(index: ManifestIndex): Diagnostic[] {
  const errors: Diagnostic[] = [];
  const seen = new Map<string, Candidate>();
  for (const c of index.byKey.values()) {
    const managed = c.manifest && c.rules.managedResource?.(c.manifest, index);
    if (managed === undefined || !c.manifest) continue;
    const label = `${c.kind}\0${managed}`;
    const first = seen.get(label);
    if (!first) {
      seen.set(label, c);
      continue;
    }
    const field = c.rules.identityField;
    const path = field && written(c, `/spec/${field}`) ? `/spec/${field}` : '/metadata/name';
    errors.push(c.locator.diagnostic(path, `${named(c.kind, c.name!)} and ${named(first.kind, first.name!)} (at ${where(first)}) both manage ${managed}`));
  }
  return errors;
}

function written(c: Candidate, pointer: string): boolean {
  let node: unknown = c.value;
  for (const segment of parsePointer(pointer)) {
    if (!isObject(node) || !(segment in node)) return false;
    node = node[segment];
  }
  return true;
}
