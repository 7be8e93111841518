// Who may reconcile and write: the one question the run command asks, answered by the elector with
// --lease-table, and by alwaysLeader without it (a single operator, as before leader election).

/** The lease as /api/v1/status shows it. Times are ISO 8601. */
export interface LeaseView {
  /** Where the lease lives ("DynamoDB table ecs-operator-leases"). */
  store: string;
  name: string;
  /** This process's holder id. */
  self: string;
  /** Whether anyone holds it now (false: free, released or lapsed). */
  held: boolean;
  holder?: string;
  /** The fencing token of the current term. */
  token?: number;
  since?: string;
  expiresAt?: string;
  renewedAt?: string;
}

export interface LeadershipStatus {
  leader: boolean;
  /** Absent without leader election. */
  lease?: LeaseView;
}

export interface Leadership {
  readonly isLeader: boolean;
  /** Called with the new value each time leadership is gained or lost; returns the unsubscribe. */
  onChange(listener: (leader: boolean) => void): () => void;
  status(): LeadershipStatus;
}

/** Without leader election this process is the leader, always. */
export const alwaysLeader: Leadership = {
  isLeader: true,
  onChange: () => () => {},
  status: () => ({ leader: true }),
};

/**
 * Runs `term` each time this process becomes the leader, with a signal that aborts when leadership is
 * lost or `signal` (the process stopping) aborts; one term at a time, the next only once the last has
 * returned. Resolves once `signal` has aborted and the term in progress has returned.
 */
export async function runTerms(leadership: Leadership, signal: AbortSignal, term: (signal: AbortSignal) => Promise<void>): Promise<void> {
  while (!signal.aborted) {
    await untilLeaderOrAborted(leadership, signal);
    if (signal.aborted) return;
    const ended = new AbortController();
    const end = () => ended.abort();
    const off = leadership.onChange((leader) => leader || end());
    signal.addEventListener('abort', end, { once: true });
    try {
      if (!leadership.isLeader) end();
      await term(ended.signal);
    } finally {
      off();
      signal.removeEventListener('abort', end);
    }
  }
}

function untilLeaderOrAborted(leadership: Leadership, signal: AbortSignal): Promise<void> {
  if (leadership.isLeader || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      off();
      signal.removeEventListener('abort', done);
      resolve();
    };
    const off = leadership.onChange((leader) => leader && done());
    signal.addEventListener('abort', done, { once: true });
  });
}
