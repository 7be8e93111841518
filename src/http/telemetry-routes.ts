// The telemetry endpoints, next to coreRoutes: GET /metrics (Prometheus text), GET /api/v1/events
// (the recent alert events, newest first, `?limit=N`, default and most 200) and GET / (the page).
import type { Alerts } from '../alerts/alerts.js';
import type { Kind } from '../core/types.js';
import type { OperatorMetrics } from '../metrics/metrics.js';
import { statusPage } from './page.js';
import { json, type Route } from './server.js';

export interface TelemetryRouteDeps {
  metrics: OperatorMetrics;
  alerts: Alerts;
  /** The kinds the operator serves, in creation order (the page's kind filter). */
  kinds: readonly Kind[];
}

const MAX_EVENTS = 200;

/** The three routes; add them next to coreRoutes. */
export function telemetryRoutes(deps: TelemetryRouteDeps): Route[] {
  return [
    {
      method: 'GET',
      path: '/metrics',
      handle: async () => ({ status: 200, headers: { 'content-type': deps.metrics.contentType }, body: await deps.metrics.text() }),
    },
    {
      method: 'GET',
      path: '/api/v1/events',
      handle: (req) => {
        const asked = Number.parseInt(req.query.get('limit') ?? '', 10);
        const limit = Number.isFinite(asked) && asked >= 0 ? Math.min(asked, MAX_EVENTS) : MAX_EVENTS;
        return json(200, { events: deps.alerts.recent(limit) });
      },
    },
    { method: 'GET', path: '/', handle: () => statusPage(deps.kinds) },
  ];
}
