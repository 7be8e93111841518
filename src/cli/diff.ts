// `ecs-operator diff PATH...`: the complete plan of `apply` (creates, updates, refused replacements,
// blocks, and with --prune the deletions), as a unified diff per resource (`-` is live, `+` is the
// manifest), as JSON or as a pull-request comment in markdown. Secrets are masked in every format.
// Exit 0 in sync, 1 differences (a prune included), 2 error or incomplete plan. Reads only.
import type { Logger } from 'pino';
import { formatDiagnostic } from '../core/types.js';
import { formatDifferences, renderUnifiedDiff } from '../diff/render.js';
import { planAll, planPrune } from '../runtime/plan-all.js';
import { createApp, type AwsTarget } from './app.js';
import { colorEnabled, painter, printJson, writeLine, writeText } from './output.js';
import { renderPlanMarkdown } from './plan-markdown.js';
import { describeTarget, loadTargetPaths, type TargetedState } from './targets.js';
import { buildPlanReport, planJson, totalsLine, undeclaredNote, type PlanEntry, type PlanReport } from './plan-report.js';

export interface DiffOptions extends AwsTarget {
  output: 'text' | 'json' | 'markdown';
  color?: boolean;
  instance: string;
  /** Process variables an Environment's valuesFrom may read. */
  allowEnv: string[];
  adopt: boolean;
  /** Show what `apply --prune` would delete, and count it in the exit code. */
  prune: boolean;
  pruneMax: number;
  pruneAllowEmpty: boolean;
  /** Show adopted resources no longer declared as deleted too, as apply --prune --prune-adopted would. */
  pruneAdopted: boolean;
  log: Logger;
}

const MARK: Record<PlanEntry['action'], string> = { create: '+', update: '~', replace: '!', blocked: '!', prune: '-', error: '?', 'in-sync': '=' };

export async function diffCommand(paths: string[], options: DiffOptions): Promise<number> {
  const loaded = await loadTargetPaths(paths, options);
  if (loaded.errors.length > 0) {
    for (const d of loaded.errors) writeLine(process.stderr, formatDiagnostic(d));
    writeLine(process.stderr, `cannot diff: ${loaded.errors.length} manifest error(s)`);
    return 2;
  }
  const color = colorEnabled(process.stdout, options.color);
  const plans: Array<{ env: TargetedState; report: PlanReport }> = [];
  for (const env of loaded.environments) plans.push({ env, report: await planEnvironment(env, options) });
  const exitCode = Math.max(...plans.map((p) => p.report.exitCode));
  // A folder without an Environment prints as it always has; environments each under their own header.
  if (plans.length === 1 && plans[0]!.env.name === undefined) {
    const { report } = plans[0]!;
    if (options.output === 'json') printJson(planJson(report));
    else if (options.output === 'markdown') writeText(process.stdout, renderPlanMarkdown(report));
    else printText(report, color);
    return report.exitCode;
  }
  if (options.output === 'json') {
    printJson({
      inSync: exitCode === 0,
      environments: plans.map(({ env, report }) => ({ environment: env.name, file: env.file, target: env.target, instance: env.instance, ...(planJson(report) as object) })),
    });
  } else {
    for (const { env, report } of plans) {
      if (options.output === 'markdown') writeText(process.stdout, `## ${describeTarget(env)}\n\n${renderPlanMarkdown(report)}\n`);
      else {
        writeLine(process.stdout, painter(color)('bold', `# ${describeTarget(env)}`));
        printText(report, color);
      }
    }
  }
  return exitCode;
}

/** One environment's plan, read with its own clients (its Region, its role) and ownership instance. */
async function planEnvironment(env: TargetedState, options: DiffOptions): Promise<PlanReport> {
  const { state, target } = env;
  const app = await createApp({ ...options, ...(target.region ? { region: target.region } : {}), roleArn: target.roleArn, externalId: target.externalId });
  try {
    const base = { handlers: app.handlers, log: options.log, instance: env.instance, adopt: options.adopt };
    const planned = await planAll(state, base);
    const prune = await planPrune(state, { ...base, maxDeletes: options.pruneMax, allowEmpty: options.pruneAllowEmpty, pruneAdopted: options.pruneAdopted });
    return buildPlanReport(state, planned, prune, options.prune);
  } finally {
    app.close();
  }
}

function printText(report: PlanReport, color: boolean): void {
  const paint = painter(color);
  for (const e of report.entries) {
    if (e.action === 'in-sync') continue;
    const label = e.action === 'blocked' && e.arn !== undefined ? 'prune blocked' : e.action;
    writeLine(process.stdout, paint('bold', `${MARK[e.action]} ${e.key} (${label})`));
    if (e.arn) writeLine(process.stdout, `  ${e.arn}`);
    // A refused prune batch says why once, after its members.
    if (e.message && !(e.action === 'blocked' && e.arn !== undefined)) writeLine(process.stdout, paint(e.action === 'error' ? 'red' : 'yellow', `  ${e.message}`));
    if (e.action === 'error' || e.action === 'prune' || e.arn !== undefined) continue;
    const text = e.specs ? renderUnifiedDiff(e.key, e.specs.desired, e.specs.live, { color }) : '';
    if (text) writeText(process.stdout, text);
    else for (const line of formatDifferences(e.differences)) writeLine(process.stdout, `  ${line}`);
  }
  const { prune } = report;
  if (prune.enabled && prune.blocked) writeLine(process.stdout, paint('yellow', prune.blocked));
  for (const key of prune.enabled ? prune.kept : []) writeLine(process.stdout, `= ${key} (kept: ecs-operator.dev/prune is "false")`);
  for (const key of prune.enabled ? prune.adopted : []) writeLine(process.stdout, `= ${key} (kept: adopted, not created by ecs-operator; --prune-adopted deletes it)`);
  for (const e of prune.errors) {
    writeLine(process.stdout, paint(prune.enabled ? 'red' : 'yellow', `? ${prune.enabled ? 'prune plan incomplete (apply --prune deletes nothing until every owned resource can be listed)' : 'could not check for owned resources no longer declared'}: ${e.message}`));
  }
  const note = undeclaredNote(report);
  if (note) writeLine(process.stdout, paint('yellow', note));
  writeLine(process.stdout, report.exitCode === 0 ? paint('green', `in sync: ${report.entries.length} resource(s)`) : totalsLine(report));
}
