// `ecs-operator validate PATH...`: exit 0 when every manifest is valid, 1 when any is not (each error
// as file:line:col: message), 2 on a usage error.
import { formatDiagnostic, type Diagnostic } from '../core/types.js';
import { validatePaths } from './manifests.js';
import { colorEnabled, painter, printJson, writeLine } from './output.js';

export interface ValidateOptions {
  output: 'text' | 'json';
}

export async function validateCommand(paths: string[], options: ValidateOptions): Promise<number> {
  const result = await validatePaths(paths);
  const valid = result.errors.length === 0;
  if (options.output === 'json') {
    printJson({
      valid,
      errors: result.errors,
      warnings: result.warnings,
      resources: result.state ? result.state.order.map((key) => {
        const r = result.state!.resources.get(key)!;
        return { kind: r.kind, name: r.name, file: r.source.file, line: r.source.line };
      }) : [],
    });
    return valid ? 0 : 1;
  }
  const paint = painter(colorEnabled(process.stdout));
  const print = (d: Diagnostic) => writeLine(process.stdout, paint(d.severity === 'error' ? 'red' : 'yellow', formatDiagnostic(d)));
  result.warnings.forEach(print);
  result.errors.forEach(print);
  if (valid) {
    writeLine(process.stdout, paint('green', `valid: ${result.state!.resources.size} resource(s)${result.warnings.length ? `, ${result.warnings.length} warning(s)` : ''}`));
    return 0;
  }
  writeLine(process.stdout, paint('red', `invalid: ${result.errors.length} error(s)`));
  return 1;
}
