// Loads the recorded AWS responses in test/fixtures/aws (real response shapes, fictitious accounts).
import { readFileSync } from 'node:fs';
import type { JsonObject } from '../../src/core/types.js';

export function fixture(name: string): JsonObject {
  return JSON.parse(readFileSync(new URL(`../fixtures/aws/${name}.json`, import.meta.url), 'utf8')) as JsonObject;
}

/** A deep copy of `base` with `patch` merged in (objects merged, everything else replaced; null deletes). */
export function patched(base: JsonObject, patch: JsonObject): JsonObject {
  const out = structuredClone(base);
  for (const [key, value] of Object.entries(patch)) {
    const current = out[key];
    if (value === null) delete out[key];
    else if (isPlain(value) && isPlain(current)) out[key] = patched(current, value);
    else out[key] = structuredClone(value);
  }
  return out;
}

function isPlain(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
