// Builds the AWS SDK clients the adapters use. Region, credentials and endpoint come from the SDK's
// standard chain (AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL, container and instance credentials),
// with AWS_DEFAULT_REGION after AWS_REGION (as the AWS CLI reads it) and an explicit region or
// profile first when given; this file also adds the operator's accounting and pacing to every request.
import { ECSClient } from '@aws-sdk/client-ecs';
import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { AwsApi } from './stats.js';
import type { CredentialProvider } from './targets.js';
import { AwsCallStats } from './stats.js';
import { RequestPacer, type PacingState } from './pacing.js';
import { isThrottlingError } from './errors.js';
import { reportAccessDenied, type MiddlewareClient } from './access-denied.js';
import { admitWrite, type WriteFence } from './write-fence.js';

export interface AwsClientOptions {
  /** The region; default AWS_REGION, then AWS_DEFAULT_REGION, then the profile's. */
  region?: string;
  /** The shared config profile for credentials and region; default AWS_PROFILE, then `default`. */
  profile?: string;
  /** Credentials other than the standard chain's (an assumed role's, targets.ts); the profile is then not read for them. */
  credentials?: CredentialProvider;
  stats?: AwsCallStats;
  /** Refill-rate multiplier for the client-side pacing (1 = the published AWS figures, Infinity = off); bursts are never scaled. */
  rateScale?: number;
  /** Per-request timeout; a hung connection becomes a retryable error. */
  requestTimeoutMs?: number;
  maxAttempts?: number;
  /** Aborts every AWS call in flight when it fires (a shutdown past its grace period). */
  signal?: AbortSignal;
  /** Refuses writes while this process is not the leader (write-fence.ts). None: every write goes out. */
  fence?: WriteFence;
}

export interface AwsClients {
  ecs: ECSClient;
  /**
   * The same ECS client without the SDK's retries, for writes that are not idempotent
   * (RegisterTaskDefinition): their adapter decides itself whether to send again (see SdkEcs).
   */
  ecsOnce: ECSClient;
  autoscaling: ApplicationAutoScalingClient;
  elbv2: ElasticLoadBalancingV2Client;
  stats: AwsCallStats;
  /** Every pacing bucket's refill rate in force (lowered while AWS throttles), for the metrics. */
  pacing(): PacingState[];
  destroy(): void;
}

interface StackClient {
  middlewareStack: {
    add(
      middleware: (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => Promise<unknown>,
      options: { step: 'finalizeRequest'; priority: 'low'; name: string },
    ): void;
  };
}

/**
 * Counts and paces every attempt: added after the SDK's retry middleware in the same step, so a
 * retried request is paced and counted once per attempt, as AWS counts it against the budget. A
 * throttled attempt slows its bucket down; any other answer lets it recover. The write fence is
 * asked after the pacing wait, so that a write held back by the budget is checked when it really
 * leaves; a refused write is not counted, as it never reached AWS.
 */
function instrument(client: StackClient, api: AwsApi, stats: AwsCallStats, pacer: RequestPacer, fence: WriteFence | undefined): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
      await pacer.acquire(api, operation);
      const settled = admitWrite(fence, operation);
      try {
        const out = await next(args);
        pacer.succeeded(api, operation);
        stats.record(api, operation, 'ok');
        return out;
      } catch (err) {
        const throttled = isThrottlingError(err);
        if (throttled) pacer.throttled(api, operation);
        else pacer.succeeded(api, operation);
        stats.record(api, operation, throttled ? 'throttled' : 'error');
        throw err;
      } finally {
        settled?.();
      }
    },
    { step: 'finalizeRequest', priority: 'low', name: 'ecsOperatorAccounting' },
  );
}

/** Every `send` of the client carries `signal`, so that one abort cuts off every call in flight. */
function abortable(client: { send: (...args: never[]) => unknown }, signal: AbortSignal): void {
  const send = client.send.bind(client) as (command: unknown, options?: object) => unknown;
  (client as { send: unknown }).send = (command: unknown, options?: object) => send(command, { abortSignal: signal, ...options });
}

export function createAwsClients(options: AwsClientOptions = {}): AwsClients {
  const stats = options.stats ?? new AwsCallStats();
  // A shutdown's cut-off also ends the waits for a token: nothing queued behind a slowed bucket outlives it.
  const pacer = new RequestPacer(options.rateScale ?? 1, options.signal);
  const region = options.region ?? (process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || undefined);
  const config = {
    maxAttempts: options.maxAttempts ?? 4,
    requestHandler: { requestTimeout: options.requestTimeoutMs ?? 15_000, connectionTimeout: 5_000 },
    ...(region ? { region } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  };
  const ecs = new ECSClient(config);
  const ecsOnce = new ECSClient({ ...config, maxAttempts: 1 });
  const autoscaling = new ApplicationAutoScalingClient(config);
  const elbv2 = new ElasticLoadBalancingV2Client(config);
  instrument(ecs as unknown as StackClient, 'ecs', stats, pacer, options.fence);
  instrument(ecsOnce as unknown as StackClient, 'ecs', stats, pacer, options.fence);
  instrument(autoscaling as unknown as StackClient, 'application-autoscaling', stats, pacer, options.fence);
  instrument(elbv2 as unknown as StackClient, 'elbv2', stats, pacer, options.fence);
  for (const client of [ecs, ecsOnce, autoscaling, elbv2]) reportAccessDenied(client as unknown as MiddlewareClient);
  if (options.signal) for (const client of [ecs, ecsOnce, autoscaling, elbv2]) abortable(client, options.signal);
  return {
    ecs,
    ecsOnce,
    autoscaling,
    elbv2,
    stats,
    pacing: () => pacer.state(),
    destroy() {
      ecs.destroy();
      ecsOnce.destroy();
      autoscaling.destroy();
      elbv2.destroy();
    },
  };
}
