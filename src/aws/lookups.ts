// The AWS lookups of Environments' valuesFrom (the AwsLookups port): SSM GetParameters in batches of
// ten (its limit), CloudFormation DescribeStacks once per stack. Each account (the operator's own, or
// a target's through its role) and Region gets its own clients, made on first use. Nothing is cached
// here across renders: every render (each revision, each resync) reads the values afresh, so that a
// changed parameter is seen like a commit; within one render, readSources asks each batch and stack once.
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { AwsLookups, LookupScope, SsmParameter } from '../environments/lookups.js';
import { targetConfig } from './targets.js';

/** GetParameters takes at most this many names. */
export const SSM_BATCH = 10;

export interface SdkLookupsOptions {
  /** The operator's own Region and profile (--region, --profile); absent: the SDK's chain. */
  region?: string;
  profile?: string;
  /** Counts every lookup call (by API and operation), as the other clients' calls are counted. */
  record?: (api: 'ssm' | 'cloudformation', operation: string) => void;
}

interface ScopeClients {
  ssm: SSMClient;
  cloudFormation: CloudFormationClient;
}

const isMissingStack = (err: unknown) => (err as { name?: string }).name === 'ValidationError' && /does not exist/.test((err as Error).message);

export class SdkLookups implements AwsLookups {
  private readonly clients = new Map<string, ScopeClients>();

  constructor(private readonly options: SdkLookupsOptions = {}) {}

  async ssmParameters(names: readonly string[], scope: LookupScope): Promise<ReadonlyMap<string, SsmParameter>> {
    const { ssm } = this.clientsFor(scope);
    const out = new Map<string, SsmParameter>();
    for (let i = 0; i < names.length; i += SSM_BATCH) {
      // Never decrypted: a SecureString is refused as a value, its plain text is not wanted here.
      const answer = await ssm.send(new GetParametersCommand({ Names: names.slice(i, i + SSM_BATCH), WithDecryption: false }));
      this.options.record?.('ssm', 'GetParameters');
      for (const p of answer.Parameters ?? []) {
        if (p.Name === undefined || p.Value === undefined) continue;
        out.set(p.Name, { type: (p.Type ?? 'String') as SsmParameter['type'], value: p.Value });
      }
    }
    return out;
  }

  async stackOutputs(stack: string, scope: LookupScope): Promise<ReadonlyMap<string, string> | undefined> {
    const { cloudFormation } = this.clientsFor(scope);
    try {
      const answer = await cloudFormation.send(new DescribeStacksCommand({ StackName: stack }));
      this.options.record?.('cloudformation', 'DescribeStacks');
      const found = answer.Stacks?.[0];
      if (!found) return undefined;
      return new Map((found.Outputs ?? []).filter((o) => o.OutputKey !== undefined).map((o) => [o.OutputKey!, o.OutputValue ?? '']));
    } catch (err) {
      this.options.record?.('cloudformation', 'DescribeStacks');
      if (isMissingStack(err)) return undefined;
      throw err;
    }
  }

  /** Closes every client made. */
  destroy(): void {
    for (const c of this.clients.values()) {
      c.ssm.destroy();
      c.cloudFormation.destroy();
    }
    this.clients.clear();
  }

  /** The clients of a scope: the target's role when the lookup is in the target's account, else the operator's own credentials. */
  private clientsFor(scope: LookupScope): ScopeClients {
    const inTarget = scope.account === 'target';
    const access = {
      region: scope.region ?? (inTarget ? scope.target?.region : undefined) ?? this.options.region,
      ...(inTarget && scope.target?.roleArn ? { roleArn: scope.target.roleArn } : {}),
      ...(inTarget && scope.target?.externalId ? { externalId: scope.target.externalId } : {}),
      ...(this.options.profile ? { profile: this.options.profile } : {}),
    };
    const key = JSON.stringify([access.region, access.roleArn, access.externalId]);
    let clients = this.clients.get(key);
    if (!clients) {
      const config = { ...targetConfig(access), maxAttempts: 4 };
      clients = { ssm: new SSMClient(config), cloudFormation: new CloudFormationClient(config) };
      this.clients.set(key, clients);
    }
    return clients;
  }
}
