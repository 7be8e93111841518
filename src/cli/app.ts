// Wiring: AWS clients from the SDK's standard chain, the ports on them, and the kind handlers. The
// only place that knows which adapter serves which port.
import { createAwsClients, type AwsClients } from '../aws/clients.js';
import { SdkAutoScaling } from '../aws/autoscaling.js';
import { SdkEcs } from '../aws/ecs.js';
import { SdkElbv2 } from '../aws/elbv2.js';
import { DynamoLeaseStore } from '../aws/dynamodb-lease.js';
import type { WriteFence } from '../aws/write-fence.js';
import { UsageError } from '../core/errors.js';
import { createHandlers, type AwsPorts } from '../kinds/index.js';
import type { LeaseStore } from '../lease/lease-store.js';
import type { KindHandler } from '../runtime/kind-handler.js';

export interface App {
  aws: AwsClients;
  ports: AwsPorts;
  handlers: KindHandler[];
  close(): void;
}

export interface AppOptions {
  /** Multiplies the client-side AWS request budgets (1 = real AWS figures). */
  rateScale?: number;
  /** Aborts every AWS call in flight when it fires. */
  signal?: AbortSignal;
  /** Refuses every AWS write while this process is not the leader (leader election). */
  fence?: WriteFence;
}

export async function createApp(options: AppOptions = {}): Promise<App> {
  const aws = createAwsClients({
    rateScale: options.rateScale ?? 1, ...(options.signal ? { signal: options.signal } : {}), ...(options.fence ? { fence: options.fence } : {}),
  });
  try {
    await aws.ecs.config.region();
  } catch {
    aws.destroy();
    throw new UsageError('no AWS region: set AWS_REGION (or AWS_PROFILE with a region in ~/.aws/config)');
  }
  const ports = sdkPorts(aws);
  return { aws, ports, handlers: createHandlers(ports), close: () => aws.destroy() };
}

/** Every port on its AWS SDK adapter. */
export function sdkPorts(aws: AwsClients): AwsPorts {
  return { ecs: new SdkEcs(aws.ecs), autoscaling: new SdkAutoScaling(aws.autoscaling), elbv2: new SdkElbv2(aws.elbv2) };
}

/** The lease store of leader election (--lease-table), on its own DynamoDB client: never fenced, never paced. */
export function createLeaseStore(table: string): LeaseStore & { destroy(): void } {
  return new DynamoLeaseStore({ table });
}
