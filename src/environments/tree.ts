// The rendered form of a document: a tree of immutable nodes, each knowing where its content was
// written (its provenance). Rendering (values, patches, image overrides) builds new trees from old
// ones, so every field of a rendered manifest can still be traced to the base file and to the
// environment file that changed it, whatever moved in between (an array merged by name reorders
// nothing, but it inserts and deletes items).
import type { JsonValue } from '../core/types.js';
import type { FileLocator } from '../desired/positions.js';
import { isObject } from '../normalize/common.js';
import { escapeSegment } from '../normalize/pointer.js';

/** A place in a parsed file: the document's locator and a JSON pointer into it. */
export interface Site {
  locator: FileLocator;
  pointer: string;
}

/** A value an interpolated or substituted field used, and where that value is written. */
export interface ValueUse {
  name: string;
  at: Site;
}

/** Where a node came from. */
export interface Origin {
  /** Where the node's content is written (for a value's copy: in the value's definition). */
  at: Site;
  /** Present when a `${{ }}` reference put it here: where the reference is written, and the values used. */
  reference?: { at: Site; values: ValueUse[] };
  /** Present when a patch or an image override wrote it: the base field it replaced, or the base node it was added to. */
  change?: { by: 'patch' | 'image'; base: Site; added: boolean };
  /** A reference here could not be expanded (an error is told about it): findings about it would only repeat that. */
  failed?: true;
}

export type Scalar = string | number | boolean | null;
export type Node = ScalarNode | ListNode | MapNode;

export interface ScalarNode {
  readonly type: 'scalar';
  readonly value: Scalar;
  readonly origin: Origin;
}

export interface ListNode {
  readonly type: 'list';
  readonly items: readonly Node[];
  readonly origin: Origin;
}

export interface MapNode {
  readonly type: 'map';
  readonly entries: ReadonlyMap<string, Node>;
  readonly origin: Origin;
}

/** Where a node stands in the document it is part of: its reference when a reference put it there, else where it is written. */
export function placeOf(node: Node): Site {
  return node.origin.reference?.at ?? node.origin.at;
}

/** The site of a child: the parent's pointer plus one segment. */
export function childSite(site: Site, segment: string | number): Site {
  return { locator: site.locator, pointer: `${site.pointer}/${escapeSegment(String(segment))}` };
}

/**
 * The tree of a parsed value (YAML or JSON data: nulls kept, they mean "delete" in a patch), every
 * node's origin its own place under `at`. `sameSite`: every node gets `at` itself (a value looked up
 * elsewhere, which has no written structure of its own). Depth is bounded by the parser's limit.
 */
export function fromValue(value: unknown, at: Site, sameSite = false): Node {
  const site = (segment: string | number) => (sameSite ? at : childSite(at, segment));
  if (Array.isArray(value)) return { type: 'list', items: value.map((item, i) => fromValue(item, site(i), sameSite)), origin: { at } };
  if (isObject(value)) {
    const entries = new Map<string, Node>();
    for (const [key, child] of Object.entries(value)) entries.set(key, fromValue(child, site(key), sameSite));
    return { type: 'map', entries, origin: { at } };
  }
  return { type: 'scalar', value: value === undefined ? null : (value as Scalar), origin: { at } };
}

/** The plain JSON of a tree. */
export function toJson(node: Node): JsonValue {
  if (node.type === 'scalar') return node.value;
  if (node.type === 'list') return node.items.map(toJson);
  // fromEntries defines own properties: a "__proto__" key stays a key.
  return Object.fromEntries([...node.entries].map(([key, child]) => [key, toJson(child)]));
}

/** The same tree with every node's origin mapped. */
export function mapOrigins(node: Node, map: (origin: Origin) => Origin): Node {
  const origin = map(node.origin);
  if (node.type === 'scalar') return { ...node, origin };
  if (node.type === 'list') return { type: 'list', items: node.items.map((item) => mapOrigins(item, map)), origin };
  return { type: 'map', entries: new Map([...node.entries].map(([key, child]) => [key, mapOrigins(child, map)])), origin };
}

/** The child of a list (by index) or a map (by key), if any. */
export function childOf(node: Node, segment: string): Node | undefined {
  if (node.type === 'map') return node.entries.get(segment);
  if (node.type === 'list' && /^\d+$/.test(segment)) return node.items[Number(segment)];
  return undefined;
}

/** The member of a map node, if the node is a map and has it. */
export function memberOf(node: Node | undefined, key: string): Node | undefined {
  return node?.type === 'map' ? node.entries.get(key) : undefined;
}

/** The member of a map node as a string scalar, if it is one. */
export function textOf(node: Node | undefined, key: string): string | undefined {
  const child = memberOf(node, key);
  return child?.type === 'scalar' && typeof child.value === 'string' ? child.value : undefined;
}

/** `Kind "name"` of a document tree, when both are written as strings. */
export function identityOf(tree: Node): { kind?: string; name?: string } {
  return { kind: textOf(tree, 'kind'), name: textOf(memberOf(tree, 'metadata'), 'name') };
}

const sizes = new WeakMap<Node, number>();

/**
 * What a tree weighs, roughly in bytes: 8 per node plus the length of every string and key. The
 * expansion budget is counted in it, so value references cannot multiply a small file into a huge
 * document (the alias bomb of templating).
 */
export function sizeOf(node: Node): number {
  let size = sizes.get(node);
  if (size !== undefined) return size;
  if (node.type === 'scalar') size = 8 + (typeof node.value === 'string' ? node.value.length : 0);
  else if (node.type === 'list') size = node.items.reduce((sum, item) => sum + sizeOf(item), 8);
  else size = [...node.entries].reduce((sum, [key, child]) => sum + key.length + sizeOf(child), 8);
  sizes.set(node, size);
  return size;
}

/** The pointer of the first node deeper than `maxDepth` levels, or undefined. */
export function tooDeep(node: Node, maxDepth: number, pointer = ''): string | undefined {
  if (node.type === 'scalar') return undefined;
  if (maxDepth === 0) return pointer;
  const children: Array<[string, Node]> = node.type === 'list' ? node.items.map((item, i) => [String(i), item]) : [...node.entries];
  for (const [key, child] of children) {
    const found = tooDeep(child, maxDepth - 1, `${pointer}/${escapeSegment(key)}`);
    if (found !== undefined) return found;
  }
  return undefined;
}
