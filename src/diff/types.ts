// The field-level difference every diff, status and alert speaks.
import type { JsonValue } from '../core/types.js';

/** One field that differs. `undefined` on a side means the field is absent there. */
export interface Difference {
  /** JSON pointer into the normalized spec, e.g. `/containerDefinitions/0/image`. */
  path: string;
  desired: JsonValue | undefined;
  live: JsonValue | undefined;
}
