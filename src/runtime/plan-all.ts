// A dry run of one pass over every resource: observe and plan, never apply. What `diff` prints.
// References between resources resolve to what is live where the dependency is in sync, and to a
// placeholder where applying would first create or register it. planPrune adds what a prune would
// delete, from the pruner's own selection (Pruner.plan), so the plan never guesses its rules.
import type { Logger } from 'pino';
import type { DesiredState, Kind, ResourceKey } from '../core/types.js';
import { prefetchAll } from './prefetch.js';
import { classifyError } from '../core/errors.js';
import type { Difference } from '../diff/types.js';
import { StatusStore } from '../status/store.js';
import type { KindHandler, ReconcileContext, ResourceOutputs } from './kind-handler.js';
import { Pruner, type PrunePlan } from './pruner.js';

export type PlannedAction = 'create' | 'update' | 'in-sync' | 'replace' | 'blocked' | 'error';

export interface PlannedResource {
  key: ResourceKey;
  action: PlannedAction;
  differences: Difference[];
  desiredSpec?: unknown;
  liveSpec?: unknown;
  message?: string;
}

export interface PlanAllOptions {
  handlers: KindHandler[];
  log: Logger;
  instance: string;
  adopt: boolean;
  now?: () => number;
}

/** A context for reads only, as `apply` would see it. */
function dryRunContext(state: DesiredState, options: PlanAllOptions, outputsOf: ReconcileContext['outputsOf']): ReconcileContext {
  const now = (options.now ?? Date.now)();
  return {
    now, notBefore: now, mode: 'apply', instance: options.instance, adopt: options.adopt, driftDefault: 'heal',
    revision: state.revision, desired: state, outputsOf, log: options.log, signal: new AbortController().signal,
  };
}

export async function planAll(state: DesiredState, options: PlanAllOptions): Promise<PlannedResource[]> {
  const handlers = new Map<Kind, KindHandler>(options.handlers.map((h) => [h.kind, h]));
  const outputs = new Map<ResourceKey, ResourceOutputs>();
  const ctx = dryRunContext(state, options, (key) => outputs.get(key));
  await prefetchAll(state, handlers, ctx);

  const planned: PlannedResource[] = [];
  for (const key of state.order) {
    const resource = state.resources.get(key)!;
    const handler = handlers.get(resource.kind)!;
    try {
      const observation = await handler.observe(resource, ctx);
      const plan = handler.plan(resource, observation, ctx);
      const base = { key, desiredSpec: plan.desiredSpec, liveSpec: plan.liveSpec };
      let entry: PlannedResource;
      if (plan.blocked) entry = { ...base, action: 'blocked', differences: plan.differences, message: plan.blocked.message };
      else if (plan.requiresReplacement.length > 0) {
        entry = { ...base, action: 'replace', differences: plan.differences, message: `requires replacement: ${plan.requiresReplacement.map((d) => d.path).join(', ')}` };
      } else if (!observation.exists) entry = { ...base, action: 'create', differences: [] };
      else entry = { ...base, action: plan.differences.length > 0 ? 'update' : 'in-sync', differences: plan.differences };
      planned.push(entry);
      // Dependents see the live resource where applying leaves it as it is, else a placeholder.
      const unchanged = observation.exists && entry.action !== 'update';
      outputs.set(key, unchanged ? handler.outputs(resource, observation) : { arn: `(known after apply: ${key})` });
    } catch (err) {
      const e = classifyError(err);
      planned.push({ key, action: 'error', differences: [], message: e.message });
      outputs.set(key, { arn: `(unknown: ${key})` });
    }
  }
  return planned;
}

export interface PlanPruneOptions extends PlanAllOptions {
  /** --prune-max, --prune-allow-empty and --prune-adopted, as `apply --prune` would use them. */
  maxDeletes: number;
  allowEmpty: boolean;
  pruneAdopted?: boolean;
}

/**
 * What `apply --prune` would delete after applying `state`: the live resources this instance owns
 * that `state` does not declare (found by their ownership tags), with the pruner's rules (ownership,
 * prune "false", the --prune-max refusal). Listing errors are in the plan's `errors`, never thrown.
 */
export async function planPrune(state: DesiredState, options: PlanPruneOptions): Promise<PrunePlan> {
  const pruner = new Pruner({
    handlers: options.handlers, status: new StatusStore(options.handlers.map((h) => h.kind)), log: options.log, maxDeletes: options.maxDeletes,
    allowEmpty: options.allowEmpty, pruneAdopted: options.pruneAdopted === true, current: () => state, context: (desired) => dryRunContext(desired, options, () => undefined),
  });
  await pruner.discover(state);
  return pruner.plan(state);
}
