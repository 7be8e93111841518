// The dependency graph of a revision: cycles (reported at every member, naming the whole cycle) and the
// apply order (dependencies first, ties by kind order then name). Iterative throughout: a long chain of
// dependsOn must not exhaust the stack.
import { parseResourceKey, type Kind, type ResourceKey } from '../core/types.js';
import type { Edge } from './references.js';

/** A cycle through a node: its keys from that node back to it, reported where the node's first edge is written. */
export interface Cycle {
  from: ResourceKey;
  path: string;
  /** Keys from `from` back to it; a long cycle is shortened to its ends around a `… N more …` entry. */
  keys: string[];
}

/** Shortest-cycle searches per component: plenty for any real mistake, bounded for pathological graphs. */
const MAX_SEARCHES = 200;
/** Cycles longer than this are named by their ends. */
const MAX_NAMED = 12;

/** Strongly connected components with more than one node, or a node depending on itself (Tarjan, iterative). */
function cyclicComponents(edges: Map<ResourceKey, Edge[]>): ResourceKey[][] {
  const indexOf = new Map<ResourceKey, number>();
  const low = new Map<ResourceKey, number>();
  const onStack = new Set<ResourceKey>();
  const stack: ResourceKey[] = [];
  const components: ResourceKey[][] = [];
  let next = 0;
  for (const root of edges.keys()) {
    if (indexOf.has(root)) continue;
    const work: Array<{ node: ResourceKey; i: number }> = [{ node: root, i: 0 }];
    indexOf.set(root, next);
    low.set(root, next++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const out = edges.get(frame.node) ?? [];
      if (frame.i < out.length) {
        const to = out[frame.i++]!.to;
        if (!indexOf.has(to)) {
          indexOf.set(to, next);
          low.set(to, next++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, i: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, indexOf.get(to)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) !== indexOf.get(frame.node)) continue;
      const component: ResourceKey[] = [];
      let member: ResourceKey;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.node);
      const selfLoop = out.some((e) => e.to === frame.node);
      if (component.length > 1 || selfLoop) components.push(component);
    }
  }
  return components;
}

/** The shortest cycle from `start` back to it inside a component (breadth-first), without the repeated start. */
function shortestCycle(start: ResourceKey, members: Set<ResourceKey>, edges: Map<ResourceKey, Edge[]>): ResourceKey[] {
  const parent = new Map<ResourceKey, ResourceKey>();
  const queue: ResourceKey[] = [start];
  for (let q = 0; q < queue.length && !parent.has(start); q++) {
    const node = queue[q]!;
    for (const { to } of edges.get(node) ?? []) {
      if (!members.has(to) || parent.has(to)) continue;
      parent.set(to, node);
      if (to === start) break;
      queue.push(to);
    }
  }
  const back: ResourceKey[] = [];
  for (let node = parent.get(start)!; node !== start; node = parent.get(node)!) back.push(node);
  return [start, ...back.reverse()];
}

/** The cycle read from its i-th member, back to it; shortened when long. */
function rotated(cycle: ResourceKey[], i: number): string[] {
  const k = cycle.length;
  const at = (j: number) => cycle[(i + j) % k]!;
  if (k + 1 <= MAX_NAMED) return Array.from({ length: k + 1 }, (_, j) => at(j));
  const head = Array.from({ length: MAX_NAMED - 3 }, (_, j) => at(j));
  return [...head, `… ${k + 1 - MAX_NAMED + 1} more …`, at(k - 1), at(k)];
}

/**
 * Every dependency cycle, once per member: the member, the cycle read from it, and where its first edge
 * along the cycle is written. Linear in the graph for a simple cycle however long.
 */
export function findCycles(edges: Map<ResourceKey, Edge[]>): Cycle[] {
  const cycles: Cycle[] = [];
  for (const component of cyclicComponents(edges)) {
    const members = new Set(component);
    const covered = new Set<ResourceKey>();
    let searches = 0;
    for (const start of [...component].sort()) {
      if (covered.has(start)) continue;
      if (searches++ === MAX_SEARCHES) break;
      const cycle = shortestCycle(start, members, edges);
      cycle.forEach((from, i) => {
        if (covered.has(from)) return;
        covered.add(from);
        const next = cycle[(i + 1) % cycle.length]!;
        const path = (edges.get(from) ?? []).find((e) => e.to === next)!.path;
        cycles.push({ from, path, keys: rotated(cycle, i) });
      });
    }
  }
  return cycles;
}

const collator = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Orders keys by their kind's place in `kinds` (creation order), then name. */
function byKindThenName(keys: Iterable<ResourceKey>, kinds: readonly Kind[]): (a: ResourceKey, b: ResourceKey) => number {
  const rank = new Map<ResourceKey, { kind: number; name: string }>();
  for (const key of keys) {
    const { kind, name } = parseResourceKey(key);
    rank.set(key, { kind: kinds.indexOf(kind), name });
  }
  return (a, b) => {
    const ra = rank.get(a)!;
    const rb = rank.get(b)!;
    return ra.kind - rb.kind || collator(ra.name, rb.name);
  };
}

/**
 * Every key, dependencies first; among keys ready together, their kinds' creation order (`kinds`)
 * then name. Assumes no cycle.
 */
export function topologicalOrder(edges: Map<ResourceKey, Edge[]>, kinds: readonly Kind[]): ResourceKey[] {
  const waiting = new Map<ResourceKey, number>();
  const dependents = new Map<ResourceKey, ResourceKey[]>();
  for (const [key, out] of edges) {
    waiting.set(key, out.length);
    for (const { to } of out) {
      const list = dependents.get(to);
      if (list) list.push(key);
      else dependents.set(to, [key]);
    }
  }
  const compareKeys = byKindThenName(edges.keys(), kinds);
  const ready = [...waiting].filter(([, n]) => n === 0).map(([k]) => k).sort(compareKeys);
  const order: ResourceKey[] = [];
  while (ready.length > 0) {
    const key = ready.shift()!;
    order.push(key);
    for (const dependent of dependents.get(key) ?? []) {
      const left = waiting.get(dependent)! - 1;
      waiting.set(dependent, left);
      if (left !== 0) continue;
      let low = 0;
      let high = ready.length;
      while (low < high) {
        const mid = (low + high) >> 1;
        if (compareKeys(ready[mid]!, dependent) < 0) low = mid + 1;
        else high = mid;
      }
      ready.splice(low, 0, dependent);
    }
  }
  return order;
}
