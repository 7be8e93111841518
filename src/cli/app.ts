// Wiring: AWS clients from the SDK's standard chain, the ports on them, and the kind handlers. The
// only place that knows which adapter serves which port.
import { createAwsClients, type AwsClients } from '../aws/clients.js';
import { credentialChainDetail } from '../aws/errors.js';
import { targetCredentials } from '../aws/targets.js';
import { SdkAutoScaling } from '../aws/autoscaling.js';
import { ecsPorts } from '../aws/ecs/ports.js';
import { SdkElbv2 } from '../aws/elbv2.js';
import { DynamoLeaseStore } from '../aws/dynamodb-lease.js';
import type { WriteFence } from '../aws/write-fence.js';
import { UsageError } from '../core/errors.js';
import type { KindRulebook } from '../desired/kind-rules.js';
import type { KindRegistry } from '../kinds/kind-module.js';
import { KIND_REGISTRY, type AwsPorts } from '../kinds/registry.js';
import type { LeaseStore } from '../lease/lease-store.js';
import type { KindHandler } from '../runtime/kind-handler.js';

export interface App {
  aws: AwsClients;
  ports: AwsPorts;
  /** Every kind's handler over the ports, in creation order. */
  handlers: KindHandler[];
  /** The kinds' manifest rules, for loading revisions. */
  rules: KindRulebook;
  close(): void;
}

/** Which AWS account and region the command works in: the --region and --profile flags. */
export interface AwsTarget {
  region?: string;
  profile?: string;
}

/** An environment's target on top of the command's own settings: a role to assume (its account) and external id. */
export interface AssumedRole {
  roleArn?: string;
  externalId?: string;
}

export interface AppOptions extends AwsTarget, AssumedRole {
  /** Multiplies the client-side pacing's refill rates (1 = the published AWS figures; bursts are never scaled). */
  rateScale?: number;
  /** Aborts every AWS call in flight when it fires. */
  signal?: AbortSignal;
  /** Refuses every AWS write while this process is not the leader (leader election). */
  fence?: WriteFence;
}

/**
 * The clients, ports and handlers, once a region and credentials are known: without them every
 * resource would fail on its own with a network error, so their absence is one usage error here,
 * naming what was tried.
 */
export async function createApp(options: AppOptions = {}, kinds: KindRegistry<AwsPorts> = KIND_REGISTRY): Promise<App> {
  const credentials = targetCredentials(options);
  const aws = createAwsClients({
    rateScale: options.rateScale ?? 1,
    ...(credentials ? { credentials } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.fence ? { fence: options.fence } : {}),
    ...(options.region ? { region: options.region } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
  });
  const profile = options.profile ?? process.env.AWS_PROFILE ?? 'default';
  try {
    await aws.ecs.config.region();
  } catch {
    aws.destroy();
    throw new UsageError(`no AWS region: set --region, AWS_REGION or AWS_DEFAULT_REGION, or a region in the profile "${profile}" (~/.aws/config)`);
  }
  try {
    await aws.ecs.config.credentials();
  } catch (err) {
    aws.destroy();
    if (options.roleArn) throw new UsageError(`cannot assume the role ${options.roleArn}${options.externalId ? ' (with its external id)' : ''}: ${(err as Error).message}`);
    throw new UsageError(noCredentials(profile, err));
  }
  const ports = sdkPorts(aws);
  return { aws, ports, handlers: kinds.handlers(ports), rules: kinds.rules, close: () => aws.destroy() };
}

/** What the SDK's credential chain tried, in its order, and its own word when it says more than "none". */
function noCredentials(profile: string, err: unknown): string {
  const said = credentialChainDetail(err);
  const detail = said ? ` (${said})` : '';
  return `no AWS credentials${detail}: tried AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, the profile "${profile}" `
    + '(--profile or AWS_PROFILE, in ~/.aws/credentials and ~/.aws/config), web identity (AWS_WEB_IDENTITY_TOKEN_FILE), '
    + 'container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or _FULL_URI) and the instance metadata service';
}

/** Every port on its AWS SDK adapter. */
export function sdkPorts(aws: AwsClients): AwsPorts {
  return { ecs: ecsPorts(aws.ecs, aws.ecsOnce), autoscaling: new SdkAutoScaling(aws.autoscaling), elbv2: new SdkElbv2(aws.elbv2) };
}

/** The lease store of leader election (--lease-table), on its own DynamoDB client: never fenced, never paced. */
export function createLeaseStore(table: string, aws: Pick<AppOptions, 'region' | 'profile'> = {}): LeaseStore & { destroy(): void } {
  return new DynamoLeaseStore({ table, ...(aws.region ? { region: aws.region } : {}), ...(aws.profile ? { profile: aws.profile } : {}) });
}
