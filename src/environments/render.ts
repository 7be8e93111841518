// Renders one environment: its values read (the process's variables and the lookups the target
// itself uses first, then the target, then the lookups made in the target), every `${{ }}` of its
// documents expanded, its patches merged and its image overrides applied, in that order. The result
// is documents the loader validates like files, each with a Locator that knows where every field of
// it came from.
import type { Diagnostic, JsonObject, Kind } from '../core/types.js';
import { didYouMean, named } from '../desired/messages.js';
import type { Findings } from '../desired/documents.js';
import type { FileDocument, ParsedDocument } from '../desired/parse.js';
import { checkWith } from '../desired/validate.js';
import { applyImages, type ImageTarget } from './images.js';
import { diagnosticAt, environmentPrefix, RenderedLocator } from './locator.js';
import { readSources, type EnvironmentTarget, type ReadValue, type ValueLookups } from './lookups.js';
import type { EnvironmentDocument } from './model.js';
import { patchMember } from './patch.js';
import { environmentValidator } from './schema.js';
import { childSite, fromValue, identityOf, textOf, toJson, tooDeep, type MapNode, type Node, type Origin } from './tree.js';
import { Expansion, Values } from './values.js';

/** A rendered document: what the loader takes, plus the files its content came from. */
export interface RenderedDocument extends ParsedDocument {
  /** The base file first, then the environment's file when it changed anything. */
  files: string[];
}

export interface RenderedEnvironment {
  /** Undefined for the implicit environment of a folder without an Environment. */
  name?: string;
  file?: string;
  /** The target with its values substituted; undefined when the environment names none (or it has errors). */
  target?: EnvironmentTarget;
  documents: RenderedDocument[];
  errors: Diagnostic[];
  warnings: Diagnostic[];
  /** Diagnostics that only repeat an error about a reference (the loader's findings on unexpanded text): not to be told. */
  suppressed: WeakSet<Diagnostic>;
}

export interface RenderOptions {
  lookups: ValueLookups;
  /** The kinds a patch may name. */
  kinds: readonly Kind[];
  /** Deepest nesting accepted in a rendered document (as the parser's limit). */
  maxDepth: number;
  /**
   * Some of what the environment includes could not be read (an include or a file in error, told
   * already): a patch or an image override that matches nothing is then not told as well.
   */
  partial?: boolean;
}

/** Every file an origin names. */
function originFiles(origin: Origin, into: Set<string>): void {
  into.add(origin.at.locator.file);
  if (origin.reference) into.add(origin.reference.at.locator.file);
  if (origin.change) into.add(origin.change.base.locator.file);
}

function filesOf(node: Node, into = new Set<string>()): Set<string> {
  originFiles(node.origin, into);
  if (node.type === 'list') for (const item of node.items) filesOf(item, into);
  if (node.type === 'map') for (const child of node.entries.values()) filesOf(child, into);
  return into;
}

/** The target's JSON, or undefined when the environment names none. */
function targetOf(node: Node | undefined): EnvironmentTarget | undefined {
  if (node?.type !== 'map') return undefined;
  const target: EnvironmentTarget = {};
  for (const key of ['region', 'roleArn', 'externalId', 'instance'] as const) {
    const value = textOf(node, key);
    if (value !== undefined) target[key] = value;
  }
  return target;
}

/** Renders an environment (undefined: the implicit one) over the documents it includes. */
export async function renderEnvironment(environment: EnvironmentDocument | undefined, documents: readonly FileDocument[], options: RenderOptions): Promise<RenderedEnvironment> {
  const prefix = environmentPrefix(environment?.name);
  const found: Findings = { errors: [], warnings: [] };
  const { errors } = found;
  const suppressed = new WeakSet<Diagnostic>();
  const trees = documents.map((doc) => fromValue(doc.value, { locator: doc.locator, pointer: '' }));
  let values = new Values(undefined, prefix, errors);
  let target: EnvironmentTarget | undefined;
  if (environment) {
    const first = await readSources(environment, 'operator', options.lookups, undefined, found);
    // What is read in the target's account is not known yet: the target itself must not use it.
    const later = new Map<string, ReadValue>(first);
    for (const source of environment.valuesFrom) if (!later.has(source.name)) later.set(source.name, { node: fromValue(null, source.at, true), inTarget: true });
    const before = new Values(environment.name, prefix, errors, environment.values, later);
    const targetNode = environment.target && new Expansion(before, true).expand(environment.target);
    if (targetNode && checkTarget(environment, targetNode, prefix, suppressed, errors, options.kinds)) target = targetOf(targetNode);
    const rest = await readSources(environment, 'target', options.lookups, target, found);
    values = new Values(environment.name, prefix, errors, environment.values, new Map([...first, ...rest]));
  }
  const rendered: ImageTarget[] = trees.map((tree) => ({ tree: new Expansion(values, false).expand(tree) }));
  if (environment) {
    applyPatches(environment, rendered, values, prefix, options.partial ? [] : errors, errors);
    const images = environment.images.map((image) => new Expansion(values, false).expand(image.node) as MapNode);
    applyImages(rendered, environment.images, images, prefix, errors, !options.partial);
  }
  const out: RenderedDocument[] = rendered.map(({ tree }) => {
    const locator = new RenderedLocator(tree, prefix, suppressed);
    const deep = tooDeep(tree, options.maxDepth);
    if (deep !== undefined) errors.push(locator.diagnostic(deep, `nested deeper than ${options.maxDepth} levels once values are substituted`));
    const files = [...filesOf(tree)];
    return { locator, value: toJson(tree), files: [tree.origin.at.locator.file, ...files.filter((f) => f !== tree.origin.at.locator.file).sort()] };
  });
  return { ...(environment ? { name: environment.name, file: environment.file } : {}), ...(target ? { target } : {}), documents: out, errors, warnings: found.warnings, suppressed };
}

/** Whether the substituted target passes the Environment schema (its patterns); errors told at the references. */
function checkTarget(environment: EnvironmentDocument, target: Node, prefix: string, suppressed: WeakSet<Diagnostic>, errors: Diagnostic[], kinds: readonly Kind[]): boolean {
  const spec = environment.tree.entries.get('spec') as MapNode;
  const tree: MapNode = { ...environment.tree, entries: new Map(environment.tree.entries).set('spec', { ...spec, entries: new Map(spec.entries).set('target', target) }) };
  const json = toJson(tree) as JsonObject;
  // Only the target is checked again here: the rest passed as written, or is checked where it lands.
  const checked = { ...json, spec: { include: (json.spec as JsonObject).include, target: (json.spec as JsonObject).target } };
  const found = checkWith(environmentValidator(kinds), checked, new RenderedLocator(tree, prefix, suppressed)).diagnostics.filter((d) => !suppressed.has(d));
  errors.push(...found);
  return found.length === 0 && !hasFailed(target);
}

function hasFailed(node: Node): boolean {
  if (node.origin.failed) return true;
  if (node.type === 'list') return node.items.some(hasFailed);
  return node.type === 'map' && [...node.entries.values()].some(hasFailed);
}

/**
 * Applies the patches in order; a patch on a manifest the environment does not include is an error
 * at its name (pushed into `unmatched`), other errors into `errors`.
 */
function applyPatches(environment: EnvironmentDocument, docs: ImageTarget[], values: Values, prefix: string, unmatched: Diagnostic[], errors: Diagnostic[]): void {
  for (const patch of environment.patches) {
    const doc = docs.find((d): d is { tree: MapNode } => d.tree.type === 'map' && identityOf(d.tree).kind === patch.kind && identityOf(d.tree).name === patch.name);
    if (!doc) {
      const names = docs.filter((d) => identityOf(d.tree).kind === patch.kind).map((d) => identityOf(d.tree).name).filter((n): n is string => n !== undefined);
      unmatched.push(diagnosticAt(childSite(patch.at, 'name'), prefix, `patches ${named(patch.kind, patch.name)}, which the environment does not include${didYouMean(patch.name, names)}`, 'value'));
      continue;
    }
    const run = { kind: patch.kind, prefix, errors };
    if (patch.spec) doc.tree = patchMember(doc.tree, 'spec', new Expansion(values, false).expand(patch.spec), run);
    if (patch.metadata) doc.tree = patchMember(doc.tree, 'metadata', new Expansion(values, false).expand(patch.metadata), run);
  }
}
