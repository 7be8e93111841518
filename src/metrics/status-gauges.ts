// Gauges computed from the status store at scrape time, so they are never stale and a removed
// resource's series disappear with it. State gauges follow the kube-state-metrics convention: one
// series per possible value, 1 for the current one and 0 for the others, so an alert rule can say
// `ecs_operator_resource_health{status="Degraded"} == 1`.
import { Gauge, type Registry } from 'prom-client';
import type { Clock } from '../core/clock.js';
import { maskText } from '../core/redact.js';
import type { StatusStore } from '../status/store.js';
import type { HealthStatus, ResourceStatus, SourcePhase, SyncStatus } from '../status/types.js';

const SYNC: SyncStatus[] = ['Synced', 'OutOfSync', 'Unknown'];
const HEALTH: HealthStatus[] = ['Healthy', 'Progressing', 'Degraded', 'Missing', 'Suspended'];
const PHASES: SourcePhase[] = ['Pending', 'Ready', 'Stalled', 'Failed'];

/** Registers the scrape-time gauges (resource sync, health, conditions, drift, source) in `registry`. */
export function registerStatusGauges(registry: Registry, prefix: string, status: StatusStore, clock: Clock): void {
  const registers = [registry];
  // One series per resource and possible value: 1 for the current one.
  const stateGauge = (metric: string, help: string, values: readonly string[], pick: (r: ResourceStatus) => string) => new Gauge({
    name: `${prefix}${metric}`, help, labelNames: ['kind', 'name', 'status'], registers,
    collect() {
      this.reset();
      for (const r of status.list()) for (const v of values) this.set({ kind: r.kind, name: r.name, status: v }, pick(r) === v ? 1 : 0);
    },
  });
  stateGauge('resource_sync', 'Sync status of each resource: 1 for its current status, 0 for the others.', SYNC, (r) => r.sync);
  stateGauge('resource_health', 'Health of each resource: 1 for its current status, 0 for the others.', HEALTH, (r) => r.health);
  new Gauge({
    name: `${prefix}resource_condition`, help: 'Conditions set on each resource (Stalled, Waiting, Retrying), with their reason.',
    labelNames: ['kind', 'name', 'type', 'reason'], registers,
    collect() {
      this.reset();
      for (const r of status.list()) for (const c of r.conditions) this.set({ kind: r.kind, name: r.name, type: c.type, reason: c.reason }, 1);
    },
  });
  // Drift under the `ignore` policy is deliberately accepted: it is not counted.
  const drifted = () => status.list().filter((r) => r.drift && r.drift.policy !== 'ignore');
  new Gauge({
    name: `${prefix}drift_resources`, help: 'Resources whose live state differs from Git without Git asking for it (drift policy heal or alert).',
    registers,
    collect() {
      this.set(drifted().length);
    },
  });
  new Gauge({
    name: `${prefix}drift_age_seconds`, help: 'How long each drifted resource has differed from Git.',
    labelNames: ['kind', 'name'], registers,
    collect() {
      this.reset();
      const now = clock.now();
      for (const r of drifted()) this.set({ kind: r.kind, name: r.name }, Math.max(0, (now - Date.parse(r.drift!.firstSeen)) / 1000));
    },
  });
  new Gauge({
    name: `${prefix}source_revision_info`, help: 'The source revision in force (last applied): always 1, the revision in the labels.',
    labelNames: ['revision', 'source'], registers,
    collect() {
      this.reset();
      const applied = status.source?.lastApplied;
      if (applied) this.set({ revision: applied.id, source: maskText(status.source!.url) }, 1);
    },
  });
  new Gauge({
    name: `${prefix}source_phase`, help: 'Phase of the source: 1 for the current phase, 0 for the others.',
    labelNames: ['phase'], registers,
    collect() {
      this.reset();
      const phase = status.source?.phase;
      if (phase) for (const p of PHASES) this.set({ phase: p }, p === phase ? 1 : 0);
    },
  });
  new Gauge({
    name: `${prefix}source_last_read_timestamp_seconds`,
    help: 'When the source was last fetched or read successfully (Unix time): alert on time() minus it.',
    registers,
    collect() {
      this.reset();
      const at = status.source?.lastFetchTime;
      if (at) this.set(Date.parse(at) / 1000);
    },
  });
  new Gauge({
    name: `${prefix}source_read_failures`, help: 'Consecutive failed fetches or reads of the source (0 after a success).',
    registers,
    collect() {
      this.set(status.source?.failures ?? 0);
    },
  });
  new Gauge({
    name: `${prefix}manifest_errors`, help: 'Errors in the last fetched revision (0 when it was applied).',
    registers,
    collect() {
      this.set(status.source?.errors.length ?? 0);
    },
  });
}
