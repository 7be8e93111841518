// A manifest's spec (JSON, with the API's own member names) as an SDK command's input type: the one
// place the adapters cross from the operator's JSON to the SDK's types. The SDK's inputs are the API's
// shapes, enums and dates typed as its own; the manifest passed a schema generated from the same
// model, and the SDK serializes what it is given.
import type { JsonObject } from '../core/types.js';

export function sdkInput<T extends object>(input: JsonObject): T {
  return input as unknown as T;
}
