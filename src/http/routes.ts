// The operator's endpoints: liveness, readiness (after the first full sync, and while the source is not
// stale; a standby is ready as a standby) and the status API.
import type { LeadershipStatus } from '../lease/leadership.js';
import type { StatusStore } from '../status/store.js';
import { json, text, type Route } from './server.js';

export interface RouteDeps {
  status: StatusStore;
  ready: () => boolean;
  phase: () => string;
  /** Leader or standby, and the lease. Default: the leader, without a lease. */
  leadership?: () => LeadershipStatus;
}

export function coreRoutes(deps: RouteDeps): Route[] {
  return [
    { method: 'GET', path: '/healthz', handle: () => text(200, 'ok\n') },
    {
      method: 'GET',
      path: '/readyz',
      handle: () => {
        if (deps.ready()) return text(200, deps.phase() === 'standby' ? 'ready (standby)\n' : 'ready\n');
        const source = deps.status.source;
        if (source?.stale) return text(503, `not ready: source stale, nothing read since ${source.lastFetchTime ?? 'start-up'} (${source.failures ?? 0} failures): ${source.message ?? ''}\n`);
        return text(503, `not ready: ${deps.phase()}\n`);
      },
    },
    {
      method: 'GET',
      path: '/api/v1/status',
      handle: () => json(200, { phase: deps.phase(), ready: deps.ready(), ...(deps.leadership?.() ?? { leader: true }), ...deps.status.snapshot() }),
    },
  ];
}
