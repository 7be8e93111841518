// Maps a JSON pointer into a parsed document back to where it was written, so every diagnostic can say
// `file:line:col`. The loader takes any Locator: a FileLocator works on the yaml package's node tree
// kept from parsing (YAML and JSON alike); a rendered document (src/environments) has its own, which
// places each field where the value it holds was written.
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter } from 'yaml';
import type { Diagnostic, Severity, SourcePosition } from '../core/types.js';
import { parsePointer } from '../normalize/pointer.js';

/** The pointer with its last segment removed. */
export function parentPointer(pointer: string): string {
  return pointer.slice(0, Math.max(0, pointer.lastIndexOf('/')));
}

/** Which place of a field a diagnostic points at: its key (the default) or its value. */
export type Anchor = 'key' | 'value';

/**
 * What the loader needs to place diagnostics about one document: where it starts, and a diagnostic at
 * (or about a missing) field given by a JSON pointer into the document as loaded, which is also the
 * diagnostic's path. Every implementation positions a pointer that runs past what is written at the
 * deepest part that is.
 */
export interface Locator {
  /** The file the document starts in (named in "first defined at file:line" messages). */
  readonly file: string;
  /** Where the document's content starts. */
  readonly start: SourcePosition;
  /** A diagnostic at the field `pointer`: its key (default) or its value. */
  diagnostic(pointer: string, message: string, severity?: Severity, anchor?: Anchor): Diagnostic;
  /** A diagnostic about a field that is not written: positioned at its parent, path the field's. */
  missing(pointer: string, message: string, severity?: Severity): Diagnostic;
  /**
   * A locator for the document after its content was moved (an export unwrapped from its envelope):
   * `written` maps a pointer into the moved document to the one it was written at.
   */
  rewritten(written: (pointer: string) => string): Locator;
}

/** Position lookups and diagnostic construction for one document of one file. */
export class FileLocator implements Locator {
  constructor(
    readonly file: string,
    private readonly doc: Document | undefined,
    private readonly lines: LineCounter,
    /** Maps a pointer into the document as loaded to where it is written (see `rewritten`). */
    private readonly written: (pointer: string) => string = (pointer) => pointer,
  ) {}

  /**
   * A locator for a document whose content was moved when loaded (an export unwrapped from its
   * envelope): `written` maps a pointer into the loaded document to the one it was written at, which
   * positions and diagnostic paths then use.
   */
  rewritten(written: (pointer: string) => string): FileLocator {
    return new FileLocator(this.file, this.doc, this.lines, (pointer) => written(this.written(pointer)));
  }

  /** Where the document's content starts (1:1 for an empty document). */
  get start(): SourcePosition {
    return this.position(this.doc?.contents?.range?.[0] ?? 0);
  }

  /** The position of an offset into the file. */
  position(offset: number): SourcePosition {
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, col };
  }

  /**
   * Where the field at `pointer` was written: its key, or its value. A pointer that runs past the
   * written nodes (a missing field) stops at the deepest one that exists.
   */
  at(pointer: string, anchor: Anchor = 'key'): SourcePosition {
    return this.position(this.offsetOf(this.written(pointer), anchor));
  }

  private offsetOf(pointer: string, anchor: Anchor): number {
    const doc = this.doc;
    let node: unknown = doc?.contents;
    let keyOffset = this.rangeStart(node) ?? 0;
    let valueOffset = keyOffset;
    for (const segment of parsePointer(pointer)) {
      if (isAlias(node) && doc) node = node.resolve(doc);
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === segment);
        if (!pair) break;
        keyOffset = this.rangeStart(pair.key) ?? keyOffset;
        node = pair.value;
        valueOffset = this.rangeStart(node) ?? keyOffset;
      } else if (isSeq(node)) {
        const item: unknown = node.items[Number(segment)];
        const start = this.rangeStart(item);
        if (start === undefined || !/^\d+$/.test(segment)) break;
        keyOffset = valueOffset = start;
        node = item;
      } else {
        break;
      }
    }
    return anchor === 'key' ? keyOffset : valueOffset;
  }

  /** A diagnostic at the field `pointer`, which is also the diagnostic's path (as written). */
  diagnostic(pointer: string, message: string, severity: Severity = 'error', anchor: Anchor = 'key'): Diagnostic {
    return { ...this.at(pointer, anchor), severity, path: this.written(pointer), message };
  }

  /** A diagnostic about a field that is not written (missing): positioned at its parent, path the field's. */
  missing(pointer: string, message: string, severity: Severity = 'error'): Diagnostic {
    return { ...this.at(parentPointer(pointer)), severity, path: this.written(pointer), message };
  }

  private rangeStart(node: unknown): number | undefined {
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    return range?.[0];
  }
}

/** Orders diagnostics by file, line, column, then message: the order people read them in. */
export function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return list.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.col - b.col || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)));
}

/** The list without repeats of the same message at the same place. */
export function uniqueDiagnostics(list: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const key = `${d.file}\0${d.line}\0${d.col}\0${d.path}\0${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
