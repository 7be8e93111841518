// Values and their substitution. A whole-value reference takes the value with its type; an
// interpolation writes a string, number or boolean into the text (a list or a map cannot be). Values
// may refer to values (resolved once each, a cycle is an error naming it), and what a document gains
// from references is bounded, so that references cannot multiply a small file into a huge document.
import type { Diagnostic } from '../core/types.js';
import { didYouMean } from '../desired/messages.js';
import { diagnosticAt } from './locator.js';
import type { ReadValue } from './lookups.js';
import { scanTemplate, written, type Expression } from './template.js';
import { childSite, mapOrigins, sizeOf, type MapNode, type Node, type ScalarNode, type Site } from './tree.js';

/** What references may add to one document (and to one value), in sizeOf units (about bytes). */
export const EXPANSION_LIMIT = 1024 * 1024;
/** What references may add to all the documents of one environment together. */
export const ENVIRONMENT_EXPANSION_LIMIT = 16 * EXPANSION_LIMIT;

/** One value before substitution: written in values, or read from outside. */
interface RawValue {
  node: Node;
  /** Read in the target's account: the target itself cannot use it. */
  inTarget: boolean;
  /** It could not be read (told already). */
  failed?: true;
}

type Resolved = { node: Node; inTarget: boolean } | { failed: true };
type Answer = { node: Node } | { problem: string } | { failed: true };

/** The values of one environment (or none, for a folder without an Environment). */
export class Values {
  private readonly raw = new Map<string, RawValue>();
  private readonly resolved = new Map<string, Resolved>();
  private readonly resolving: string[] = [];
  /** What every expansion over these values has added so far (see ENVIRONMENT_EXPANSION_LIMIT). */
  spent = 0;

  /**
   * `environment`: its name (undefined for the implicit environment, which has no values); `prefix`
   * starts every message; errors found while resolving values are pushed into `errors`.
   */
  constructor(
    readonly environment: string | undefined,
    readonly prefix: string,
    readonly errors: Diagnostic[],
    written?: MapNode,
    read: ReadonlyMap<string, ReadValue> = new Map(),
  ) {
    for (const [name, node] of written?.entries ?? []) this.raw.set(name, { node, inTarget: false });
    for (const [name, value] of read) this.raw.set(name, value);
  }

  /**
   * What a reference written at `at` names, expanded; `forTarget`: asked by the target, which cannot
   * use what is read in it.
   */
  answer(expression: Expression, at: Site, forTarget: boolean): Answer {
    if (expression.kind === 'environment') {
      if (this.environment === undefined) return { problem: `${written(expression)}: this folder has no Environment` };
      return { node: { type: 'scalar', value: this.environment, origin: { at } } };
    }
    const [name, ...members] = expression.path as [string, ...string[]];
    const raw = this.raw.get(name);
    if (!raw) {
      if (this.environment === undefined) return { problem: `unknown value ${JSON.stringify(name)}: this folder has no Environment, so no values are set` };
      return { problem: `unknown value ${JSON.stringify(name)}${didYouMean(name, this.raw.keys())}` };
    }
    const cycle = this.resolving.indexOf(name);
    if (cycle !== -1) return { problem: `value ${JSON.stringify(name)} refers to itself: ${[...this.resolving.slice(cycle), name].join(' -> ')}` };
    let resolved: Resolved | undefined = raw.failed ? { failed: true } : this.resolved.get(name);
    if (!resolved) {
      this.resolving.push(name);
      const before = this.errors.length;
      const context = new Expansion(this, false);
      const node = context.expand(raw.node);
      this.resolving.pop();
      resolved = this.errors.length > before ? { failed: true } : { node, inTarget: raw.inTarget || context.inTarget };
      this.resolved.set(name, resolved);
    }
    if ('failed' in resolved) return resolved;
    if (forTarget && resolved.inTarget) return { problem: `value ${JSON.stringify(name)} is read in the target's account, so the target cannot use it: read it with account: operator` };
    let node = resolved.node;
    for (const [i, member] of members.entries()) {
      const path = [name, ...members.slice(0, i)].join('.');
      if (node.type !== 'map') return { problem: `value ${JSON.stringify(path)} is ${node.type === 'list' ? 'a list' : `a ${typeof (node as ScalarNode).value}`}: it has no member ${JSON.stringify(member)}` };
      const child = node.entries.get(member);
      if (!child) return { problem: `value ${JSON.stringify(path)} has no member ${JSON.stringify(member)}${didYouMean(member, node.entries.keys())}` };
      node = child;
    }
    return { node };
  }

  /** Whether a value is read in the target's account (resolving it if needed). */
  inTarget(name: string): boolean {
    const resolved = this.resolved.get(name);
    return resolved !== undefined && 'inTarget' in resolved && resolved.inTarget;
  }
}

/** One substitution pass over one tree (a document, a patch, a value): its errors and its budget. */
export class Expansion {
  private used = 0;
  /** A limit was passed: told once, later refusals only marked. */
  private refused = false;
  /** Whether something read in the target's account was used. */
  inTarget = false;

  constructor(
    private readonly values: Values,
    private readonly forTarget: boolean,
  ) {}

  /** The tree with every reference expanded; unchanged parts are shared. */
  expand(node: Node): Node {
    if (node.type === 'scalar') return typeof node.value === 'string' ? this.string(node as ScalarNode & { value: string }) : node;
    if (node.type === 'list') {
      const items = node.items.map((item) => this.expand(item));
      return items.every((item, i) => item === node.items[i]) ? node : { ...node, items };
    }
    let changed = false;
    const entries = new Map<string, Node>();
    for (const [key, child] of node.entries) {
      if (scanTemplate(key)) this.fail(childSite(node.origin.at, key), `${JSON.stringify(key)}: references are not expanded in keys`, 'key');
      const expanded = this.expand(child);
      changed ||= expanded !== child;
      entries.set(key, expanded);
    }
    return changed ? { ...node, entries } : node;
  }

  private string(node: ScalarNode & { value: string }): Node {
    const scan = scanTemplate(node.value);
    if (!scan) return node;
    const at = node.origin.at;
    if ('problem' in scan) return this.failed(node, scan.problem);
    const { parts, whole } = scan.template;
    if (whole) {
      const answer = this.resolve(whole, node);
      if ('replacement' in answer) return answer.replacement;
      const over = this.spend(sizeOf(answer.node));
      if (over) return this.failed(node, `${written(whole)} expands ${over}: refused (references must not multiply a file's content)`, true);
      const name = whole.kind === 'value' ? whole.path.join('.') : 'environment.name';
      return mapOrigins(answer.node, (origin) => ({
        at: origin.at,
        reference: { at, values: whole.kind === 'value' ? [{ name, at: origin.at }] : [] },
      }));
    }
    let text = '';
    const values: Array<{ name: string; at: Site }> = [];
    for (const part of parts) {
      if ('text' in part) {
        text += part.text;
        continue;
      }
      const answer = this.resolve(part.reference, node);
      if ('replacement' in answer) return answer.replacement;
      const value = answer.node;
      const name = part.reference.kind === 'value' ? part.reference.path.join('.') : 'environment.name';
      if (value.type !== 'scalar' || value.value === null) {
        const what = value.type === 'scalar' ? 'null' : value.type === 'list' ? 'a list' : 'a map';
        return this.failed(node, `value ${JSON.stringify(name)} is ${what}: it cannot be written into a string; use ${written(part.reference)} alone as the whole value`);
      }
      text += String(value.value);
      if (part.reference.kind === 'value') values.push({ name, at: value.origin.at });
    }
    if (!parts.some((p) => 'reference' in p)) return { type: 'scalar', value: text, origin: { at } }; // escapes only
    const over = this.spend(text.length);
    if (over) return this.failed(node, `this string expands ${over}: refused (references must not multiply a file's content)`, true);
    return { type: 'scalar', value: text, origin: { at, reference: { at, values } } };
  }

  /** The node a reference in `node` names, or the failed node to put in its place. */
  private resolve(expression: Expression, node: ScalarNode): { node: Node } | { replacement: Node } {
    const answer = this.values.answer(expression, node.origin.at, this.forTarget);
    if ('problem' in answer) return { replacement: this.failed(node, answer.problem) };
    if ('failed' in answer) return { replacement: { ...node, origin: { ...node.origin, failed: true } } };
    if (expression.kind === 'value' && this.values.inTarget(expression.path[0]!)) this.inTarget = true;
    return answer;
  }

  /** Counts what an expansion adds; says what it passes when it passes a limit. */
  private spend(size: number): string | undefined {
    this.used += size;
    this.values.spent += size;
    if (this.used > EXPANSION_LIMIT) return `this document beyond ${EXPANSION_LIMIT} bytes`;
    if (this.values.spent > ENVIRONMENT_EXPANSION_LIMIT) return `the environment's documents beyond ${ENVIRONMENT_EXPANSION_LIMIT} bytes`;
    return undefined;
  }

  private fail(site: Site, message: string, anchor: 'key' | 'value' = 'value'): void {
    this.values.errors.push(diagnosticAt(site, this.values.prefix, message, anchor));
  }

  private failed(node: ScalarNode, message: string, limit = false): Node {
    if (!limit || !this.refused) this.fail(node.origin.at, message);
    this.refused ||= limit;
    return { ...node, origin: { ...node.origin, failed: true } };
  }
}
