// The complete plan `diff` shows, in one model for its three outputs (text, JSON, markdown): every
// declared resource with its action and masked differences, every owned resource a prune would
// delete (or refuse to), the totals by action, and what kept the plan from being complete.
import type { DesiredState, JsonObject, JsonValue, Kind, ResourceKey } from '../core/types.js';
import { parseResourceKey } from '../core/types.js';
import { maskDifferences, maskSpec, maskSpecs } from '../core/redact.js';
import type { Difference } from '../diff/types.js';
import type { PlannedResource } from '../runtime/plan-all.js';
import type { PruneError, PrunePlan } from '../runtime/pruner.js';

export const PLAN_ACTIONS = ['create', 'update', 'replace', 'prune', 'blocked', 'in-sync', 'error'] as const;
export type PlanAction = (typeof PLAN_ACTIONS)[number];

export interface PlanEntry {
  key: ResourceKey;
  kind: Kind;
  name: string;
  /** Where the manifest is; absent for a prune (its manifest is gone). */
  file?: string;
  line?: number;
  action: PlanAction;
  /** Masked, `{path, desired, live}`; empty for a create and a prune. */
  differences: Difference[];
  /** A create's normalized spec, masked. */
  desired?: JsonValue;
  /** Why: requires replacement, not owned, prune refused, a read error. */
  message?: string;
  /** A prune's live ARN. */
  arn?: string;
  /** Masked normalized specs for a printed diff (not part of the JSON). */
  specs?: { desired: JsonObject | undefined; live: JsonObject | undefined };
}

export interface PlanReport {
  revision: string;
  entries: PlanEntry[];
  totals: Record<PlanAction, number>;
  prune: {
    /** --prune was given: prunes are part of the plan (and of the exit code). */
    enabled: boolean;
    /** Owned resources no longer declared that a prune would delete (or refuse to). */
    undeclared: ResourceKey[];
    /** Owned and no longer declared, kept by `ecs-operator.dev/prune: "false"`. */
    kept: ResourceKey[];
    /** Owned and no longer declared, kept because the operator adopted it rather than created it. */
    adopted: ResourceKey[];
    /** Why the whole prune would be refused. */
    blocked?: string;
    /** What could not be read: the prune part of the plan is incomplete. */
    errors: PruneError[];
  };
  /** 0 nothing to do, 1 something would change, 2 the plan is incomplete (a read failed). */
  exitCode: 0 | 1 | 2;
}

const asObject = (value: unknown) => value as JsonObject | undefined;

function declaredEntry(p: PlannedResource, state: DesiredState): PlanEntry {
  const { kind, name } = parseResourceKey(p.key);
  const source = state.resources.get(p.key)?.source;
  const specs = { desired: p.desiredSpec, live: p.action === 'create' ? undefined : p.liveSpec };
  const masked = maskSpecs(specs.desired, specs.live);
  const entry: PlanEntry = {
    key: p.key, kind, name, ...(source ? { file: source.file, line: source.line } : {}),
    action: p.action, differences: maskDifferences(p.differences, specs),
    specs: { desired: asObject(masked.desired), live: asObject(masked.live) },
  };
  if (p.action === 'create' && p.desiredSpec !== undefined) entry.desired = maskSpec(p.desiredSpec as JsonValue) as JsonValue;
  if (p.message) entry.message = p.message;
  return entry;
}

/** One model of the plan: the declared resources' plans, plus the prune plan (when it could be made). */
export function buildPlanReport(state: DesiredState, planned: PlannedResource[], prune: PrunePlan, pruneEnabled: boolean): PlanReport {
  const entries = planned.map((p) => declaredEntry(p, state));
  const undeclared = prune.deletions.map((o) => o.key);
  if (pruneEnabled) {
    for (const owned of prune.deletions) {
      const { kind, name } = parseResourceKey(owned.key);
      const entry: PlanEntry = { key: owned.key, kind, name, action: prune.blocked ? 'blocked' : 'prune', differences: [] };
      if (owned.observation.arn) entry.arn = owned.observation.arn;
      if (prune.blocked) entry.message = prune.blocked;
      entries.push(entry);
    }
  }
  const totals = Object.fromEntries(PLAN_ACTIONS.map((a) => [a, entries.filter((e) => e.action === a).length])) as Record<PlanAction, number>;
  const incomplete = totals.error > 0 || (pruneEnabled && prune.errors.length > 0);
  const exitCode = incomplete ? 2 : entries.some((e) => e.action !== 'in-sync') ? 1 : 0;
  return {
    revision: state.revision.id, entries, totals, exitCode,
    prune: { enabled: pruneEnabled, undeclared, kept: prune.kept, adopted: prune.adopted, errors: prune.errors, ...(prune.blocked ? { blocked: prune.blocked } : {}) },
  };
}

/** The JSON of `diff --output json`: the plan without the printing-only specs. */
export function planJson(report: PlanReport): unknown {
  return {
    inSync: report.exitCode === 0,
    revision: report.revision,
    totals: report.totals,
    resources: report.entries.map(({ specs: _specs, ...entry }) => entry),
    prune: report.prune,
  };
}

/** `1 to create, 2 to update, ...`: the totals as people read them (zero counts left out, in sync last). */
export function totalsLine(report: PlanReport): string {
  const t = report.totals;
  const parts = [
    [t.create, 'to create'], [t.update, 'to update'], [t.replace, 'requiring replacement'], [t.prune, 'to prune'],
    [t.blocked, 'blocked'], [t.error, 'unreadable'],
  ].filter(([n]) => (n as number) > 0).map(([n, what]) => `${n} ${what}`);
  return [...parts, `${t['in-sync']} in sync`].join(', ');
}

/** The note about what a prune would delete when --prune is off, or undefined when nothing would be. */
export function undeclaredNote(report: PlanReport): string | undefined {
  const { undeclared, enabled } = report.prune;
  if (enabled || undeclared.length === 0) return undefined;
  return `${undeclared.length} owned resource(s) no longer declared (not pruned without --prune): ${undeclared.join(', ')}`;
}
