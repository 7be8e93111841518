// Wording shared by every manifest diagnostic: "did you mean" suggestions, type names, value quoting and
// lists of choices. One place, so messages read the same whatever rule produced them.
import { distance } from 'fastest-levenshtein';

/** Whether b is a with two neighbouring characters swapped ("wbe" for "web"): one typo, not two edits. */
function swapped(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const diff: number[] = [];
  for (let i = 0; i < a.length && diff.length <= 2; i++) if (a[i] !== b[i]) diff.push(i);
  return diff.length === 2 && diff[1] === diff[0]! + 1 && a[diff[0]!] === b[diff[1]!] && a[diff[1]!] === b[diff[0]!];
}

/**
 * The candidate closest to `word`, when close enough to be a likely typo: the same word in another case,
 * or an edit distance (a swap of neighbours counting as one) of at most a third of the word's length
 * (at least 1, at most 3).
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const other = candidate.toLowerCase();
    const d = other === lower ? 0 : swapped(lower, other) ? 1 : distance(lower, other);
    if (d < bestDistance || (d === bestDistance && best !== undefined && candidate < best)) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** ` (did you mean "x"?)`, or '' when nothing is close. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const match = closest(word, candidates);
  return match === undefined ? '' : ` (did you mean ${JSON.stringify(match)}?)`;
}

/** The JSON type of a value as people say it: string, number, integer... */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  return typeof value;
}

/** A type with its article: "a string", "an integer", "an array". */
export function withArticle(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** A value as it would be written in JSON, shortened when long. */
export function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** "a, b or c". */
export function orList(items: ReadonlyArray<string | number>): string {
  const words = items.map(String);
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/** `Kind "name"`, how manifests are named in messages. */
export function named(kind: string, name: string): string {
  return `${kind} ${JSON.stringify(name)}`;
}
