// Terminal output: colour only on a TTY and without NO_COLOR; everything else plain text.
import { styleText } from 'node:util';

export type Style = 'red' | 'green' | 'yellow' | 'cyan' | 'gray' | 'bold' | 'dim';

export function colorEnabled(stream: NodeJS.WriteStream, requested?: boolean): boolean {
  if (requested === false || process.env.NO_COLOR) return false;
  return requested === true || Boolean(stream.isTTY);
}

export function painter(enabled: boolean): (style: Style, text: string) => string {
  return (style, text) => (enabled ? styleText(style, text) : text);
}

export function writeLine(stream: NodeJS.WriteStream, line = ''): void {
  stream.write(`${line}\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
