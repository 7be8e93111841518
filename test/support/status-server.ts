// The operator's read endpoints (status API, events, metrics, the page) served in-process over a
// status store, for the status page and API tests: the same routes `run` serves, without the rest.
import pino from 'pino';
import { Alerts } from '../../src/alerts/alerts.js';
import { AlertDispatcher } from '../../src/alerts/dispatcher.js';
import { requireToken } from '../../src/http/auth.js';
import { coreRoutes } from '../../src/http/routes.js';
import { HttpServer } from '../../src/http/server.js';
import { telemetryRoutes } from '../../src/http/telemetry-routes.js';
import { OperatorMetrics } from '../../src/metrics/metrics.js';
import type { StatusStore } from '../../src/status/store.js';
import { KIND_ORDER } from '../../src/kinds/registry.js';

const log = pino({ level: 'silent' });

/** Serves `status` (and `alerts`, default none sent) on a free port of 127.0.0.1; with `token`, as --api-token-file does. */
export async function startStatusServer(status: StatusStore, options: { alerts?: Alerts; token?: string } = {}): Promise<{ port: number; stop(): Promise<void> }> {
  const alerts = options.alerts ?? new Alerts({ status, dispatcher: new AlertDispatcher({ sinks: [] }), log });
  const metrics = new OperatorMetrics({ status, processMetrics: false });
  const routes = [...coreRoutes({ status, ready: () => true, phase: () => 'ready' }), ...telemetryRoutes({ metrics, alerts, kinds: KIND_ORDER })];
  const http = new HttpServer({ host: '127.0.0.1', port: 0, log, routes: requireToken(routes, options.token) });
  const { port } = await http.start();
  return { port, stop: () => http.stop() };
}
