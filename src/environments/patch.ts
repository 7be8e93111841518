// Patches on included manifests: a JSON merge patch (RFC 7386) on spec (and on metadata's labels and
// annotations), where the arrays of merge-keys.ts merge item by item by their key: an item whose key
// the base has is merged into it, a new one is appended, and one with `$patch: delete` is removed.
// Every node a patch writes records the base field it replaced (or the node it was added to).
import type { Diagnostic, Kind } from '../core/types.js';
import { didYouMean, show } from '../desired/messages.js';
import { diagnosticAt } from './locator.js';
import { mergeKeyAt } from './merge-keys.js';
import { childSite, mapOrigins, placeOf, type ListNode, type MapNode, type Node, type Site } from './tree.js';

const DIRECTIVE = '$patch';

interface PatchRun {
  kind: Kind;
  prefix: string;
  errors: Diagnostic[];
}

/** The document with a patch of `member` (spec or metadata) merged in; errors pushed into `errors`. */
export function patchMember(doc: MapNode, member: 'spec' | 'metadata', patch: Node, run: PatchRun): MapNode {
  const merged = merge(doc.entries.get(member), patch, [member], doc.origin.at, run);
  const entries = new Map(doc.entries);
  if (merged === undefined) entries.delete(member);
  else entries.set(member, merged);
  return { ...doc, entries };
}

/** The patch's nodes, marked as written by a patch of `base`. */
function written(patch: Node, base: Site, added: boolean): Node {
  return mapOrigins(patch, (origin) => ({ ...origin, change: { by: 'patch', base, added } }));
}

/**
 * RFC 7386 MergePatch(target, patch), on trees. `near` is the base site the result is told against
 * when the target does not exist (the node it is added to). Undefined: the member is deleted.
 */
function merge(target: Node | undefined, patch: Node, path: string[], near: Site, run: PatchRun): Node | undefined {
  if (patch.type === 'scalar' && patch.value === null) return undefined;
  if (patch.type === 'list') {
    const key = mergeKeyAt(run.kind, path);
    if (key !== undefined) return mergeByKey(target?.type === 'list' ? target : undefined, patch, key, path, near, run);
  }
  if (patch.type !== 'map') return written(patch, target ? placeOf(target) : near, target === undefined);
  if (patch.entries.has(DIRECTIVE)) run.errors.push(diagnosticAt(childSite(patch.origin.at, DIRECTIVE), run.prefix, `${DIRECTIVE} is read only in the items of a list merged by key (containerDefinitions, environment, secrets, tags...)`));
  const base = target?.type === 'map' ? target : undefined;
  const entries = new Map(base?.entries ?? []);
  const at = base ? placeOf(base) : near;
  for (const [key, child] of patch.entries) {
    if (key === DIRECTIVE) continue;
    const merged = merge(entries.get(key), child, [...path, key], at, run);
    if (merged === undefined) entries.delete(key);
    else entries.set(key, merged);
  }
  if (base) return { ...base, entries };
  // Not a map in the base: the patch's map replaces it (its nulls dropped, as RFC 7386 says).
  return { type: 'map', entries, origin: { ...patch.origin, change: { by: 'patch', base: target ? placeOf(target) : near, added: target === undefined } } };
}

const sameKey = (a: Node | undefined, b: Node) => a?.type === 'scalar' && b.type === 'scalar' && a.value === b.value;

/** A list merged item by item by `key`. */
function mergeByKey(target: ListNode | undefined, patch: ListNode, key: string, path: string[], near: Site, run: PatchRun): Node {
  const items = [...(target?.items ?? [])];
  const list = path[path.length - 1]!;
  const fail = (site: Site, message: string) => run.errors.push(diagnosticAt(site, run.prefix, message));
  for (const item of patch.items) {
    if (item.type !== 'map') {
      fail(item.origin.at, `the items of ${list} are merged by ${key}: each patch item must be a mapping with a ${key}`);
      continue;
    }
    const keyNode = item.entries.get(key);
    if (keyNode?.type !== 'scalar' || keyNode.value === null) {
      fail(item.origin.at, `the items of ${list} are merged by ${key}: this item has no ${key}`);
      continue;
    }
    const directive = item.entries.get(DIRECTIVE);
    if (directive && !(directive.type === 'scalar' && directive.value === 'delete')) {
      fail(directive.origin.at, `${DIRECTIVE} must be "delete"`);
      continue;
    }
    const index = items.findIndex((existing) => existing.type === 'map' && sameKey(existing.entries.get(key), keyNode));
    if (directive) {
      if (index !== -1) items.splice(index, 1);
      else {
        const keys = items.flatMap((existing) => (existing.type === 'map' && existing.entries.get(key)?.type === 'scalar' ? [String((existing.entries.get(key) as { value: unknown }).value)] : []));
        fail(childSite(item.origin.at, key), `deletes the ${list} item with ${key} ${show(keyNode.value)}, which the base does not have${didYouMean(String(keyNode.value), keys)}`);
      }
      continue;
    }
    if (index === -1) items.push(merge(undefined, item, [...path, String(items.length)], target ? placeOf(target) : near, run)!);
    else items[index] = merge(items[index], item, [...path, String(index)], placeOf(items[index]!), run)!;
  }
  if (target) return { ...target, items };
  return { type: 'list', items, origin: { ...patch.origin, change: { by: 'patch', base: near, added: true } } };
}
