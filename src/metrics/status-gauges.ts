// Gauges computed from the status store at scrape time, so they are never stale and a removed
// resource's series disappear with it. Each resource has exactly one series, its state in the labels
// (`ecs_operator_resource{kind,name,sync,health} 1`), as Argo CD's `argocd_app_info` and Flux's
// `gotk_resource_info` do: one series per possible state and resource (kube-state-metrics' way) would
// multiply the exposition by the number of states. Conditions and drift age add a series only to
// the resources that have one, which at rest is none.
import { Gauge, type Registry } from 'prom-client';
import type { Clock } from '../core/clock.js';
import { maskText } from '../core/redact.js';
import type { StatusStore } from '../status/store.js';
import type { ResourceStatus, SourcePhase } from '../status/types.js';

const PHASES: SourcePhase[] = ['Pending', 'Ready', 'Stalled', 'Failed'];

/** Drift under the `ignore` policy is deliberately accepted: it is not counted. */
const counted = (r: ResourceStatus) => r.drift !== undefined && r.drift.policy !== 'ignore';

/** Registers the scrape-time gauges (resource state, conditions, drift, source) in `registry`. */
export function registerStatusGauges(registry: Registry, prefix: string, status: StatusStore, clock: Clock): void {
  const registers = [registry];
  new Gauge({
    name: `${prefix}resource`, help: 'Each resource, always 1: its sync and health are the labels.',
    labelNames: ['kind', 'name', 'sync', 'health'], registers,
    collect() {
      this.reset();
      for (const r of status.values()) this.set({ kind: r.kind, name: r.name, sync: r.sync, health: r.health }, 1);
    },
  });
  new Gauge({
    name: `${prefix}resource_condition`, help: 'Conditions set on each resource (Stalled, Waiting, Retrying) and their reason.',
    labelNames: ['kind', 'name', 'type', 'reason'], registers,
    collect() {
      this.reset();
      for (const r of status.values()) for (const c of r.conditions) this.set({ kind: r.kind, name: r.name, type: c.type, reason: c.reason }, 1);
    },
  });
  new Gauge({
    name: `${prefix}drift_resources`, help: 'Resources whose live state differs from Git without Git asking for it (drift policy heal or alert).',
    registers,
    collect() {
      let n = 0;
      for (const r of status.values()) if (counted(r)) n++;
      this.set(n);
    },
  });
  new Gauge({
    name: `${prefix}drift_age_seconds`, help: 'How long each drifted resource has differed from Git.',
    labelNames: ['kind', 'name'], registers,
    collect() {
      this.reset();
      const now = clock.now();
      for (const r of status.values()) {
        if (counted(r)) this.set({ kind: r.kind, name: r.name }, Math.max(0, (now - Date.parse(r.drift!.firstSeen)) / 1000));
      }
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
