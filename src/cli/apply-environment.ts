// One environment's apply: a controller with the environment's own clients (its Region, its role),
// pacing buckets and ownership instance reconciles every resource once, dependencies first, and
// waits until each is finished (see verdictOf); with --prune, what the environment's instance owns
// and no longer declares is listed first and deleted once everything converged.
import type { DesiredState, ResourceKey } from '../core/types.js';
import type { KindHandler } from '../runtime/kind-handler.js';
import { Controller, type PassReport } from '../runtime/controller.js';
import { Pruner, type PruneOutcome, type PrunePlan } from '../runtime/pruner.js';
import type { PassState } from '../runtime/pass-record.js';
import type { ResourceStatus } from '../status/types.js';
import { createApp } from './app.js';
import type { ApplyOptions } from './apply.js';
import { painter } from './output.js';
import { Progress } from './progress.js';
import type { TargetedState } from './targets.js';

type Verdict = 'pending' | 'done' | 'failed';
type Paint = ReturnType<typeof painter>;

/** What one environment's apply did. */
export interface EnvironmentApplied {
  ok: boolean;
  timedOut: boolean;
  statuses: ResourceStatus[];
  /** Keys that did not converge (or whose prune was blocked or is still waiting). */
  failed: ResourceKey[];
  actions: Map<ResourceKey, string[]>;
  causes: Map<ResourceKey, string[]>;
  pruned?: PruneOutcome;
  pruneIncomplete: boolean;
  calls: { reads: number; writes: number; byOperation: Record<string, number> };
  describe(key: ResourceKey): string;
  pending(key: ResourceKey): boolean;
}

/** Whether a resource is finished, from its resting state (see dependencyFailed for `waiting`). */
function verdictOf(state: PassState, wait: boolean): Verdict {
  if (state === 'synced') return 'done';
  if (state === 'progressing') return wait ? 'pending' : 'done';
  if (state === 'stalled' || state === 'degraded' || state === 'drifted') return 'failed';
  return 'pending';
}

/** Applies one environment until done or `deadline`, saying its progress with `say`. */
export async function applyEnvironment(env: TargetedState, options: ApplyOptions, deadline: number, say: (line: string) => void, paint: Paint): Promise<EnvironmentApplied> {
  const { state, target } = env;
  const app = await createApp({
    rateScale: options.rateScale, region: target.region ?? options.region, profile: options.profile, roleArn: target.roleArn, externalId: target.externalId,
  });
  const controller = new Controller({
    handlers: app.handlers, mode: 'apply', log: options.log, instance: env.instance, adopt: options.adopt,
    concurrency: options.concurrency, backoff: { baseMs: 1_000, maxMs: 15_000 },
  });
  say(paint('bold', `applying ${state.resources.size} resource(s) from ${state.revision.source} (revision ${state.revision.id})`));
  const verdicts = new Map<ResourceKey, Verdict>(state.order.map((k) => [k, 'pending']));
  const actions = new Map<ResourceKey, string[]>();
  const progress = new Progress({ say, now: () => Date.now() });
  const causes = new Map<ResourceKey, string[]>();

  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const onPass = (report: PassReport) => {
    const { record } = report;
    if (record.actions.length) actions.set(report.key, [...(actions.get(report.key) ?? []), ...record.actions]);
    if (record.cause) causes.set(report.key, [...(causes.get(report.key) ?? []), record.cause]);
    const verdict = verdictOf(record.state, options.wait);
    verdicts.set(report.key, verdict);
    // Waiting on a dependency is the normal first step of a dependent: said briefly.
    progress.update(report.key, record.state === 'waiting'
      ? `${paint('cyan', '…')} ${report.key}: ${report.status.conditions[0]?.message ?? 'waiting'}`
      : progressLine(report, verdict, paint));
    if (dependencyFailed(report, verdicts)) verdicts.set(report.key, 'failed');
    if ([...verdicts.values()].every((v) => v !== 'pending')) finish();
  };
  controller.onPass(onPass);
  controller.setDesired(state);
  // What a prune will delete is said before anything is done; workers have not started yet.
  const pruner = options.prune ? newPruner(controller, app.handlers, state, options) : undefined;
  if (pruner) {
    await pruner.discover(state);
    sayPlan(await pruner.plan(state), say, paint);
  }
  // Read everything in batches first, so that each resource's first pass is a cache hit.
  await controller.resync();
  controller.start();
  const timer = setTimeout(finish, Math.max(0, deadline - Date.now()));
  const heartbeat = setInterval(() => progress.tick(() => [...verdicts].filter(([, v]) => v === 'pending')
    .map(([key]) => `${key} (${describe(controller.status.get(key))})`)), 1_000);
  await finished;
  clearTimeout(timer);
  clearInterval(heartbeat);
  await controller.stop();
  const pruned = pruner && [...verdicts.values()].every((v) => v === 'done')
    ? await pruneOnce(pruner, controller, deadline, (line) => progress.print(line))
    : undefined;
  if (pruner && !pruned) say(paint('yellow', 'prune skipped: not every resource converged'));
  app.close();

  const statuses = controller.status.list();
  const failed = [...verdicts].filter(([, v]) => v !== 'done').map(([k]) => k);
  if (pruned) failed.push(...pruned.blocked, ...pruned.waiting);
  const pruneIncomplete = pruned !== undefined && pruned.errors.some((e) => e.key === undefined);
  const timedOut = [...verdicts.values()].some((v) => v === 'pending');
  const calls = { reads: app.aws.stats.reads, writes: app.aws.stats.writes, byOperation: app.aws.stats.snapshot() };
  return {
    ok: failed.length === 0 && !pruneIncomplete, timedOut, statuses, failed, actions, causes, pruneIncomplete, calls, ...(pruned ? { pruned } : {}),
    describe: (key) => describe(controller.status.get(key)),
    pending: (key) => verdicts.get(key) === 'pending',
  };
}

function newPruner(controller: Controller, handlers: KindHandler[], state: DesiredState, options: ApplyOptions): Pruner {
  return new Pruner({
    handlers, status: controller.status, log: options.log, maxDeletes: options.pruneMax, allowEmpty: options.pruneAllowEmpty,
    pruneAdopted: options.pruneAdopted, current: () => state, context: (s) => controller.contextFor(s),
  });
}

/** What --prune will do once the apply converged, said before anything is done (as `diff --prune`). */
function sayPlan(plan: PrunePlan, say: (line: string) => void, paint: ReturnType<typeof painter>): void {
  for (const owned of plan.deletions) say(paint('bold', `- ${owned.key} (${plan.blocked ? 'prune blocked' : 'prune'})`));
  if (plan.blocked) say(paint('yellow', plan.blocked));
  for (const key of plan.kept) say(`= ${key} (kept: ecs-operator.dev/prune is "false")`);
  for (const key of plan.adopted) say(`= ${key} (kept: adopted, not created by ecs-operator; --prune-adopted deletes it)`);
  for (const e of plan.errors) say(paint('red', `? prune plan incomplete: ${e.message}`));
}

/**
 * Deletes what this instance owns and the manifests no longer declare, until done or the deadline.
 * A read error ends the attempts (the SDK has retried already): it is reported, and apply fails.
 */
async function pruneOnce(pruner: Pruner, controller: Controller, deadline: number, say: (line: string) => void): Promise<PruneOutcome> {
  let outcome = await pruner.run();
  const all = { ...outcome, deleted: [...outcome.deleted], kept: [...outcome.kept], adopted: [...outcome.adopted] };
  while (outcome.waiting.length > 0 && outcome.blocked.length === 0 && outcome.errors.length === 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 2_000));
    outcome = await pruner.run();
    all.deleted.push(...outcome.deleted);
    all.kept.push(...outcome.kept);
    all.adopted.push(...outcome.adopted);
    all.waiting = outcome.waiting;
    all.errors = outcome.errors;
  }
  for (const key of all.deleted) say(`- ${key}: pruned`);
  for (const key of all.kept) say(`= ${key}: manifest gone, kept (ecs-operator.dev/prune: "false")`);
  for (const key of all.adopted) say(`= ${key}: manifest gone, kept: it was adopted, not created by ecs-operator (--prune-adopted deletes it)`);
  for (const key of all.blocked) say(`✗ ${key}: ${controller.status.get(key)?.conditions[0]?.message ?? 'prune blocked'}`);
  for (const key of all.waiting) {
    const s = controller.status.get(key);
    say(`✗ ${key}: ${s?.conditions[0]?.message ?? s?.healthMessage ?? 'not pruned yet'}`);
  }
  for (const e of all.errors.filter((x) => x.key === undefined)) say(`✗ prune not done: ${e.message}`);
  return all;
}

function dependencyFailed(report: PassReport, verdicts: Map<ResourceKey, Verdict>): boolean {
  const { problem } = report.record;
  if (problem?.type !== 'Waiting') return false;
  const waitingFor = problem.waitingFor;
  return waitingFor.some((k) => verdicts.get(k as ResourceKey) === 'failed');
}

function describe(status: ResourceStatus | undefined): string {
  if (!status) return 'unknown';
  const condition = status.conditions[0];
  const parts = [`${status.sync}, ${status.health}`];
  if (status.healthMessage) parts.push(status.healthMessage);
  if (condition) parts.push(`${condition.type}: ${condition.message}`);
  return parts.join(' — ');
}

function progressLine(report: PassReport, verdict: Verdict, paint: ReturnType<typeof painter>): string {
  const mark = verdict === 'done' ? paint('green', '✓') : verdict === 'failed' ? paint('red', '✗') : paint('cyan', '…');
  const { actions, cause } = report.record;
  const did = actions.length ? ` ${actions.join(', ')}${cause ? ` (${cause})` : ''};` : '';
  return `${mark} ${report.key}:${did} ${describe(report.status)}`;
}
