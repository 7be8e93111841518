// What a kind is to the rest of the operator: one KindModule per kind folder (its name, the kinds it
// is created after, its manifest rules, its handler over the ports), and the registry that turns a
// record of them into what each stage is handed: the creation order, derived from the declared
// dependencies (a topological order, ties by name), the loader's rulebook and the handlers. The
// kinds' own types of live state and facts (KindHandler<Live, Facts>) are erased here, once.
import type { Kind } from '../core/types.js';
import type { KindRulebook, KindRules } from '../desired/kind-rules.js';
import type { KindHandler } from '../runtime/kind-handler.js';

/** One kind, over the ports its handler needs (`Ports`). */
export interface KindModule<Ports> {
  readonly kind: Kind;
  /**
   * The kinds this kind's resources may reference or wait for: created before it, pruned after it.
   * Every kind named must be in the registry.
   */
  readonly createdAfter: readonly Kind[];
  /** What the manifest loader knows of the kind: schema, identity, references, rules. */
  readonly rules: KindRules;
  /** The kind's handler, or undefined when a port it needs is absent (a revision declaring the kind can then not be run). */
  handler(ports: Ports): KindHandler | undefined;
}

/**
 * A record of modules over `Ports`, each under its own kind's name: a module filed under another
 * kind's name does not compile. The record's keys are then the kinds' names as a type (for tables
 * that must cover every kind, e.g. the schema builders).
 */
export function kindModules<Ports>() {
  return <const M extends Record<Kind, KindModule<Ports>>>(modules: M & { readonly [K in keyof M]: { readonly kind: K } }): M => modules;
}

/** The kinds a process serves, in creation order, with what each stage needs of them. */
export class KindRegistry<Ports> {
  /** Every kind, dependencies first; kinds ready together by name (stable whatever the record's order). */
  readonly kinds: readonly Kind[];
  /** The loader's rulebook, in creation order. */
  readonly rules: KindRulebook;
  private readonly modules: ReadonlyMap<Kind, KindModule<Ports>>;

  constructor(modules: Readonly<Record<Kind, KindModule<Ports>>>) {
    this.kinds = creationOrder(modules);
    this.modules = new Map(this.kinds.map((kind) => [kind, modules[kind]!]));
    this.rules = new Map(this.kinds.map((kind) => [kind, modules[kind]!.rules]));
  }

  module(kind: Kind): KindModule<Ports> | undefined {
    return this.modules.get(kind);
  }

  /** The handler of every kind whose ports are there, in creation order (the pruner deletes in its reverse). */
  handlers(ports: Ports): KindHandler[] {
    const handlers: KindHandler[] = [];
    for (const module of this.modules.values()) {
      const handler = module.handler(ports);
      if (handler) handlers.push(handler);
    }
    return handlers;
  }
}

/**
 * The kinds of `modules`, each after every kind it is created after; among kinds ready together, by
 * name (UTF-16 code units). Throws on a module filed under another name, a dependency on a kind not
 * in the record, or a cycle: a registry that cannot be ordered is a programming error, found at start.
 */
export function creationOrder(modules: Readonly<Record<Kind, { readonly kind: Kind; readonly createdAfter: readonly Kind[] }>>): Kind[] {
  const waiting = new Map<Kind, Set<Kind>>();
  for (const [name, module] of Object.entries(modules)) {
    if (module.kind !== name) throw new Error(`kind registry: the module filed as ${name} is kind ${module.kind}`);
    for (const dependency of module.createdAfter) {
      if (!(dependency in modules)) throw new Error(`kind registry: ${name} is created after ${dependency}, which is not a registered kind`);
    }
    waiting.set(name, new Set(module.createdAfter.filter((d) => d !== name)));
  }
  const order: Kind[] = [];
  while (waiting.size > 0) {
    const ready = [...waiting].filter(([, after]) => after.size === 0).map(([kind]) => kind).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const next = ready[0];
    if (next === undefined) throw new Error(`kind registry: the kinds ${[...waiting.keys()].join(', ')} are created after one another in a cycle`);
    order.push(next);
    waiting.delete(next);
    for (const after of waiting.values()) after.delete(next);
  }
  return order;
}
