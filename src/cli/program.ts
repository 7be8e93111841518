// The command line: parsing and help (commander), options compiled once, then one command function.
// Returns the exit code; only main.ts exits.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { parseDuration } from '../core/duration.js';
import { UsageError } from '../core/errors.js';
import { maskText } from '../core/redact.js';
import { createLogger, type LogLevel } from '../core/log.js';
import { applyCommand } from './apply.js';
import { diffCommand } from './diff.js';
import { validateCommand } from './validate.js';
import { renderCommand } from './render.js';
import { runCommand } from './run.js';
import { allowEnvOption, awsOptions, booleanEnv, list, runOptions, sharedOptions } from './run-options.js';

export const VERSION = '0.1.0';

function duration(value: string): number {
  try {
    return parseDuration(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a whole number of at least 1, got "${value}"`);
  return n;
}

function rateScale(value: string): number {
  if (value === 'off') return Infinity;
  const n = Number(value);
  if (!(n > 0)) throw new InvalidArgumentError(`expected a positive number or "off", got "${value}"`);
  return n;
}

const outputOption = (formats = ['text', 'json']) => new Option('-o, --output <format>', 'output format').choices(formats).default('text');
const instanceOption = () => new Option('--instance <name>', 'operator instance: the value of the managed-by tag').default('default');
const logLevelOption = () => new Option('--log-level <level>', 'log level of the JSON log on stderr')
  .choices(['trace', 'debug', 'info', 'warn', 'error', 'silent']);

/** The exit codes of each command, shown at the end of its help. */
const EXIT_CODES = {
  validate: ['0  every manifest is valid', '1  a manifest is invalid (errors as file:line:col: message)', '2  usage error'],
  render: ['0  every environment is valid (its manifests printed)', '1  an environment is invalid (errors on stderr as file:line:col: message; the valid ones printed)', '2  usage error'],
  diff: ['0  in sync, nothing to prune', '1  differences (creates, updates, blocks; with --prune, deletions)', '2  usage or configuration error, or a resource or owned-resource listing could not be read'],
  apply: ['0  every resource converged (and with --prune, every prune is done)', '1  not converged: invalid manifests, Stalled, Degraded, timeout, or a prune blocked or failed', '2  usage or configuration error (bad flag, no region or credentials)'],
  run: ['0  stopped by SIGTERM or SIGINT', '2  usage or configuration error (bad flag, no region or credentials, --listen address in use, unreadable secret file)'],
} as const;

const exitHelp = (command: keyof typeof EXIT_CODES) => `\nExit codes:\n${EXIT_CODES[command].map((line) => `  ${line}`).join('\n')}\n`;

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('ecs-operator')
    .description('GitOps for Amazon ECS: reconcile clusters, task definitions, services and auto scaling from manifests')
    .version(VERSION)
    .showHelpAfterError()
    .exitOverride();

  const validate = program.command('validate')
    .description('check manifests (a source with Environments: each environment as it renders): exit 0 valid, 1 invalid (errors as file:line:col: message), 2 usage error')
    .argument('<paths...>', 'manifest files or folders')
    .addOption(outputOption())
    .addOption(allowEnvOption())
    .option('--lookups', 'make the SSM and CloudFormation lookups of Environments (with --region, --profile and each target\'s role); without it they are errors and validate reads no AWS')
    .addHelpText('after', exitHelp('validate'));
  for (const option of awsOptions()) validate.addOption(option);
  validate.action(async (paths: string[], o) => setExit(await validateCommand(paths, {
    output: o.output, allowEnv: o.allowEnv ?? [], lookups: Boolean(o.lookups), region: o.region, profile: o.profile,
  })));

  const render = program.command('render')
    .description('print the fully resolved manifests of each environment (YAML, or JSON): exit 0 valid, 1 invalid, 2 usage error')
    .argument('<paths...>', 'the source folder (as run --source reads it), or manifest files')
    .addOption(outputOption(['yaml', 'json']).default('yaml'))
    .option('-e, --environment <name>', 'only this environment (repeatable; default: all)', list)
    .addOption(allowEnvOption())
    .option('--lookups', 'make the SSM and CloudFormation lookups of valuesFrom (with --region, --profile and each target\'s role); without it they are errors and render reads no AWS')
    .addHelpText('after', exitHelp('render'));
  for (const option of awsOptions()) render.addOption(option);
  render.action(async (paths: string[], o) => setExit(await renderCommand(paths, {
    output: o.output, environments: o.environment ?? [], allowEnv: o.allowEnv ?? [], lookups: Boolean(o.lookups), region: o.region, profile: o.profile,
  })));

  const diff = program.command('diff')
    .description('show what apply would change (with --prune, what it would delete), as a unified diff: exit 0 in sync, 1 differences, 2 error')
    .argument('<paths...>', 'manifest files or folders')
    .addOption(outputOption(['text', 'json', 'markdown']))
    .addOption(instanceOption())
    .option('--no-adopt', 'treat existing resources not tagged by this instance as not ours')
    .option('--prune', 'show what apply --prune would delete, and count it in the exit code')
    .addOption(new Option('--prune-max <n>', 'as apply: more deletions than this are shown as blocked').argParser(positiveInt).default(5))
    .option('--prune-allow-empty', 'as apply: prune even when the manifests declare no resources at all')
    .option('--prune-adopted', 'as apply: adopted resources no longer declared are shown as deleted too')
    .option('--no-color', 'plain output even on a terminal')
    .addOption(allowEnvOption())
    .addOption(logLevelOption().default('warn'));
  for (const option of awsOptions()) diff.addOption(option);
  diff
    .addHelpText('after', exitHelp('diff'))
    .action(async (paths: string[], o) => setExit(await diffCommand(paths, {
      output: o.output, color: o.color === false ? false : undefined, instance: o.instance, adopt: o.adopt, allowEnv: o.allowEnv ?? [],
      prune: Boolean(o.prune), pruneMax: o.pruneMax, pruneAllowEmpty: Boolean(o.pruneAllowEmpty), pruneAdopted: Boolean(o.pruneAdopted),
      region: o.region, profile: o.profile, log: createLogger(o.logLevel as LogLevel),
    })));

  const apply = program.command('apply')
    .description('reconcile once and wait until every resource is Synced and rolled out: exit 0 converged, 1 not, 2 usage error')
    .argument('<paths...>', 'manifest files or folders')
    .addOption(outputOption())
    .option('--no-wait', 'return once the writes are made, without waiting for rollouts')
    .addOption(new Option('--timeout <duration>', 'give up waiting after this long').argParser(duration).default(600_000, '10m'));
  for (const option of [...sharedOptions({ duration, positiveInt, rateScale }, 'warn'), ...awsOptions(), allowEnvOption()]) apply.addOption(option);
  apply
    .addHelpText('after', exitHelp('apply'))
    .action(async (paths: string[], o) => setExit(await applyCommand(paths, {
      output: o.output, wait: o.wait, timeoutMs: o.timeout, instance: o.instance, adopt: o.adopt, allowEnv: o.allowEnv ?? [],
      concurrency: o.concurrency, rateScale: o.awsRateScale, prune: Boolean(o.prune), pruneMax: o.pruneMax, pruneAllowEmpty: Boolean(o.pruneAllowEmpty),
      pruneAdopted: Boolean(o.pruneAdopted), region: o.region, profile: o.profile, log: createLogger(o.logLevel as LogLevel),
    })));

  const run = program.command('run')
    .description('the long-running controller: watch a folder or a Git repository and keep AWS in sync with it');
  const options = runOptions({ duration, positiveInt, rateScale });
  for (const option of options) run.addOption(option);
  run.addHelpText('after', `${exitHelp('run')}\nEvery option also reads the environment variable shown with it; a flag on the command line wins.\n`);
  run.action(async (o, command: Command) => {
    booleanEnv(options, o, (attribute) => command.getOptionValueSource(attribute) === 'cli');
    setExit(await runCommand(o));
  });
  return program;
}

/** Parses argv and runs the command; returns the process exit code. */
export async function runCli(argv: string[]): Promise<number> {
  let code = 0;
  const program = buildProgram((c) => (code = c));
  try {
    await program.parseAsync(argv);
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; every parse error is a usage error.
      return err.exitCode === 0 ? 0 : 2;
    }
    // Expected errors are one line; only a bug shows its stack. Every line is masked.
    const e = err as NodeJS.ErrnoException;
    const expected = err instanceof UsageError || e?.code === 'ENOENT' || e?.code === 'EACCES';
    process.stderr.write(`error: ${maskText(expected ? e.message : e?.stack ?? String(err))}\n`);
    return 2;
  }
}
