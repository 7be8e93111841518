// Writes AWS did not keep. When a write succeeds but the next read still shows the difference it
// should have removed (AWS ignored the value, or rewrote it), writing it again cannot help: after
// MAX_UNKEPT_WRITES such writes of the same difference, the resource is Stalled naming the fields,
// and nothing more is written for that difference until the effective desired state or the live
// value changes. Pure: the reconcile machine keeps the memory and hands it back.
import type { JsonValue } from '../core/types.js';
import type { Difference } from '../diff/types.js';
import { maskDifferences, type MaskSpecs } from '../core/redact.js';

/** Writes of the same difference that AWS did not keep, before the resource is Stalled. */
export const MAX_UNKEPT_WRITES = 2;

/** What was written and not kept, for one effective desired state. Start with undefined. */
export interface UnkeptWrites {
  /** The effective desired hash the counts are for: another one starts afresh. */
  hash: string;
  /** By difference (path, desired and live value): how many writes left it as it was. */
  counts: Record<string, number>;
}

const keyOf = (d: Difference) => JSON.stringify([d.path, d.desired ?? null, d.live ?? null]);

/**
 * The memory after a plan. With `written` (the differences the write that preceded this plan was
 * made for), each of them still there, unchanged, counts one more write not kept. Counts of
 * differences no longer there (fixed, or changed live) are forgotten, and all of them when the
 * effective desired hash is not the memory's.
 */
export function trackUnkept(
  memory: UnkeptWrites | undefined, hash: string, differences: readonly Difference[], written?: readonly Difference[],
): UnkeptWrites {
  const previous = memory?.hash === hash ? memory.counts : {};
  // Nothing counted and no write to count: the memory stays as it is (most passes).
  if (memory?.hash === hash && written === undefined && Object.keys(previous).length === 0) return memory;
  const before = new Set((written ?? []).map(keyOf));
  const counts: Record<string, number> = {};
  for (const d of differences) {
    const key = keyOf(d);
    const n = (previous[key] ?? 0) + (before.has(key) ? 1 : 0);
    if (n > 0) counts[key] = n;
  }
  return { hash, counts };
}

/** The differences written MAX_UNKEPT_WRITES times without being kept: no more writes for them. */
export function unkeptDifferences(memory: UnkeptWrites | undefined, hash: string, differences: readonly Difference[]): Difference[] {
  if (memory?.hash !== hash) return [];
  return differences.filter((d) => (memory.counts[keyOf(d)] ?? 0) >= MAX_UNKEPT_WRITES);
}

/**
 * The Stalled message: `AWS did not keep /launchType: wrote "FARGATE", reads "EC2"`, one clause per
 * field, secret-looking values masked, long values cut short.
 */
export function unkeptMessage(differences: readonly Difference[], specs?: MaskSpecs): string {
  const fields = maskDifferences(differences, specs).map((d) => `${d.path || '/'}: wrote ${show(d.desired)}, reads ${show(d.live)}`);
  return `AWS did not keep ${fields.join('; ')} (after ${MAX_UNKEPT_WRITES} writes; nothing more is written for it until the manifest, what it references or the live value changes)`;
}

function show(value: JsonValue | undefined): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
