// `ecs-operator apply PATH...`: one reconcile of every resource, dependencies first, then waiting until
// each is Synced and its rollout has finished (`--no-wait`: until the writes are made). Progress is
// printed as resources change (progress.ts). With --prune, what would be deleted is listed before
// anything is done, and deleted once everything converged. Environments are applied one after the
// other, each into its own target and with its own --timeout (apply-environment.ts); an invalid one
// means none is applied. Exit
// 0 when everything converged, 1 when anything did not (invalid manifests, Stalled, Degraded, timeout,
// a prune blocked or failed), 2 on usage errors.
import type { Logger } from 'pino';
import { formatDiagnostic } from '../core/types.js';
import { formatDuration } from '../core/duration.js';
import type { AwsTarget } from './app.js';
import { applyEnvironment, type EnvironmentApplied } from './apply-environment.js';
import { colorEnabled, painter, printJson, writeLine } from './output.js';
import { describeTarget, loadTargetPaths, type TargetedState } from './targets.js';

export interface ApplyOptions extends AwsTarget {
  output: 'text' | 'json';
  wait: boolean;
  timeoutMs: number;
  instance: string;
  /** Process variables an Environment's valuesFrom may read. */
  allowEnv: string[];
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

export async function applyCommand(paths: string[], options: ApplyOptions): Promise<number> {
  const started = Date.now();
  const loaded = await loadTargetPaths(paths, options);
  const json = options.output === 'json';
  const paint = painter(!json && colorEnabled(process.stderr));
  const say = (line: string) => (json ? undefined : writeLine(process.stderr, line));
  if (loaded.errors.length > 0) {
    for (const d of loaded.errors) writeLine(process.stderr, formatDiagnostic(d));
    writeLine(process.stderr, `nothing applied: ${loaded.errors.length} manifest error(s)`);
    if (json) printJson({ ok: false, errors: loaded.errors });
    return 1;
  }
  const implicit = loaded.environments.length === 1 && loaded.environments[0]!.name === undefined;
  const results: Array<{ env: TargetedState; applied: EnvironmentApplied }> = [];
  for (const env of loaded.environments) {
    if (!implicit) say(paint('bold', `# ${describeTarget(env)}`));
    const applied = await applyEnvironment(env, options, Date.now() + options.timeoutMs, say, paint);
    results.push({ env, applied });
    if (!json) {
      for (const key of applied.failed) say(paint('red', `✗ ${key}: ${applied.timedOut && applied.pending(key) ? 'not finished before the timeout; ' : ''}${applied.describe(key)}`));
      const changed = [...applied.actions.values()].filter((a) => a.length > 0).length;
      const { calls } = applied;
      say(`${applied.ok ? paint('green', 'applied') : paint('red', 'failed')}: ${applied.statuses.length} resource(s), ${changed} changed, ${applied.failed.length} not converged${applied.pruneIncomplete ? ', prune not done' : ''} in ${formatDuration(Date.now() - started)}; AWS calls: ${calls.reads} reads, ${calls.writes} writes`);
    }
  }
  const ok = results.every((r) => r.applied.ok);
  if (json) {
    const shape = ({ env, applied }: (typeof results)[number]) => ({
      ok: applied.ok, revision: env.state.revision.id, timedOut: applied.timedOut,
      resources: applied.statuses.map((s) => ({ ...s, actions: applied.actions.get(s.key) ?? [], causes: applied.causes.get(s.key) ?? [] })),
      ...(applied.pruned ? { pruned: applied.pruned } : {}), awsCalls: applied.calls,
    });
    if (implicit) printJson(shape(results[0]!));
    else printJson({ ok, environments: results.map((r) => ({ environment: r.env.name, file: r.env.file, target: r.env.target, instance: r.env.instance, ...shape(r) })) });
  }
  return ok ? 0 : 1;
}
