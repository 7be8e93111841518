// The operator's endpoints: liveness, readiness (after the first full sync, and while the source is not
// stale; a standby is ready as a standby) and the status API. The status answers every resource when
// asked without parameters (as it always has); `kind`, `state`, `name`, `limit` and `after` select
// and page (status/query.ts), and every answer carries the totals of the whole store.
import type { LeadershipStatus } from '../lease/leadership.js';
import { parseStatusQuery, StatusQueryError, type StatusQuery } from '../status/query.js';
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
      handle: (req) => {
        let query: StatusQuery;
        try {
          query = parseStatusQuery(req.query, deps.status.kinds);
        } catch (err) {
          if (err instanceof StatusQueryError) return json(400, { error: err.message });
          throw err;
        }
        const { source, prune } = deps.status;
        return json(200, {
          phase: deps.phase(), ready: deps.ready(), ...(deps.leadership?.() ?? { leader: true }),
          ...(source ? { source } : {}), ...(prune ? { prune } : {}), ...deps.status.query(query),
        });
      },
    },
  ];
}
