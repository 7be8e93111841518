// The manifest loader's entry points: a Revision (files by path) in, a DesiredState or every error out,
// each error as file:line:col with its JSON path. Nothing of a revision is usable unless all of it is.
import type { Diagnostic, DesiredResource, DesiredState, Kind, Revision, RevisionInfo, ResourceKey } from '../core/types.js';
import { prepareDocument, type Candidate, type Findings } from './documents.js';
import type { KindRulebook } from './kind-rules.js';
import { runKindRules } from './run-rules.js';
import { findCycles, topologicalOrder } from './graph.js';
import { parseManifestFile, type ParseLimits, type ParsedDocument } from './parse.js';
import { sortDiagnostics, uniqueDiagnostics } from './positions.js';
import { conflictErrors, ManifestIndex, resolveReferences, type Edge } from './references.js';
import { canonicalJson, sha256Hex } from './values.js';

export interface LoadOptions {
  /** Deepest nesting of mappings and sequences accepted in a document. Default 64. */
  maxDepth?: number;
}

export interface LoadResult {
  /** Present if and only if `errors` is empty. */
  state?: DesiredState;
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

/** At most this many alias expansions per document: a YAML alias bomb fails at once. */
const MAX_ALIAS_COUNT = 100;

/** The parser's limits for these options (defaults: 64 levels, 100 alias expansions). */
export function parseLimits(options: LoadOptions = {}): ParseLimits {
  return { maxDepth: options.maxDepth ?? 64, maxAliasCount: MAX_ALIAS_COUNT };
}

/**
 * Parses, validates and resolves every manifest of a revision against the kinds of `kinds` (their
 * schemas and rules). The revision's unreadable files count as errors. Diagnostics are sorted by
 * file, line and column; warnings (dropped read-only fields, YAML warnings) are returned either way
 * and carried in the state.
 */
export function loadRevision(revision: Revision, kinds: KindRulebook, options: LoadOptions = {}): LoadResult {
  const limits = parseLimits(options);
  const found: Findings = { errors: [...(revision.unreadable ?? [])], warnings: [] };
  const documents: ParsedDocument[] = [];
  for (const file of [...revision.files.keys()].sort()) {
    const parsed = parseManifestFile(file, revision.files.get(file)!, limits);
    for (const d of parsed.diagnostics) (d.severity === 'error' ? found.errors : found.warnings).push(d);
    documents.push(...parsed.documents);
  }
  return loadDocuments(revision.info, documents, kinds, found);
}

/**
 * Validates and resolves parsed documents (a revision's files, or the documents an environment
 * renders) into a DesiredState, or every error. `found` holds what was already found about them (a
 * file that did not parse): its errors make the result invalid too. Each document's diagnostics are
 * placed by its own Locator.
 */
export function loadDocuments(info: RevisionInfo, documents: readonly ParsedDocument[], kinds: KindRulebook, found: Findings = { errors: [], warnings: [] }): LoadResult {
  const out: Findings = { errors: [...found.errors], warnings: [...found.warnings] };
  const candidates: Candidate[] = [];
  for (const doc of documents) {
    const candidate = prepareDocument(doc, kinds, out);
    if (candidate) candidates.push(candidate);
  }
  const index = new ManifestIndex();
  out.errors.push(...index.build(candidates));
  const { edges, errors } = resolveReferences(index);
  out.errors.push(...errors, ...conflictErrors(index));
  // Every document whose spec is a mapping, valid or not, duplicate or not: one run reports every problem.
  for (const c of candidates) runKindRules(c, index, out);
  for (const cycle of findCycles(edges)) {
    const locator = index.byKey.get(cycle.from)!.locator;
    out.errors.push(locator.diagnostic(cycle.path, `dependency cycle: ${cycle.keys.join(' -> ')}`));
  }
  const result: LoadResult = {
    errors: sortDiagnostics(uniqueDiagnostics(out.errors)),
    warnings: sortDiagnostics(uniqueDiagnostics(out.warnings)),
  };
  if (result.errors.length === 0) result.state = buildState(info, index, edges, [...kinds.keys()], result.warnings);
  return result;
}

function buildState(info: RevisionInfo, index: ManifestIndex, edges: Map<ResourceKey, Edge[]>, kinds: readonly Kind[], warnings: Diagnostic[]): DesiredState {
  const resources = new Map<ResourceKey, DesiredResource>();
  for (const [key, c] of index.byKey) {
    const manifest = c.manifest!; // no error means every candidate passed the schema
    resources.set(key, {
      key,
      kind: c.kind,
      name: c.name!,
      manifest,
      source: c.locator.start,
      dependsOn: (edges.get(key) ?? []).map((e) => e.to),
      policy: c.policy!,
      hash: sha256Hex(canonicalJson({ kind: c.kind, name: c.name, spec: manifest.spec }), 16),
    });
  }
  return { revision: info, resources, order: topologicalOrder(edges, kinds), warnings };
}
