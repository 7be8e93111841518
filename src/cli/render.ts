// `ecs-operator render PATH...`: prints the fully resolved manifests of each environment as YAML (one
// document each, after a comment naming the environment and the files it came from), or JSON. Exit
// 0 when every environment is valid, 1 when any is not (errors on stderr, as file:line:col: message;
// the valid environments are printed still), 2 on a usage error.
import { stringify } from 'yaml';
import { UsageError } from '../core/errors.js';
import { maskSpec } from '../core/redact.js';
import { formatDiagnostic, type Diagnostic, type JsonValue, type Manifest, type Revision } from '../core/types.js';
import { loadEnvironments, type EnvironmentLoad, type EnvironmentsLoad } from '../environments/load.js';
import { processLookups } from '../environments/lookups.js';
import { readRevision } from '../sources/files.js';
import { KIND_REGISTRY } from '../kinds/registry.js';
import { SdkLookups } from '../aws/lookups.js';
import { rootsOf } from './targets.js';
import { colorEnabled, painter, printJson, writeLine, writeText } from './output.js';

export interface RenderOptions {
  output: 'yaml' | 'json';
  /** Only these environments (by name); all when empty. */
  environments: string[];
  /** Process variables an Environment's valuesFrom may read (exact names, or PREFIX*). */
  allowEnv: string[];
  /** Make the SSM and CloudFormation lookups (with --region, --profile and each target's role); else they are errors. */
  lookups?: boolean;
  region?: string;
  profile?: string;
}

/** The header comment of an environment's documents. */
function environmentLine(env: EnvironmentLoad): string | undefined {
  if (env.name === undefined) return undefined;
  const target = env.target ?? {};
  const parts = [target.region && `region ${target.region}`, target.roleArn && `role ${target.roleArn}`, target.instance && `instance ${target.instance}`].filter(Boolean);
  return `# environment ${JSON.stringify(env.name)} (${env.file})${parts.length ? `: ${parts.join(', ')}` : ''}`;
}

/** A manifest with its secret-looking values masked, by the name they are stored under and by value, as every output is. */
const masked = (manifest: Manifest) => maskSpec(manifest as unknown as JsonValue);

/**
 * Renders every environment of what `paths` hold (read as `validate` reads them); the SSM and
 * CloudFormation lookups only with `lookups` (else each is an error naming it).
 */
export async function renderPaths(paths: string[], options: Omit<RenderOptions, 'output' | 'environments'>, revision?: Revision): Promise<EnvironmentsLoad> {
  const files = revision ?? await readRevision(paths, { names: 'as-given' });
  // Includes stay inside what was given: each folder (or file), named as the revision names its files.
  const aws = options.lookups ? new SdkLookups({ ...(options.region ? { region: options.region } : {}), ...(options.profile ? { profile: options.profile } : {}) }) : undefined;
  return loadEnvironments(files, { lookups: processLookups(options.allowEnv, process.env, aws), kinds: KIND_REGISTRY.rules, roots: rootsOf(paths) })
    .finally(() => aws?.destroy());
}

/** Whether any of `errors` is a lookup this command did not make. */
export const needsLookups = (errors: readonly Diagnostic[]) => errors.some((d) => d.message.includes('needs an AWS lookup'));

export async function renderCommand(paths: string[], options: RenderOptions): Promise<number> {
  const loaded = await renderPaths(paths, options);
  let environments = loaded.environments;
  if (options.environments.length > 0) {
    const names = environments.map((e) => e.name).filter((n): n is string => n !== undefined);
    const unknown = options.environments.filter((n) => !names.includes(n));
    if (unknown.length > 0) throw new UsageError(`no environment named ${unknown.map((n) => JSON.stringify(n)).join(', ')} in ${paths.join(' ')} (${names.length ? `environments: ${names.join(', ')}` : 'it has no Environment'})`);
    environments = environments.filter((e) => e.name !== undefined && options.environments.includes(e.name));
  }
  const errors = [...loaded.errors, ...environments.flatMap((e) => e.result.errors)];
  const warnings = [...loaded.warnings, ...environments.flatMap((e) => e.result.warnings)];
  const valid = errors.length === 0;
  if (options.output === 'json') {
    printJson({
      valid,
      errors: loaded.errors,
      warnings: loaded.warnings,
      environments: environments.map((e) => ({
        name: e.name ?? null,
        file: e.file ?? null,
        target: e.target ?? null,
        valid: e.result.errors.length === 0,
        errors: e.result.errors,
        warnings: e.result.warnings,
        resources: e.result.state ? e.result.state.order.map((key) => {
          const r = e.result.state!.resources.get(key)!;
          return { kind: r.kind, name: r.name, sources: e.sources.get(key) ?? [r.source.file], manifest: masked(r.manifest) };
        }) : [],
      })),
    });
    return valid ? 0 : 1;
  }
  const paint = painter(colorEnabled(process.stderr));
  const tell = (d: Diagnostic) => writeLine(process.stderr, paint(d.severity === 'error' ? 'red' : 'yellow', formatDiagnostic(d)));
  warnings.forEach(tell);
  errors.forEach(tell);
  const blocks: string[] = [];
  for (const env of environments) {
    const state = env.result.state;
    if (!state) continue;
    const header = environmentLine(env);
    for (const key of state.order) {
      const r = state.resources.get(key)!;
      const comments = [header, `# ${r.kind} ${JSON.stringify(r.name)} from ${(env.sources.get(key) ?? [r.source.file]).join(', ')}`].filter(Boolean);
      blocks.push(`---\n${comments.join('\n')}\n${stringify(masked(r.manifest), { lineWidth: 0 })}`);
    }
  }
  if (blocks.length > 0) writeText(process.stdout, blocks.join(''));
  if (!valid) writeLine(process.stderr, paint('red', `invalid: ${errors.length} error(s)`));
  if (!options.lookups && needsLookups(errors)) writeLine(process.stderr, 'render --lookups makes the SSM and CloudFormation lookups, with the operator\'s AWS settings');
  return valid ? 0 : 1;
}
