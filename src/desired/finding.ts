// What a kind's rule (or the loader's own check of a document) found: a message at a JSON pointer.
import type { Severity } from '../core/types.js';

/** One problem a kind's rule found, at a JSON pointer into the document (`/spec/memory`). */
export interface Finding {
  path: string;
  message: string;
  /** Default 'error'. */
  severity?: Severity;
  /** 'missing': the field is absent; the diagnostic is placed at its parent. Default: at the field's key. */
  at?: 'key' | 'value' | 'missing';
}
