// Syntax errors of a .json file in JSON's own words. The yaml package parses JSON too (and keeps the
// positions every diagnostic needs), but its errors speak of YAML; a file named .json is checked as
// strict JSON first (jsonc-parser: exact offsets, no comments, no trailing commas).
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';

export interface JsonSyntaxError {
  /** Where the error is: 1-based line and column. */
  line: number;
  col: number;
  message: string;
}

const WORDS: Record<string, string> = {
  InvalidSymbol: 'an unexpected character',
  InvalidNumberFormat: 'a malformed number',
  PropertyNameExpected: 'a property name in double quotes expected',
  ValueExpected: 'a value expected',
  ColonExpected: '":" expected',
  CommaExpected: '"," expected',
  CloseBraceExpected: '"}" expected',
  CloseBracketExpected: '"]" expected',
  EndOfFileExpected: 'the end of the file expected (one JSON value per file)',
  InvalidCommentToken: 'a comment (JSON has none)',
  UnexpectedEndOfComment: 'an unterminated comment',
  UnexpectedEndOfString: 'an unterminated string',
  UnexpectedEndOfNumber: 'an unterminated number',
  InvalidUnicode: 'an invalid \\u escape',
  InvalidEscapeCharacter: 'an invalid escape character',
  InvalidCharacter: 'a control character in a string (escape it)',
};

/** The first syntax error of a JSON text, or undefined when it is valid JSON. */
export function jsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return undefined;
  const code = printParseErrorCode(first.error);
  const before = text.slice(0, first.offset);
  const line = before.split('\n').length;
  return { line, col: first.offset - before.lastIndexOf('\n'), message: `JSON syntax error: ${WORDS[code] ?? code}` };
}
