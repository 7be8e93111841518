// The flags of `run`. Every one also reads an environment variable, ECS_OPERATOR_<FLAG>, for
// containers (--resync-interval: ECS_OPERATOR_RESYNC_INTERVAL; booleans take true or false). A flag
// on the command line wins. A secret-file option's secret may also be given by value (secretOf).
import { Option } from 'commander';
import { UsageError } from '../core/errors.js';
import type { DriftPolicy } from '../core/types.js';
import { envSecret, fileSecret, type Secret } from '../core/secret.js';

export interface RunFlags {
  source: string;
  resyncInterval: number;
  listen: string;
  instance: string;
  adopt: boolean;
  drift: DriftPolicy;
  region?: string;
  profile?: string;
  apiTokenFile?: string;
  concurrency: number;
  awsRateScale: number;
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent';
  shutdownGrace: number;
  debounce: number;
  settle: number;
  watchPoll: boolean;
  prune: boolean;
  pruneMax: number;
  pruneAllowEmpty: boolean;
  pruneAdopted: boolean;
  alertWebhook?: string;
  alertWebhookSecretFile?: string;
  ref?: string;
  path?: string;
  pollInterval: number;
  gitTokenFile?: string;
  gitCacheDir?: string;
  gitTimeout: number;
  webhookSecretFile?: string;
  leaseTable?: string;
  leaseName?: string;
  leaseDuration: number;
  leaseRenewInterval: number;
}

export interface Parsers {
  duration(value: string): number;
  positiveInt(value: string): number;
  rateScale(value: string): number;
}

/** --region and --profile: every command that talks to AWS has them. */
export function awsOptions(): Option[] {
  return [
    new Option('--region <region>', 'AWS region; default: AWS_REGION, then AWS_DEFAULT_REGION, then the profile\'s region'),
    new Option('--profile <name>', 'shared config profile (~/.aws/config, ~/.aws/credentials) for credentials and region; default: AWS_PROFILE, then "default"'),
  ];
}

/** A repeatable option that also takes comma-separated lists. */
export const list = (value: string, previous: string[] = []) => [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];

/** Which process variables an Environment's valuesFrom may read (render, diff, apply, run). */
export function allowEnvOption(): Option {
  return new Option('--allow-env <names>', 'process variables an Environment\'s valuesFrom may read: names, or PREFIX* (repeatable, comma-separated; default: none)').argParser(list);
}

/** The options `apply` and `run` share (ownership, throughput, prune, logging), defined once. */
export function sharedOptions(p: Parsers, logLevel: 'info' | 'warn'): Option[] {
  return [
    new Option('--instance <name>', 'operator instance: the value of the managed-by tag').default('default'),
    new Option('--no-adopt', 'do not adopt existing resources not tagged by this instance'),
    new Option('--concurrency <n>', 'resources reconciled at once').argParser(p.positiveInt).default(8),
    new Option('--aws-rate-scale <factor>', 'multiply the client-side pacing\'s refill rates; bursts stay as AWS publishes them ("off" to disable pacing)').argParser(p.rateScale).default(1),
    new Option('--prune', 'delete resources this instance owns whose manifests are gone (off by default)'),
    new Option('--prune-max <n>', 'refuse to prune more than this many resources at once').argParser(p.positiveInt).default(5),
    new Option('--prune-allow-empty', 'prune even when the manifests declare no resources at all'),
    new Option('--prune-adopted', 'prune also resources that existed before this instance adopted them (by default only those it created)'),
    new Option('--log-level <level>', 'JSON log level on stderr').choices(['trace', 'debug', 'info', 'warn', 'error', 'silent']).default(logLevel),
  ];
}

const env = (flag: string) => `ECS_OPERATOR_${flag.replace(/-/g, '_').toUpperCase()}`;

/**
 * The secret-file options of `run`. Each one's secret may instead be given by value in the variable
 * named like the option without `-file` (--git-token-file: ECS_OPERATOR_GIT_TOKEN), which is how ECS
 * injects secrets from Secrets Manager or SSM; the file can come from ECS_OPERATOR_GIT_TOKEN_FILE,
 * like every flag. A new secret-file option is added here and read with secretOf.
 */
export const SECRET_FILE_OPTIONS = ['git-token-file', 'webhook-secret-file', 'alert-webhook-secret-file', 'api-token-file'] as const;
export type SecretFileOption = (typeof SECRET_FILE_OPTIONS)[number];

/** The variable that gives a secret-file option's secret by value: ECS_OPERATOR_GIT_TOKEN for git-token-file. */
export function secretVariable(option: SecretFileOption): string {
  return env(option.replace(/-file$/, ''));
}

/**
 * The secret of a secret-file option: the file the flag names, or the value of its variable;
 * undefined when neither is given. Both at once, or an empty value, is a usage error (a secret from
 * two places is most likely a stale one). The value is never part of any message.
 */
export function secretOf(flags: Partial<RunFlags>, option: SecretFileOption, environment: NodeJS.ProcessEnv = process.env): Secret | undefined {
  const attribute = option.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()) as keyof RunFlags;
  const file = flags[attribute] as string | undefined;
  const variable = secretVariable(option);
  const value = environment[variable];
  if (value === undefined) return file === undefined ? undefined : fileSecret(file, `--${option}`);
  if (file !== undefined) throw new UsageError(`--${option} and ${variable} both give the secret: set only one of them`);
  if (!value.trim()) throw new UsageError(`${variable} is set but empty`);
  return envSecret(variable, value);
}

/** `environment` without the variables that carry secrets by value: what child processes (git) get. */
export function withoutSecretValues(environment: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const secrets = new Set<string>(SECRET_FILE_OPTIONS.map(secretVariable));
  return Object.fromEntries(Object.entries(environment).filter(([name]) => !secrets.has(name)));
}

/** A secret-file option, its help saying where else the secret may come from. */
function secretFileOption(option: SecretFileOption, description: string): Option {
  return new Option(`--${option} <file>`, `${description}; or the secret itself in ${secretVariable(option)}`);
}

export function runOptions(p: Parsers): Option[] {
  const options = [
    new Option('--source <dir|url>', 'folder of manifests, or a Git repository: https://, ssh://, git@host:path, file:// or a bare repository path ending in .git').makeOptionMandatory(),
    new Option('--resync-interval <duration>', 're-read and reconcile everything this often (jittered)').argParser(p.duration).default(300_000, '5m'),
    new Option('--listen <host:port>', 'address of the status page, /metrics, /healthz, /readyz and /api/v1/status (0.0.0.0:8080 in a container)').default('127.0.0.1:8080'),
    secretFileOption('api-token-file', 'require "Authorization: Bearer <token>" (the file\'s content) on /api/*, /metrics and the status page\'s data; /healthz, /readyz and /hooks/git stay open'),
    new Option('--drift <policy>', 'what live changes Git did not ask for get, unless annotated').choices(['heal', 'alert', 'ignore']).default('heal'),
    ...awsOptions(),
    ...sharedOptions(p, 'info'),
    new Option('--shutdown-grace <duration>', 'on SIGTERM, how long passes in flight may take to finish').argParser(p.duration).default(30_000, '30s'),
    new Option('--debounce <duration>', 'quiet time after a file change before the folder is read').argParser(p.duration).default(300, '300ms'),
    new Option('--settle <duration>', 'a folder read is applied only once no file or folder in it changed for this long (else read again later)').argParser(p.duration).default(2_000, '2s'),
    new Option('--watch-poll', 'poll the folder instead of file system events (network or container volumes)'),
    new Option('--alert-webhook <url>', 'POST every alert here as JSON with a Slack-compatible "text" (alerts always go to the log)'),
    secretFileOption('alert-webhook-secret-file', 'sign alert webhook bodies with HMAC-SHA256 using the key in this file (header X-Ecs-Operator-Signature)'),
    new Option('--ref <ref>', 'Git: branch, tag or full commit SHA (a commit is fetched once, never polled); default: the remote\'s HEAD'),
    new Option('--path <dir>', 'Git: folder inside the repository that holds the manifests; default: the root'),
    new Option('--poll-interval <duration>', 'Git: fetch this often (jittered; failures back off up to 5m)').argParser(p.duration).default(60_000, '1m'),
    secretFileOption('git-token-file', 'Git over https: file holding a token (or USER:TOKEN), sent as an Authorization header; re-read at every fetch'),
    new Option('--git-cache-dir <dir>', 'Git: where the shallow clones are kept; default: $XDG_CACHE_HOME/ecs-operator/git or ~/.cache/ecs-operator/git'),
    new Option('--git-timeout <duration>', 'Git: deadline of every git command').argParser(p.duration).default(60_000, '1m'),
    secretFileOption('webhook-secret-file', 'secret of POST /hooks/git (GitHub X-Hub-Signature-256 or GitLab X-Gitlab-Token); without it the endpoint answers 404'),
    new Option('--lease-table <name>', 'leader election: the DynamoDB table of the lease (created when missing); only the process holding the lease reconciles, the others stand by'),
    new Option('--lease-name <name>', 'leader election: the lease\'s key in the table; default: the --instance value'),
    new Option('--lease-duration <duration>', 'leader election: how long an acquisition or renewal holds the lease').argParser(p.duration).default(15_000, '15s'),
    new Option('--lease-renew-interval <duration>', 'leader election: how often the leader renews the lease').argParser(p.duration).default(5_000, '5s'),
  ];
  // Commander sets a boolean option when its variable merely exists, so ECS_OPERATOR_PRUNE=false
  // would mean "on": boolean variables are read for their value by booleanEnv instead.
  for (const option of options) {
    if (!isBoolean(option)) option.env(envName(option));
    else option.description += ` (env: ${envName(option)}=true|false)`;
  }
  return options;
}

function isBoolean(option: Option): boolean {
  return !option.required && !option.optional;
}

function envName(option: Option): string {
  return env(option.long!.replace(/^--(no-)?/, option.negate ? 'no-' : ''));
}

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off', '']);

/**
 * Applies the boolean options' environment variables (true/1/yes/on, false/0/no/off) to parsed
 * values a flag on the command line did not set. Any other value is a usage error.
 */
export function booleanEnv(options: readonly Option[], values: Record<string, unknown>, fromCli: (attribute: string) => boolean): void {
  for (const option of options.filter(isBoolean)) {
    const name = envName(option);
    const raw = process.env[name];
    const attribute = option.attributeName();
    if (raw === undefined || fromCli(attribute)) continue;
    const text = raw.trim().toLowerCase();
    if (!TRUE.has(text) && !FALSE.has(text)) throw new UsageError(`${name}=${raw}: expected true or false`);
    // ECS_OPERATOR_NO_ADOPT=true turns adopt off; ECS_OPERATOR_PRUNE=true turns prune on.
    values[attribute] = option.negate ? !TRUE.has(text) : TRUE.has(text);
  }
}
