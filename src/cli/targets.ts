// The environments of what `diff`, `apply` and `run` are given, each with where it is applied: its
// desired state, AWS target and ownership instance. A folder without an Environment is one implicit
// environment, applied with the command's own --region, --profile and --instance, as always.
import { posix, sep } from 'node:path';
import type { Diagnostic, DesiredState, Revision } from '../core/types.js';
import { SdkLookups } from '../aws/lookups.js';
import { loadEnvironments, type EnvironmentLoad } from '../environments/load.js';
import { processLookups, type EnvironmentTarget } from '../environments/lookups.js';
import { sortDiagnostics } from '../desired/positions.js';
import { readRevision } from '../sources/files.js';
import { KIND_REGISTRY } from '../kinds/registry.js';

/** One environment, valid, with where it goes. */
export interface TargetedState {
  /** Undefined for the implicit environment (a folder without an Environment). */
  name?: string;
  file?: string;
  state: DesiredState;
  /** The target's region and role; the command's own when absent. */
  target: EnvironmentTarget;
  /** The managed-by tag value of its resources: target.instance, else the environment's name, else --instance. */
  instance: string;
}

export interface TargetsLoad {
  /** Every environment, when all of them are valid; empty otherwise (nothing is applied anywhere). */
  environments: TargetedState[];
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

export interface TargetsOptions {
  /** The command's --region and --profile: the operator's own AWS settings. */
  region?: string;
  profile?: string;
  /** The managed-by tag value of the implicit environment. */
  instance: string;
  /** Process variables valuesFrom may read (exact names or PREFIX*). */
  allowEnv: readonly string[];
}

/** The instance of an environment: its target's, else its name, else the command's. */
export function instanceOf(env: Pick<EnvironmentLoad, 'name' | 'target'>, fallback: string): string {
  return env.target?.instance ?? env.name ?? fallback;
}

/**
 * Renders and loads every environment of a revision, with the SSM and CloudFormation lookups made
 * through the operator's own settings (and each target's role). `roots`: what includes must stay inside.
 */
export async function loadTargets(revision: Revision, options: TargetsOptions, roots?: readonly string[]): Promise<TargetsLoad> {
  const aws = new SdkLookups({ ...(options.region ? { region: options.region } : {}), ...(options.profile ? { profile: options.profile } : {}) });
  try {
    const loaded = await loadEnvironments(revision, { lookups: processLookups(options.allowEnv, process.env, aws), kinds: KIND_REGISTRY.rules, ...(roots ? { roots } : {}) });
    const errors = sortDiagnostics([...loaded.errors, ...loaded.environments.flatMap((e) => e.result.errors)]);
    const warnings = sortDiagnostics([...loaded.warnings, ...loaded.environments.flatMap((e) => e.result.warnings)]);
    if (errors.length > 0) return { environments: [], errors, warnings };
    const environments = loaded.environments.map((env) => ({
      ...(env.name !== undefined ? { name: env.name } : {}),
      ...(env.file !== undefined ? { file: env.file } : {}),
      state: env.result.state!,
      target: env.name === undefined ? {} : env.target ?? {},
      instance: instanceOf(env, options.instance),
    }));
    return { environments, errors, warnings };
  } finally {
    aws.destroy();
  }
}

/** loadTargets on files and folders, named as given (as `validate` names them), includes kept inside them. */
export async function loadTargetPaths(paths: string[], options: TargetsOptions): Promise<TargetsLoad> {
  return loadTargets(await readRevision(paths, { names: 'as-given' }), options, rootsOf(paths));
}

/** The roots includes stay inside, for paths given on the command line: each folder (or file), named as the revision names its files. */
export function rootsOf(paths: readonly string[]): string[] {
  return paths.map((path) => posix.normalize(path.split(sep).join('/')).replace(/(.)\/$/, '$1'));
}

/** A one-line description of where an environment goes, for headers: `environment "staging" (file): region r, role a`. */
export function describeTarget(env: Pick<TargetedState, 'name' | 'file' | 'target' | 'instance'>): string {
  const t = env.target;
  const parts = [t.region && `region ${t.region}`, t.roleArn && `role ${t.roleArn}`, `instance ${env.instance}`].filter(Boolean);
  return `environment ${JSON.stringify(env.name)}${env.file ? ` (${env.file})` : ''}: ${parts.join(', ')}`;
}
