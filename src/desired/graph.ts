// The dependency graph of a revision: cycles (reported at every member, naming the whole cycle) and the
// apply order (dependencies first, ties by kind order then name). Iterative throughout: a long chain of
// dependsOn must not exhaust the stack.
import { KINDS, parseResourceKey, type ResourceKey } from '../core/types.js';
import type { Edge } from './references.js';

/** A cycle through a node, as the list of keys from it back to it, reported where the first edge is written. */
export interface Cycle {
  from: ResourceKey;
  path: string;
  keys: ResourceKey[];
}

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

/** For every node on a cycle, the shortest cycle through it (breadth-first inside its component). */
export function findCycles(edges: Map<ResourceKey, Edge[]>): Cycle[] {
  const cycles: Cycle[] = [];
  for (const component of cyclicComponents(edges)) {
    const members = new Set(component);
    for (const start of [...component].sort()) {
      const parent = new Map<ResourceKey, ResourceKey>();
      const queue: ResourceKey[] = [start];
      let found = false;
      for (let q = 0; q < queue.length && !found; q++) {
        const node = queue[q]!;
        for (const { to } of edges.get(node) ?? []) {
          if (!members.has(to)) continue;
          if (to === start) {
            parent.set(start, node);
            found = true;
            break;
          }
          if (!parent.has(to)) {
            parent.set(to, node);
            queue.push(to);
          }
        }
      }
      const keys: ResourceKey[] = [start];
      for (let node = parent.get(start)!; node !== start; node = parent.get(node)!) keys.unshift(node);
      keys.unshift(start);
      const firstHop = keys[1]!;
      const path = (edges.get(start) ?? []).find((e) => e.to === firstHop)!.path;
      cycles.push({ from: start, path, keys });
    }
  }
  return cycles;
}

function compareKeys(a: ResourceKey, b: ResourceKey): number {
  const ka = parseResourceKey(a);
  const kb = parseResourceKey(b);
  return KINDS.indexOf(ka.kind) - KINDS.indexOf(kb.kind) || (ka.name < kb.name ? -1 : ka.name > kb.name ? 1 : 0);
}

/** Every key, dependencies first; among keys ready together, KINDS order then name. Assumes no cycle. */
export function topologicalOrder(edges: Map<ResourceKey, Edge[]>): ResourceKey[] {
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
  const ready = [...waiting].filter(([, n]) => n === 0).map(([k]) => k).sort(compareKeys);
  const order: ResourceKey[] = [];
  while (ready.length > 0) {
    const key = ready.shift()!;
    order.push(key);
    for (const dependent of dependents.get(key) ?? []) {
      const left = waiting.get(dependent)! - 1;
      waiting.set(dependent, left);
      if (left !== 0) continue;
      let at = ready.findIndex((k) => compareKeys(dependent, k) < 0);
      if (at === -1) at = ready.length;
      ready.splice(at, 0, dependent);
    }
  }
  return order;
}
