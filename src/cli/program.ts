// The command line: parsing and help (commander), options compiled once, then one command function.
// Returns the exit code; only main.ts exits.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { parseDuration } from '../core/duration.js';
import { UsageError } from '../core/errors.js';
import { createLogger, type LogLevel } from '../core/log.js';
import { applyCommand } from './apply.js';
import { diffCommand } from './diff.js';
import { validateCommand } from './validate.js';
import { runCommand } from './run.js';
import { booleanEnv, runOptions, sharedOptions } from './run-options.js';

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

const outputOption = () => new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text');
const instanceOption = () => new Option('--instance <name>', 'operator instance: the value of the managed-by tag').default('default');
const logLevelOption = () => new Option('--log-level <level>', 'log level of the JSON log on stderr')
  .choices(['trace', 'debug', 'info', 'warn', 'error', 'silent']);

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('ecs-operator')
    .description('GitOps for Amazon ECS: reconcile clusters, task definitions, services and auto scaling from manifests')
    .version(VERSION)
    .showHelpAfterError()
    .exitOverride();

  program.command('validate')
    .description('check manifests: exit 0 valid, 1 invalid (errors as file:line:col: message), 2 usage error')
    .argument('<paths...>', 'manifest files or folders')
    .addOption(outputOption())
    .action(async (paths: string[], o) => setExit(await validateCommand(paths, { output: o.output })));

  program.command('diff')
    .description('show what apply would change, as a unified diff: exit 0 in sync, 1 differences, 2 error')
    .argument('<paths...>', 'manifest files or folders')
    .addOption(outputOption())
    .addOption(instanceOption())
    .option('--no-adopt', 'treat existing resources not tagged by this instance as not ours')
    .option('--no-color', 'plain output even on a terminal')
    .addOption(logLevelOption().default('warn'))
    .action(async (paths: string[], o) => setExit(await diffCommand(paths, {
      output: o.output, color: o.color === false ? false : undefined, instance: o.instance, adopt: o.adopt, log: createLogger(o.logLevel as LogLevel),
    })));

  const apply = program.command('apply')
    .description('reconcile once and wait until every resource is Synced and rolled out: exit 0 converged, 1 not')
    .argument('<paths...>', 'manifest files or folders')
    .addOption(outputOption())
    .option('--no-wait', 'return once the writes are made, without waiting for rollouts')
    .addOption(new Option('--timeout <duration>', 'give up waiting after this long').argParser(duration).default(600_000, '10m'));
  for (const option of sharedOptions({ duration, positiveInt, rateScale }, 'warn')) apply.addOption(option);
  apply
    .action(async (paths: string[], o) => setExit(await applyCommand(paths, {
      output: o.output, wait: o.wait, timeoutMs: o.timeout, instance: o.instance, adopt: o.adopt,
      concurrency: o.concurrency, rateScale: o.awsRateScale, prune: Boolean(o.prune), pruneMax: o.pruneMax, pruneAllowEmpty: Boolean(o.pruneAllowEmpty),
      pruneAdopted: Boolean(o.pruneAdopted),
      log: createLogger(o.logLevel as LogLevel),
    })));

  const run = program.command('run')
    .description('the long-running controller: watch a folder or a Git repository and keep AWS in sync with it');
  const options = runOptions({ duration, positiveInt, rateScale });
  for (const option of options) run.addOption(option);
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
    if (err instanceof UsageError) {
      process.stderr.write(`error: ${err.message}\n`);
      return 2;
    }
    const e = err as NodeJS.ErrnoException;
    if (e?.code === 'ENOENT') {
      process.stderr.write(`error: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`error: ${e?.stack ?? String(err)}\n`);
    return 2;
  }
}
