// What a source of manifests is to the rest of the operator: something that, once started, hands over
// a Revision whenever the manifests may have changed. Only sources/ knows about chokidar or git.
import type { Revision } from '../core/types.js';

export interface SourceDescription {
  /** The folder or repository URL. */
  url: string;
  ref?: string;
  path?: string;
}

export interface Source {
  describe(): SourceDescription;
  /**
   * Delivers the current revision, then every later one, until `signal` aborts. `onRevision` is awaited
   * before the next delivery, so revisions are never applied concurrently. A failure to read or fetch
   * is reported through `onError` and retried; it never ends the source. `onFetched` hears of every
   * successful read or fetch that found nothing new (so a quiet source still shows it is alive).
   */
  start(signal: AbortSignal, onRevision: (revision: Revision) => Promise<void>, onError: (err: Error) => void, onFetched?: (at: string) => void): Promise<void>;
  /** Asks for a fetch now (a push webhook). Bursts are coalesced. */
  refresh(): void;
}
