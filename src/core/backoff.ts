// The two timing formulas every retry and every periodic job uses, in one place.

/**
 * The wait before retry number `attempt` (1-based): exponential from `baseMs`, capped at `maxMs`,
 * half fixed and half random, so that many keys or many operators never retry in step.
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(attempt, 1) - 1, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** `ms` moved at random by up to ±`fraction` of itself (resync waves, polls). */
export function jittered(ms: number, fraction: number, random: () => number = Math.random): number {
  return ms * (1 + fraction * (2 * random() - 1));
}
