// How differences are shown to people: a `git diff` of the two normalized specs as YAML (for the CLI
// and the status page), and one compact line per field (for logs and alerts).
import { structuredPatch } from 'diff';
import { stringify } from 'yaml';
import type { JsonObject, JsonValue } from '../core/types.js';
import { canonicalKeys } from '../normalize/common.js';
import type { Difference } from './types.js';

export interface RenderOptions {
  /** ANSI colours: red removals, green additions, cyan hunk headers, bold file headers. Default false. */
  color?: boolean;
  /** Unchanged lines shown around each change. Default 3, as git. */
  context?: number;
}

const RESET = '\x1b[0m';
const PAINT = { file: '\x1b[1m', hunk: '\x1b[36m', '-': '\x1b[31m', '+': '\x1b[32m' } as const;

/** A spec as YAML with sorted keys and no line folding, so equal specs print identically. */
function toYaml(spec: JsonObject | undefined): string {
  if (spec === undefined) return '';
  return stringify(canonicalKeys(spec), { lineWidth: 0, minContentWidth: 0 });
}

/**
 * A unified diff from the live spec to the desired one, headed `--- live <title>` and
 * `+++ desired <title>`: `-` lines are what AWS has now, `+` lines what Git wants. Both specs should
 * be normalized. live undefined means creation (every line `+`), desired undefined deletion (every
 * line `-`). Returns '' when both print the same. Ends with a newline otherwise.
 */
export function renderUnifiedDiff(
  title: string,
  desired: JsonObject | undefined,
  live: JsonObject | undefined,
  options: RenderOptions = {},
): string {
  const before = toYaml(live);
  const after = toYaml(desired);
  if (before === after) return '';
  const patch = structuredPatch(`live ${title}`, `desired ${title}`, before, after, undefined, undefined, {
    context: options.context ?? 3,
  });
  const paint = (kind: keyof typeof PAINT, line: string) => (options.color ? PAINT[kind] + line + RESET : line);
  const lines = [paint('file', `--- live ${title}`), paint('file', `+++ desired ${title}`)];
  for (const hunk of patch.hunks) {
    // Unified format: a side with no lines is numbered from the line before it (0 for an empty file).
    const oldStart = hunk.oldLines === 0 ? hunk.oldStart - 1 : hunk.oldStart;
    const newStart = hunk.newLines === 0 ? hunk.newStart - 1 : hunk.newStart;
    lines.push(paint('hunk', `@@ -${oldStart},${hunk.oldLines} +${newStart},${hunk.newLines} @@`));
    for (const line of hunk.lines) {
      const mark = line[0];
      lines.push(mark === '-' || mark === '+' ? paint(mark, line) : line);
    }
  }
  return lines.join('\n') + '\n';
}

/** Longest value text in a compact line before it is cut with an ellipsis. */
const MAX_VALUE = 120;

function show(value: JsonValue | undefined): string {
  if (value === undefined) return '(absent)';
  const text = JSON.stringify(value);
  return text.length > MAX_VALUE ? text.slice(0, MAX_VALUE - 1) + '…' : text;
}

/**
 * One line per difference, `<path>: <live> -> <desired>` (what AWS has, then what Git wants), values
 * as compact JSON cut at 120 characters, `(absent)` for a missing side; e.g. `/desiredCount: 2 -> 3`.
 * Masking secret-looking values is the alert sinks' job, not this one's.
 */
export function formatDifferences(differences: readonly Difference[]): string[] {
  return differences.map((d) => `${d.path || '/'}: ${show(d.live)} -> ${show(d.desired)}`);
}
