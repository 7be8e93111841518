// Values that live outside the environment's file: the operator's process variables (only the names
// the operator allows), SSM parameters and CloudFormation stack outputs. The AWS lookups are a port
// (AwsLookups) that an adapter implements; what their answers mean (a StringList is a list, a
// SecureString is refused, a missing parameter is an error naming it) is decided here, once.
import type { JsonValue } from '../core/types.js';
import type { Findings } from '../desired/documents.js';
import { didYouMean } from '../desired/messages.js';
import { environmentPrefix } from './locator.js';
import type { EnvironmentDocument, LookupAccount, ValueSource, ValueType } from './model.js';
import { childSite, fromValue, type Node } from './tree.js';

/** The AWS target of an environment, its values substituted. Absent members: the operator's own. */
export interface EnvironmentTarget {
  region?: string;
  roleArn?: string;
  externalId?: string;
  instance?: string;
}

/** An SSM parameter as GetParameters returns it. */
export interface SsmParameter {
  type: 'String' | 'StringList' | 'SecureString';
  value: string;
}

/** Where a lookup is made: the account (the target's through its role, or the operator's own) and Region. */
export interface LookupScope {
  account: LookupAccount;
  /** The entry's region, else the target's; undefined: the operator's own. */
  region?: string;
  target?: EnvironmentTarget;
}

/** The AWS lookups port. A rejection is told as the entry's error (with the error's message). */
export interface AwsLookups {
  /** The parameters that exist among `names` (GetParameters, in batches), by name. */
  ssmParameters(names: readonly string[], scope: LookupScope): Promise<ReadonlyMap<string, SsmParameter>>;
  /** The outputs of a stack (DescribeStacks), by key; undefined when there is no such stack. */
  stackOutputs(stack: string, scope: LookupScope): Promise<ReadonlyMap<string, string> | undefined>;
}

/** What a render may read besides the files. */
export interface ValueLookups {
  /** Whether the operator allows a process variable to be read as a value. */
  allowsEnv(name: string): boolean;
  /** A process variable (only asked for allowed names); undefined when unset. */
  env(name: string): string | undefined;
  /** Absent: no AWS lookup is made, and an entry that needs one is an error. */
  aws?: AwsLookups;
}

/**
 * Lookups on the process's environment: a variable is allowed when `allowed` names it, or holds a
 * `PREFIX*` it starts with.
 */
export function processLookups(allowed: readonly string[], env: NodeJS.ProcessEnv = process.env, aws?: AwsLookups): ValueLookups {
  const allows = (name: string) => allowed.some((a) => (a.endsWith('*') ? name.startsWith(a.slice(0, -1)) : a === name));
  return { allowsEnv: allows, env: (name) => env[name], ...(aws ? { aws } : {}) };
}

/**
 * A value read from outside the file: its tree (every node at the entry's site) and whether it was
 * read in the target's account; `failed` when it could not be read (an error says why, and what
 * refers to it is not told again).
 */
export interface ReadValue {
  node: Node;
  inTarget: boolean;
  failed?: true;
}

/** Text read as the entry's type; a StringList parameter is a list unless the entry says otherwise. */
export function typed(text: string, type: ValueType | undefined, stringList = false): { value: JsonValue } | { problem: string } {
  const as = type ?? (stringList ? 'list' : 'string');
  switch (as) {
    case 'string':
      return { value: text };
    case 'number':
      return /^\s*-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(text) ? { value: Number(text) } : { problem: `${JSON.stringify(text)} is not a number` };
    case 'boolean':
      return text === 'true' || text === 'false' ? { value: text === 'true' } : { problem: `${JSON.stringify(text)} is not true or false` };
    case 'list':
      return { value: text.trim() === '' ? [] : text.split(',').map((item) => item.trim()) };
    case 'json':
      try {
        return { value: JSON.parse(text) as JsonValue };
      } catch (err) {
        return { problem: `is not JSON (${(err as Error).message})` };
      }
  }
}

/**
 * Reads the environment's valuesFrom entries of one phase: `operator` (process variables, and
 * lookups with account: operator, which the target may use) or `target` (lookups in the target's
 * account, made once the target is known). Pushes an error for each entry that cannot be read. A
 * variable the operator does not allow is an error, unless the entry has a default: then the default
 * is used, with a warning (so an environment renders the same wherever the variable is not allowed).
 */
export async function readSources(environment: EnvironmentDocument, phase: LookupAccount, lookups: ValueLookups, target: EnvironmentTarget | undefined, found: Findings): Promise<Map<string, ReadValue>> {
  const { errors } = found;
  const prefix = environmentPrefix(environment.name);
  const out = new Map<string, ReadValue>();
  const fail = (source: ValueSource, message: string, member = '') => {
    errors.push(source.at.locator.diagnostic(member ? childSite(source.at, member).pointer : source.at.pointer, `${prefix}${message}`));
    out.set(source.name, { node: fromValue(null, source.at, true), inTarget: phase === 'target', failed: true });
  };
  const put = (source: ValueSource, text: string, stringList = false) => {
    const result = typed(text, source.type, stringList);
    if ('problem' in result) fail(source, `value ${JSON.stringify(source.name)}: ${describe(source)} ${result.problem}`, source.type ? 'type' : '');
    else out.set(source.name, { node: fromValue(result.value, source.at, true), inTarget: phase === 'target' });
  };
  const mine = environment.valuesFrom.filter((s) => ('env' in s.from ? phase === 'operator' : s.from.account === phase));
  const aws = mine.filter((s) => !('env' in s.from));
  if (aws.length > 0 && !lookups.aws) {
    for (const source of aws) fail(source, `${describe(source)} needs an AWS lookup, which this command does not make: set ${JSON.stringify(source.name)} in values to render without AWS`);
    return out;
  }
  // In the operator's account the operator's own Region is the default, in the target's the target's.
  const scopeOf = (source: ValueSource): LookupScope => {
    const region = ('region' in source.from ? source.from.region : undefined) ?? (phase === 'target' ? target?.region : undefined);
    return { account: phase, ...(region ? { region } : {}), ...(target ? { target } : {}) };
  };
  // One GetParameters batch per account and Region, asked once for every entry of it.
  const batches = new Map<string, Promise<ReadonlyMap<string, SsmParameter>>>();
  const parameters = (source: ValueSource & { from: { ssm: string } }) => {
    const scope = scopeOf(source);
    const key = JSON.stringify([scope.account, scope.region]);
    let batch = batches.get(key);
    if (!batch) {
      const names = [...new Set(mine.filter((s) => 'ssm' in s.from && JSON.stringify([phase, scopeOf(s).region]) === key).map((s) => (s.from as { ssm: string }).ssm))];
      batch = lookups.aws!.ssmParameters(names, scope);
      batches.set(key, batch);
    }
    return batch;
  };
  // One DescribeStacks per stack, account and Region, whatever number of its outputs are read.
  const stacks = new Map<string, Promise<ReadonlyMap<string, string> | undefined>>();
  const outputsOf = (stack: string, scope: LookupScope) => {
    const key = JSON.stringify([stack, scope.account, scope.region]);
    if (!stacks.has(key)) stacks.set(key, lookups.aws!.stackOutputs(stack, scope));
    return stacks.get(key)!;
  };
  for (const source of mine) {
    const from = source.from;
    if ('env' in from) {
      if (!lookups.allowsEnv(from.env)) {
        const message = `process variable ${from.env} is not allowed: the operator reads only the variables it allows (--allow-env)`;
        if (!from.default) fail(source, message, 'env');
        else {
          found.warnings.push(source.at.locator.diagnostic(childSite(source.at, 'env').pointer, `${prefix}${message}; its default is used`, 'warning'));
          out.set(source.name, { node: from.default, inTarget: false });
        }
      } else {
        const text = lookups.env(from.env);
        if (text !== undefined) put(source, text);
        else if (from.default) out.set(source.name, { node: from.default, inTarget: false });
        else fail(source, `process variable ${from.env} is not set (give the entry a default to render without it)`, 'env');
      }
    } else if ('ssm' in from) {
      try {
        const parameter = (await parameters(source as ValueSource & { from: { ssm: string } })).get(from.ssm);
        if (!parameter) fail(source, `${describe(source)} does not exist${inRegion(scopeOf(source))}`, 'ssm');
        else if (parameter.type === 'SecureString') fail(source, `${describe(source)} is a SecureString: a secret is not a value (it would be written in clear into the task definition); refer to it in secrets[].valueFrom, which ECS resolves itself`, 'ssm');
        else put(source, parameter.value, parameter.type === 'StringList');
      } catch (err) {
        fail(source, `${describe(source)} could not be read: ${(err as Error).message}`, 'ssm');
      }
    } else {
      const { stack, output } = from.cloudFormation;
      try {
        const outputs = await outputsOf(stack, scopeOf(source));
        const text = outputs?.get(output);
        if (!outputs) fail(source, `CloudFormation stack ${JSON.stringify(stack)} does not exist${inRegion(scopeOf(source))}`, 'cloudFormation');
        else if (text === undefined) {
          const keys = [...outputs.keys()].sort();
          const hint = didYouMean(output, keys) || (keys.length ? ` (its outputs: ${keys.slice(0, 8).join(', ')}${keys.length > 8 ? ', ...' : ''})` : ' (it has no outputs)');
          fail(source, `CloudFormation stack ${JSON.stringify(stack)} has no output ${JSON.stringify(output)}${hint}`, 'cloudFormation');
        }
        else put(source, text);
      } catch (err) {
        fail(source, `${describe(source)} could not be read: ${(err as Error).message}`, 'cloudFormation');
      }
    }
  }
  return out;
}

function describe(source: ValueSource): string {
  const from = source.from;
  if ('env' in from) return `process variable ${from.env}`;
  if ('ssm' in from) return `SSM parameter ${JSON.stringify(from.ssm)}`;
  return `output ${JSON.stringify(from.cloudFormation.output)} of CloudFormation stack ${JSON.stringify(from.cloudFormation.stack)}`;
}

const inRegion = (scope: LookupScope) => `${scope.region ? ` in ${scope.region}` : ''}${scope.account === 'operator' ? " (the operator's account)" : ''}`;
