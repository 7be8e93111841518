// Turns one parsed document into a candidate resource: envelope and kind checked, nulls removed, an
// export unwrapped and empty enum strings dropped (drop-ins.ts), fields only AWS sets dropped with a
// warning, the schema applied, annotations read, identity defaulted.
// Cross-document rules (duplicates, references, cycles) and the kinds' own rules come later, in
// references.ts, graph.ts and load.ts.
import { API_VERSION, type Diagnostic, type JsonObject, type Kind, type Manifest, type ManifestMetadata, type ResourcePolicy } from '../core/types.js';
import { readPolicy } from './annotations.js';
import { dropEmptyEnums } from './drop-ins.js';
import type { Finding, KindRules, KindRulebook } from './kind-rules.js';
import { didYouMean, show, typeName } from './messages.js';
import type { ParsedDocument } from './parse.js';
import { isObject } from '../normalize/common.js';
import { formatPointer } from '../normalize/pointer.js';
import type { Locator } from './positions.js';
import { checkSchema } from './validate.js';
import { removeNulls } from './values.js';

const NAME = /^[A-Za-z0-9_-]{1,255}$/;

/** A document that named a known kind; what later stages need from it. */
export interface Candidate {
  locator: Locator;
  kind: Kind;
  /** The rules of its kind (from the rulebook the load was given). */
  rules: KindRules;
  /** The document as written, nulls removed and read-only fields dropped (identity not defaulted). */
  value: JsonObject;
  /** metadata.name when it is a valid name. */
  name?: string;
  /** Present when the document passed the schema: the manifest with its identity field defaulted. */
  manifest?: Manifest;
  /**
   * What the kind's rules check: the manifest with its identity field defaulted, present whenever spec
   * is a mapping, schema errors or not (so one run reports every problem). Values may have any type.
   */
  draft?: Manifest;
  /** The paths the schema errors are about (see SchemaCheck.covered). */
  covered: ReadonlySet<string>;
  policy?: ResourcePolicy;
}

export interface Findings {
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

/** Checks one document; pushes its diagnostics into `out`. Undefined when it does not even name a kind. */
export function prepareDocument(doc: ParsedDocument, kinds: KindRulebook, out: Findings): Candidate | undefined {
  let { locator } = doc;
  if (!isObject(doc.value)) {
    out.errors.push({ ...locator.start, severity: 'error', path: '', message: `a manifest must be a mapping with apiVersion, kind, metadata and spec; got ${typeName(doc.value)}` });
    return undefined;
  }
  const value = doc.value;
  removeNulls(value);
  const rules = typeof value.kind === 'string' ? kinds.get(value.kind) : undefined;
  if (!rules) {
    out.errors.push(kindError(value, [...kinds.keys()], locator));
    if (value.apiVersion !== API_VERSION) out.errors.push(apiVersionError(value, locator));
    return undefined;
  }
  const kind = rules.kind;
  const tell = (f: Finding) => {
    const d = f.at === 'missing' ? locator.missing(f.path, f.message, f.severity) : locator.diagnostic(f.path, f.message, f.severity, f.at);
    (d.severity === 'error' ? out.errors : out.warnings).push(d);
  };
  const dropIn = isObject(value.spec) ? rules.dropIn?.(value.spec) : undefined;
  if (dropIn) {
    dropIn.findings.forEach(tell);
    value.spec = dropIn.spec;
    if (dropIn.written) locator = locator.rewritten(dropIn.written);
  }
  dropEmptyEnums(rules, value).forEach(tell);
  const spec = value.spec;
  if (isObject(spec)) {
    for (const field of rules.readOnlyFields) {
      if (!(field in spec)) continue;
      out.warnings.push(locator.diagnostic(`/spec${formatPointer([field])}`, `${field} is set by AWS, not by a manifest: ignored`, 'warning'));
      delete spec[field];
    }
  }
  const metadata = isObject(value.metadata) ? value.metadata : {};
  const schema = checkSchema(rules, value, locator);
  const candidate: Candidate = { locator, kind, rules, value, covered: schema.covered };
  if (typeof metadata.name === 'string' && NAME.test(metadata.name)) candidate.name = metadata.name;
  const schemaErrors = schema.diagnostics;
  out.errors.push(...schemaErrors);
  // Annotations are read whenever metadata itself is valid: a mistake in spec must not hide one there.
  const meta = metadata as unknown as ManifestMetadata;
  if (!schemaErrors.some((e) => e.path.startsWith('/metadata'))) {
    const { policy, diagnostics } = readPolicy(rules, meta.annotations, locator);
    out.errors.push(...diagnostics);
    candidate.policy = policy;
  }
  if (!isObject(spec)) return candidate;
  const defaulted: JsonObject = { ...spec };
  if (rules.identityField && defaulted[rules.identityField] === undefined && candidate.name !== undefined) defaulted[rules.identityField] = candidate.name;
  candidate.draft = { apiVersion: API_VERSION, kind, metadata: meta, spec: defaulted };
  if (schemaErrors.length === 0 && candidate.name !== undefined) candidate.manifest = candidate.draft;
  return candidate;
}

function kindError(value: JsonObject, kinds: readonly Kind[], locator: Locator): Diagnostic {
  if (value.kind === undefined) return locator.missing('/kind', 'missing required field "kind"');
  const hint = typeof value.kind === 'string' ? didYouMean(value.kind, kinds) : '';
  return locator.diagnostic('/kind', `must be one of ${kinds.join(', ')}; got ${show(value.kind)}${hint}`);
}

function apiVersionError(value: JsonObject, locator: Locator): Diagnostic {
  if (value.apiVersion === undefined) return locator.missing('/apiVersion', 'missing required field "apiVersion"');
  return locator.diagnostic('/apiVersion', `must be ${show(API_VERSION)}, got ${show(value.apiVersion)}`);
}
