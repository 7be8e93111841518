// Reads one Environment document: its schema, then the rules the schema does not say (one source per
// valuesFrom entry, names that do not collide, paths and names that are never templated), into the
// typed model the renderer works from. Nothing is looked up or substituted here.
import type { Diagnostic, Kind } from '../core/types.js';
import type { FileDocument } from '../desired/parse.js';
import { checkWith } from '../desired/validate.js';
import { isObject } from '../normalize/common.js';
import { environmentPrefix, LabelledLocator } from './locator.js';
import { environmentValidator, VALUE_NAME, type VALUE_TYPES } from './schema.js';
import { hasTemplate } from './template.js';
import { childSite, fromValue, textOf, type ListNode, type MapNode, type Node, type ScalarNode, type Site } from './tree.js';

export type ValueType = (typeof VALUE_TYPES)[number];

/** Where a lookup is made: in the target's account (through its role) or with the operator's own credentials. */
export type LookupAccount = 'target' | 'operator';

export type ValueOrigin =
  | { env: string; default?: Node }
  | { ssm: string; region?: string; account: LookupAccount }
  | { cloudFormation: { stack: string; output: string }; region?: string; account: LookupAccount };

/** One valuesFrom entry. */
export interface ValueSource {
  name: string;
  at: Site;
  from: ValueOrigin;
  type?: ValueType;
}

/** One patches entry; `spec` and `metadata` are patch trees (nulls kept: they delete). */
export interface PatchEntry {
  kind: Kind;
  name: string;
  at: Site;
  spec?: Node;
  metadata?: Node;
}

/** One images entry; newName, newTag and digest are read once values are substituted. */
export interface ImageEntry {
  container: string;
  taskDefinition?: string;
  at: Site;
  node: MapNode;
}

/** An Environment document, checked. */
export interface EnvironmentDocument {
  name: string;
  file: string;
  /** The whole document (nulls removed, except in patches). */
  tree: MapNode;
  include: Array<{ path: string; at: Site }>;
  /** spec.values (an empty map when absent). */
  values: MapNode;
  valuesFrom: ValueSource[];
  images: ImageEntry[];
  patches: PatchEntry[];
  target?: MapNode;
}

/** A copy without null members ("null means absent"), except below the paths `keep` accepts. */
function withoutNulls(value: unknown, keep: (path: readonly string[]) => boolean, path: string[] = []): unknown {
  if (keep(path)) return value;
  if (Array.isArray(value)) return value.map((item, i) => withoutNulls(item, keep, [...path, String(i)]));
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) if (child !== null) Object.defineProperty(out, key, { value: withoutNulls(child, keep, [...path, key]), enumerable: true, writable: true, configurable: true });
  return out;
}

/** Patches' spec and metadata keep their nulls: there null deletes. */
const patchBody = (path: readonly string[]) => path.length === 4 && path[0] === 'spec' && path[1] === 'patches' && (path[3] === 'spec' || path[3] === 'metadata');

/**
 * The environment a document declares, or its errors (each naming the environment when its name is
 * valid). The document is known to have `kind: Environment`.
 */
export function readEnvironment(doc: FileDocument, kinds: readonly Kind[]): { environment?: EnvironmentDocument; errors: Diagnostic[] } {
  const value = withoutNulls(doc.value, patchBody);
  const name = isObject(value) && isObject(value.metadata) && typeof value.metadata.name === 'string' && /^[A-Za-z0-9_-]{1,255}$/.test(value.metadata.name) ? value.metadata.name : undefined;
  const prefix = environmentPrefix(name);
  const schema = checkWith(environmentValidator(kinds), value, new LabelledLocator(doc.locator, prefix));
  if (schema.diagnostics.length > 0 || name === undefined) return { errors: schema.diagnostics };
  const tree = fromValue(value, { locator: doc.locator, pointer: '' }) as MapNode;
  const errors: Diagnostic[] = [];
  const fail = (site: Site, message: string) => errors.push(doc.locator.diagnostic(site.pointer, `${prefix}${message}`));
  const spec = tree.entries.get('spec') as MapNode;
  const member = (node: Node | undefined, key: string) => (node?.type === 'map' ? node.entries.get(key) : undefined);
  const list = (key: string) => {
    const node = member(spec, key);
    return node?.type === 'list' ? (node.items as MapNode[]) : [];
  };
  const values = (member(spec, 'values') as MapNode | undefined) ?? { type: 'map', entries: new Map(), origin: { at: childSite(spec.origin.at, 'values') } };
  for (const key of values.entries.keys()) {
    if (!VALUE_NAME.test(key)) fail(childSite(values.origin.at, key), `value name ${JSON.stringify(key)} must be letters, digits, "_" and "-", starting with a letter or "_"`);
  }
  // The schema says: a list of strings.
  const include = (member(spec, 'include') as ListNode).items.map((item) => ({ path: String((item as ScalarNode).value), at: item.origin.at }));
  for (const entry of include) {
    if (entry.path.startsWith('/') || entry.path.includes('\\') || /^[A-Za-z]:/.test(entry.path)) fail(entry.at, `include ${JSON.stringify(entry.path)} must be a relative path with "/"`);
  }
  const valuesFrom = list('valuesFrom').map((item) => readSource(item, values, fail)).filter((s): s is ValueSource => s !== undefined);
  const seen = new Map<string, Site>();
  for (const source of valuesFrom) {
    const first = seen.get(source.name);
    if (first) fail(childSite(source.at, 'name'), `value ${JSON.stringify(source.name)} is read twice (first at ${first.pointer})`);
    seen.set(source.name, source.at);
  }
  const images = list('images').map((node) => ({ container: textOf(node, 'container')!, taskDefinition: textOf(node, 'taskDefinition'), at: node.origin.at, node }));
  const imageKeys = new Set<string>();
  for (const image of images) {
    const has = (key: string) => image.node.entries.has(key);
    if (!has('newName') && !has('newTag') && !has('digest')) fail(image.at, 'an image override needs newName, newTag or digest');
    if (has('newTag') && has('digest')) fail(childSite(image.at, 'digest'), 'newTag and digest exclude each other: write one or the other');
    const key = `${image.taskDefinition ?? '*'}\0${image.container}`;
    if (imageKeys.has(key)) fail(childSite(image.at, 'container'), `container ${JSON.stringify(image.container)} has another override before this one`);
    imageKeys.add(key);
  }
  const patches: PatchEntry[] = [];
  for (const node of list('patches')) {
    const kind = textOf(node, 'kind');
    const entry: PatchEntry = { kind: kind as Kind, name: textOf(node, 'name')!, at: node.origin.at };
    const patchSpec = node.entries.get('spec');
    const patchMetadata = node.entries.get('metadata');
    if (patchSpec) entry.spec = patchSpec;
    if (patchMetadata) entry.metadata = patchMetadata;
    if (!patchSpec && !patchMetadata) fail(node.origin.at, 'a patch needs spec or metadata');
    patches.push(entry);
  }
  // Paths, names and lookups are read before any value exists: a reference there can never be expanded.
  const fixed: Array<[string, Site]> = [
    ...include.map((e) => [e.path, e.at] as [string, Site]),
    ...patches.map((p) => [p.name, childSite(p.at, 'name')] as [string, Site]),
    ...images.flatMap((i) => [[i.container, childSite(i.at, 'container')], ...(i.taskDefinition ? [[i.taskDefinition, childSite(i.at, 'taskDefinition')]] : [])] as Array<[string, Site]>),
    ...list('valuesFrom').flatMap((node) => strings(node, ['default'])),
  ];
  for (const [text, site] of fixed) if (hasTemplate(text)) fail(site, `${JSON.stringify(text)}: references are expanded in values, images, patches and target, not here`);
  if (errors.length > 0) return { errors };
  const target = member(spec, 'target') as MapNode | undefined;
  return { environment: { name, file: doc.locator.file, tree, include, values, valuesFrom, images, patches, ...(target ? { target } : {}) }, errors };
}

/** Every string scalar of a tree with its site, except below the members named in `skip`. */
function strings(node: Node, skip: readonly string[] = []): Array<[string, Site]> {
  if (node.type === 'scalar') return typeof node.value === 'string' ? [[node.value, node.origin.at]] : [];
  if (node.type === 'list') return node.items.flatMap((item) => strings(item));
  return [...node.entries].filter(([key]) => !skip.includes(key)).flatMap(([, child]) => strings(child));
}

/** One valuesFrom entry, or undefined after telling what is wrong with it. */
function readSource(node: MapNode, values: MapNode, fail: (site: Site, message: string) => void): ValueSource | undefined {
  const at = node.origin.at;
  const name = textOf(node, 'name')!;
  const given = ['env', 'ssm', 'cloudFormation'].filter((key) => node.entries.has(key));
  if (given.length !== 1) {
    fail(at, given.length === 0 ? 'a valuesFrom entry needs env, ssm or cloudFormation' : `a valuesFrom entry reads one source: ${given.join(' and ')} exclude each other`);
    return undefined;
  }
  if (values.entries.has(name)) {
    fail(childSite(at, 'name'), `value ${JSON.stringify(name)} is also set in values (at ${values.origin.at.pointer}/${name}): set it in one place`);
    return undefined;
  }
  const type = textOf(node, 'type') as ValueType | undefined;
  const region = textOf(node, 'region');
  const account = (textOf(node, 'account') as LookupAccount | undefined) ?? 'target';
  const lookupOnly = ['region', 'account'].filter((key) => node.entries.has(key));
  let from: ValueOrigin;
  if (given[0] === 'env') {
    if (lookupOnly.length > 0) {
      fail(childSite(at, lookupOnly[0]!), `${lookupOnly[0]} is for ssm and cloudFormation: a process variable has none`);
      return undefined;
    }
    const fallback = node.entries.get('default');
    from = { env: textOf(node, 'env')!, ...(fallback ? { default: fallback } : {}) };
  } else {
    if (node.entries.has('default')) {
      fail(childSite(at, 'default'), 'default is for env only: a parameter or output that is missing is an error, never a silent default');
      return undefined;
    }
    const stack = node.entries.get('cloudFormation');
    from = given[0] === 'ssm'
      ? { ssm: textOf(node, 'ssm')!, account, ...(region ? { region } : {}) }
      : { cloudFormation: { stack: textOf(stack, 'stack')!, output: textOf(stack, 'output')! }, account, ...(region ? { region } : {}) };
  }
  return { name, at, from, ...(type ? { type } : {}) };
}
