// Terminal output: colour only on a TTY and without NO_COLOR; everything else plain text. Everything
// a command prints goes through here and is masked on the way (core/redact.ts): a secret that slipped
// into a message, an AWS error or a spec never reaches a terminal or a CI log.
import { styleText } from 'node:util';
import { maskStrings, maskText } from '../core/redact.js';

export type Style = 'red' | 'green' | 'yellow' | 'cyan' | 'gray' | 'bold' | 'dim';

export function colorEnabled(stream: NodeJS.WriteStream, requested?: boolean): boolean {
  if (requested === false || process.env.NO_COLOR) return false;
  return requested === true || Boolean(stream.isTTY);
}

export function painter(enabled: boolean): (style: Style, text: string) => string {
  return (style, text) => (enabled ? styleText(style, text) : text);
}

/** One line, masked. */
export function writeLine(stream: NodeJS.WriteStream, line = ''): void {
  stream.write(`${maskText(line)}\n`);
}

/** A block of text (a rendered diff, a markdown document), masked, ending with a newline. */
export function writeText(stream: NodeJS.WriteStream, text: string): void {
  const masked = maskText(text);
  stream.write(masked.endsWith('\n') ? masked : `${masked}\n`);
}

/** A value as indented JSON on stdout, every string masked (field names are the operator's own). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(maskStrings(value), null, 2)}\n`);
}
