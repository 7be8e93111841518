// `ecs-operator validate PATH...`: exit 0 when every manifest is valid, 1 when any is not (each error
// as file:line:col: message), 2 on a usage error. A source with Environments is validated as each
// environment renders (as `render` prints it, without output): its values, patches and image
// overrides included; SSM and CloudFormation lookups are errors naming them unless --lookups.
import { formatDiagnostic, type Diagnostic, type Revision } from '../core/types.js';
import { loadRevision, type LoadResult } from '../desired/load.js';
import { holdsEnvironments } from '../environments/refuse.js';
import { KIND_REGISTRY } from '../kinds/registry.js';
import { readRevision } from '../sources/files.js';
import { colorEnabled, painter, printJson, writeLine } from './output.js';
import { needsLookups, renderPaths } from './render.js';

export interface ValidateOptions {
  output: 'text' | 'json';
  /** Process variables an Environment's valuesFrom may read (exact names, or PREFIX*). */
  allowEnv?: string[];
  /** Make the SSM and CloudFormation lookups of Environments (with --region, --profile and each target's role). */
  lookups?: boolean;
  region?: string;
  profile?: string;
}

/** What was validated: one result per environment (the implicit one of a plain folder has no name). */
interface Validated {
  errors: Diagnostic[];
  warnings: Diagnostic[];
  environments: { name?: string; result: LoadResult }[];
}

async function validateRevision(paths: string[], revision: Revision, options: ValidateOptions): Promise<Validated> {
  if (!holdsEnvironments(revision, KIND_REGISTRY.rules)) {
    const result = loadRevision(revision, KIND_REGISTRY.rules);
    return { errors: result.errors, warnings: result.warnings, environments: [{ result }] };
  }
  const loaded = await renderPaths(paths, { ...options, allowEnv: options.allowEnv ?? [] }, revision);
  return {
    errors: [...loaded.errors, ...loaded.environments.flatMap((e) => e.result.errors)],
    warnings: [...loaded.warnings, ...loaded.environments.flatMap((e) => e.result.warnings)],
    environments: loaded.environments.map((e) => ({ ...(e.name !== undefined ? { name: e.name } : {}), result: e.result })),
  };
}

export async function validateCommand(paths: string[], options: ValidateOptions): Promise<number> {
  const v = await validateRevision(paths, await readRevision(paths, { names: 'as-given' }), options);
  const valid = v.errors.length === 0;
  const resources = v.environments.flatMap(({ name, result }) => (result.state ? result.state.order.map((key) => {
    const r = result.state!.resources.get(key)!;
    return { ...(name !== undefined ? { environment: name } : {}), kind: r.kind, name: r.name, file: r.source.file, line: r.source.line };
  }) : []));
  if (options.output === 'json') {
    printJson({ valid, errors: v.errors, warnings: v.warnings, resources });
    return valid ? 0 : 1;
  }
  const paint = painter(colorEnabled(process.stdout));
  const print = (d: Diagnostic) => writeLine(process.stdout, paint(d.severity === 'error' ? 'red' : 'yellow', formatDiagnostic(d)));
  v.warnings.forEach(print);
  v.errors.forEach(print);
  const named = v.environments.filter((e) => e.name !== undefined).length;
  if (valid) {
    writeLine(process.stdout, paint('green', `valid: ${resources.length} resource(s)${named ? ` in ${named} environment(s)` : ''}${v.warnings.length ? `, ${v.warnings.length} warning(s)` : ''}`));
    return 0;
  }
  writeLine(process.stdout, paint('red', `invalid: ${v.errors.length} error(s)`));
  if (!options.lookups && needsLookups(v.errors)) writeLine(process.stdout, 'validate --lookups makes the SSM and CloudFormation lookups, with the operator\'s AWS settings');
  return 1;
}
