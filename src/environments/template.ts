// The one reference syntax of manifests: `${{ values.NAME }}` (a dotted path into a map value is
// `${{ values.NAME.KEY }}`) and `${{ environment.name }}`. A string that is exactly one reference
// takes the value with its type (a number, a list, a map); anywhere else in a string the value is
// interpolated as text. ECS never writes `${{`, and a shell's `${VAR}` and `$VAR` are not references,
// so container commands pass through untouched; `$${{` writes a literal `${{`.

/** What a reference names. */
export type Expression =
  | { kind: 'value'; path: string[]; text: string }
  | { kind: 'environment'; text: string };

export type Part = { text: string } | { reference: Expression };

/** A string read as a template. */
export interface Template {
  parts: Part[];
  /** The expression when the whole string is one reference: it takes the value as it is, typed. */
  whole?: Expression;
}

export type Scan = { template: Template } | { problem: string };

const OPEN = '${{';
const ESCAPED = '$${{';
const CLOSE = '}}';
const SEGMENT = '[A-Za-z_][A-Za-z0-9_-]*';
const VALUE_PATH = new RegExp(`^values((?:\\.${SEGMENT})+)$`);

/** Whether a string holds anything the template syntax reads (a reference or an escape). */
export function hasTemplate(text: string): boolean {
  return text.includes(OPEN);
}

/** How a reference is written, for messages. */
export function written(expression: Expression): string {
  return `\${{ ${expression.text} }}`;
}

/**
 * The parts of a string: literal text and references. Undefined when it holds no `${{` at all (the
 * common case, left as it is). A problem when a `${{` is not closed or names something unknown.
 */
export function scanTemplate(text: string): Scan | undefined {
  if (!hasTemplate(text)) return undefined;
  const parts: Part[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    if (text.startsWith(ESCAPED, i)) {
      literal += OPEN;
      i += ESCAPED.length;
      continue;
    }
    if (!text.startsWith(OPEN, i)) {
      literal += text[i];
      i++;
      continue;
    }
    const end = text.indexOf(CLOSE, i + OPEN.length);
    if (end === -1) return { problem: `"${OPEN}" is not closed with "${CLOSE}" (write "${ESCAPED}" for a literal "${OPEN}")` };
    const parsed = parseExpression(text.slice(i + OPEN.length, end).trim());
    if ('problem' in parsed) return parsed;
    if (literal) parts.push({ text: literal });
    literal = '';
    parts.push({ reference: parsed });
    i = end + CLOSE.length;
  }
  if (literal) parts.push({ text: literal });
  const only = parts.length === 1 ? parts[0]! : undefined;
  return { template: only && 'reference' in only ? { parts, whole: only.reference } : { parts } };
}

function parseExpression(text: string): Expression | { problem: string } {
  if (text === 'environment.name') return { kind: 'environment', text };
  const match = VALUE_PATH.exec(text);
  if (match) return { kind: 'value', path: match[1]!.slice(1).split('.'), text };
  const shown = text === '' ? `an empty "${OPEN} ${CLOSE}"` : `"${OPEN} ${text} ${CLOSE}"`;
  return { problem: `${shown} is not a reference: write ${OPEN} values.NAME ${CLOSE} or ${OPEN} environment.name ${CLOSE} (and "${ESCAPED}" for a literal "${OPEN}")` };
}
