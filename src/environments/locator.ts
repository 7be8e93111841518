// Where a diagnostic about a rendered document points: the loader validates rendered documents as it
// validates files, through these Locators. A field that a value reference filled points at the
// reference (and names where the value is set); a field a patch or an image override wrote points at
// the environment file (and names the base it changed); every message names the environment.
import type { Diagnostic, Severity, SourcePosition } from '../core/types.js';
import { parentPointer, type Anchor, type Locator } from '../desired/positions.js';
import { formatPointer, parsePointer } from '../normalize/pointer.js';
import { childOf, identityOf, type Node, type Origin, type Site } from './tree.js';

/** `environment "staging": `, how every message about an environment starts; '' for the implicit one. */
export function environmentPrefix(name: string | undefined): string {
  return name === undefined ? '' : `environment ${JSON.stringify(name)}: `;
}

/** `file:line:col` of a site (its key). */
export function where(site: Site, anchor: Anchor = 'key'): string {
  const { file, line, col } = site.locator.at(site.pointer, anchor);
  return `${file}:${line}:${col}`;
}

/** A diagnostic at a site, its message prefixed. */
export function diagnosticAt(site: Site, prefix: string, message: string, anchor: Anchor = 'key', severity: Severity = 'error'): Diagnostic {
  return site.locator.diagnostic(site.pointer, `${prefix}${message}`, severity, anchor);
}

/** A locator whose messages name the environment (for documents an environment reads as they are). */
export class LabelledLocator implements Locator {
  constructor(private readonly inner: Locator, private readonly prefix: string) {}

  get file(): string {
    return this.inner.file;
  }

  get start(): SourcePosition {
    return this.inner.start;
  }

  diagnostic(pointer: string, message: string, severity?: Severity, anchor?: Anchor): Diagnostic {
    return this.inner.diagnostic(pointer, `${this.prefix}${message}`, severity, anchor);
  }

  missing(pointer: string, message: string, severity?: Severity): Diagnostic {
    return this.inner.missing(pointer, `${this.prefix}${message}`, severity);
  }

  rewritten(written: (pointer: string) => string): Locator {
    return new LabelledLocator(this.inner.rewritten(written), this.prefix);
  }
}

/** The notes that name the other file involved: where a value is set, what a patch changed. */
function notes(origin: Origin): string {
  const out: string[] = [];
  for (const use of origin.reference?.values.slice(0, 3) ?? []) out.push(`value ${JSON.stringify(use.name)} is set at ${where(use.at)}`);
  const change = origin.change;
  if (change?.by === 'image') out.push(`the image override of ${where(change.base, 'value')}`);
  else if (change) out.push(`${change.added ? 'added by a patch to' : 'a patch of'} ${where(change.base)}`);
  return out.map((note) => `; ${note}`).join('');
}

/**
 * The locator of a rendered document: positions come from the provenance of each node of its tree.
 * Diagnostics about a field whose reference could not be expanded (already told) are collected in
 * `suppressed`, so that the loader's findings about the unexpanded text are not told again.
 */
export class RenderedLocator implements Locator {
  constructor(
    private readonly tree: Node,
    private readonly prefix: string,
    private readonly suppressed: WeakSet<Diagnostic>,
    private readonly written: (pointer: string) => string = (pointer) => pointer,
  ) {}

  get file(): string {
    return this.tree.origin.at.locator.file;
  }

  get start(): SourcePosition {
    return this.tree.origin.at.locator.start;
  }

  diagnostic(pointer: string, message: string, severity: Severity = 'error', anchor: Anchor = 'key'): Diagnostic {
    const path = this.written(pointer);
    return this.place(path, path, message, severity, anchor);
  }

  missing(pointer: string, message: string, severity: Severity = 'error'): Diagnostic {
    const path = this.written(pointer);
    return this.place(parentPointer(path), path, message, severity, 'key');
  }

  rewritten(written: (pointer: string) => string): Locator {
    return new RenderedLocator(this.tree, this.prefix, this.suppressed, (pointer) => written(this.written(pointer)));
  }

  private place(at: string, path: string, message: string, severity: Severity, anchor: Anchor): Diagnostic {
    const { node, rest, failed } = this.walk(at);
    const { origin } = node;
    const position = origin.reference
      ? origin.reference.at.locator.at(origin.reference.at.pointer, 'value')
      : origin.at.locator.at(origin.at.pointer + formatPointer(rest), anchor);
    // In the environment's file, say which manifest the field belongs to.
    const { kind, name } = identityOf(this.tree);
    const who = position.file !== this.file && kind && name ? `${kind} ${JSON.stringify(name)}: ` : '';
    const diagnostic: Diagnostic = { ...position, severity, path, message: `${this.prefix}${who}${message}${notes(origin)}` };
    if (failed) this.suppressed.add(diagnostic);
    return diagnostic;
  }

  /** The deepest node along a pointer, the segments past it, and whether a failed reference is on the way. */
  private walk(pointer: string): { node: Node; rest: string[]; failed: boolean } {
    const segments = parsePointer(pointer);
    let node = this.tree;
    let failed = Boolean(node.origin.failed);
    let i = 0;
    for (; i < segments.length; i++) {
      const child = childOf(node, segments[i]!);
      if (!child) break;
      node = child;
      failed ||= Boolean(node.origin.failed);
    }
    return { node, rest: segments.slice(i), failed };
  }
}
