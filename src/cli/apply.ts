// `ecs-operator apply PATH...`: one reconcile of every resource, dependencies first, then waiting until
// each is Synced and its rollout has finished (`--no-wait`: until the writes are made). Progress is
// printed as resources change (progress.ts). With --prune, what would be deleted is listed before
// anything is done, and deleted once everything converged. Exit 0 when everything converged, 1 when
// anything did not (invalid manifests, Stalled, Degraded, timeout, a prune blocked or failed), 2 on
// usage errors.
import type { Logger } from 'pino';
import { formatDiagnostic, type DesiredState, type ResourceKey } from '../core/types.js';
import type { KindHandler } from '../runtime/kind-handler.js';
import { formatDuration } from '../core/duration.js';
import { validatePaths } from './manifests.js';
import { Controller, type PassReport } from '../runtime/controller.js';
import { Pruner, type PruneOutcome, type PrunePlan } from '../runtime/pruner.js';
import type { PassState } from '../runtime/pass-record.js';
import type { ResourceStatus } from '../status/types.js';
import { createApp, type AwsTarget } from './app.js';
import { colorEnabled, painter, printJson, writeLine } from './output.js';
import { Progress } from './progress.js';

export interface ApplyOptions extends AwsTarget {
  output: 'text' | 'json';
  wait: boolean;
  timeoutMs: number;
  instance: string;
  adopt: boolean;
  concurrency: number;
  rateScale: number;
  /** Also delete what this instance owns that the manifests no longer declare. */
  prune: boolean;
  pruneMax: number;
  pruneAllowEmpty: boolean;
  /** Prune also what this instance adopted rather than created. */
  pruneAdopted: boolean;
  log: Logger;
}

type Verdict = 'pending' | 'done' | 'failed';

/** Whether a resource is finished, from its resting state (see dependencyFailed for `waiting`). */
function verdictOf(state: PassState, wait: boolean): Verdict {
  if (state === 'synced') return 'done';
  if (state === 'progressing') return wait ? 'pending' : 'done';
  if (state === 'stalled' || state === 'degraded' || state === 'drifted') return 'failed';
  return 'pending';
}

export async function applyCommand(paths: string[], options: ApplyOptions): Promise<number> {
  const started = Date.now();
  const loaded = await validatePaths(paths);
  const json = options.output === 'json';
  const paint = painter(!json && colorEnabled(process.stderr));
  const say = (line: string) => (json ? undefined : writeLine(process.stderr, line));
  if (!loaded.state) {
    for (const d of loaded.errors) writeLine(process.stderr, formatDiagnostic(d));
    writeLine(process.stderr, `nothing applied: ${loaded.errors.length} manifest error(s)`);
    if (json) printJson({ ok: false, errors: loaded.errors });
    return 1;
  }
  const state = loaded.state;
  const app = await createApp({ rateScale: options.rateScale, region: options.region, profile: options.profile });
  const controller = new Controller({
    handlers: app.handlers, mode: 'apply', log: options.log, instance: options.instance, adopt: options.adopt,
    concurrency: options.concurrency, backoff: { baseMs: 1_000, maxMs: 15_000 },
  });
  const verdicts = new Map<ResourceKey, Verdict>(state.order.map((k) => [k, 'pending']));
  const actions = new Map<ResourceKey, string[]>();
  const progress = new Progress({ say, now: () => Date.now() });
  const causes = new Map<ResourceKey, string[]>();
  say(paint('bold', `applying ${state.resources.size} resource(s) from ${state.revision.source} (revision ${state.revision.id})`));

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
  const deadline = started + options.timeoutMs;
  const timer = setTimeout(finish, options.timeoutMs);
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
  if (json) {
    printJson({
      ok: failed.length === 0 && !pruneIncomplete, revision: state.revision.id, timedOut,
      resources: statuses.map((s) => ({ ...s, actions: actions.get(s.key) ?? [], causes: causes.get(s.key) ?? [] })),
      ...(pruned ? { pruned } : {}), awsCalls: calls,
    });
  } else {
    for (const key of failed) {
      const s = controller.status.get(key);
      say(paint('red', `✗ ${key}: ${timedOut && verdicts.get(key) === 'pending' ? 'not finished before the timeout; ' : ''}${describe(s)}`));
    }
    const changed = [...actions.values()].filter((a) => a.length > 0).length;
    const ok = failed.length === 0 && !pruneIncomplete;
    say(`${ok ? paint('green', 'applied') : paint('red', 'failed')}: ${statuses.length} resource(s), ${changed} changed, ${failed.length} not converged${pruneIncomplete ? ', prune not done' : ''} in ${formatDuration(Date.now() - started)}; AWS calls: ${calls.reads} reads, ${calls.writes} writes`);
  }
  return failed.length === 0 && !pruneIncomplete ? 0 : 1;
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
