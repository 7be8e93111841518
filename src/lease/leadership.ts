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
