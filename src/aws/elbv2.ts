// The narrow port to Elastic Load Balancing v2 that service load balancer bindings need, and its
// adapter on the AWS SDK v3: whether a target group exists (DescribeTargetGroups, many ARNs a call)
// and the health of the targets registered in one (DescribeTargetHealth, one group a call). Reads
// are coalesced and freshness-aware like every other read (see batch-reader.ts).
import {
  DescribeTargetGroupsCommand, DescribeTargetHealthCommand,
  type ElasticLoadBalancingV2Client, type TargetGroup, type TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { StalledError } from '../core/errors.js';
import { BatchReader } from './batch-reader.js';
import { isNotFoundError, toOperatorError } from './errors.js';

/** One target registered in a target group, with its health as the load balancer sees it. */
export interface TargetHealth {
  id: string;
  port?: number;
  /** initial, healthy, unhealthy, unhealthy.draining, unused, draining or unavailable. */
  state: string;
  /** e.g. Target.Timeout, Target.ResponseCodeMismatch, Elb.RegistrationInProgress. */
  reason?: string;
  description?: string;
}

/** One DescribeTargetHealth item as a TargetHealth (a target without a state counts as unavailable). */
export function targetHealthOf(d: TargetHealthDescription): TargetHealth {
  return {
    id: d.Target?.Id ?? '',
    ...(d.Target?.Port !== undefined ? { port: d.Target.Port } : {}),
    state: d.TargetHealth?.State ?? 'unavailable',
    ...(d.TargetHealth?.Reason ? { reason: d.TargetHealth.Reason } : {}),
    ...(d.TargetHealth?.Description ? { description: d.TargetHealth.Description } : {}),
  };
}

export interface Elbv2Port {
  /**
   * Whether the target group exists, known no earlier than `notBefore`. A StalledError
   * (InvalidParameter) when ELB refuses the ARN itself (malformed): that answer is this ARN's alone.
   */
  targetGroupExists(arn: string, notBefore: number): Promise<boolean>;
  /** Learns whether each of these target groups exists in as few calls as the API allows. */
  prefetchTargetGroups(arns: string[]): Promise<void>;
  /**
   * The targets registered in a target group and their health, read no earlier than `notBefore`;
   * undefined when the target group does not exist. Asks for one group made in the same tick share
   * one call (a later ask while it is in flight makes its own).
   */
  targetHealth(arn: string, notBefore: number): Promise<TargetHealth[] | undefined>;
}

/**
 * ARNs per DescribeTargetGroups call. The API states no limit on TargetGroupArns; 20 keeps each
 * call small, and a batch that fails on an unknown or malformed ARN cheap to ask again one by one.
 */
const TARGET_GROUPS_PER_CALL = 20;

/** What DescribeTargetGroups says of one ARN: the group, or the refusal of a malformed ARN. */
type GroupAnswer = TargetGroup | StalledError;

export class SdkElbv2 implements Elbv2Port {
  private readonly groups: BatchReader<GroupAnswer>;
  private readonly health: BatchReader<TargetHealth[]>;

  constructor(private readonly client: ElasticLoadBalancingV2Client) {
    this.groups = new BatchReader<GroupAnswer>({ maxBatch: TARGET_GROUPS_PER_CALL, fetch: (_g, arns) => this.describeGroups(arns) });
    // Grouped by target group: each group is its own call, and asks in the same tick share it.
    this.health = new BatchReader<TargetHealth[]>({ maxBatch: 2, fetch: (arn) => this.describeHealth(arn) });
  }

  async targetGroupExists(arn: string, notBefore: number): Promise<boolean> {
    const answer = await this.groups.get('', arn, notBefore);
    if (answer instanceof StalledError) throw answer;
    return answer !== undefined;
  }

  prefetchTargetGroups(arns: string[]): Promise<void> {
    return this.groups.prefetch('', arns);
  }

  targetHealth(arn: string, notBefore: number): Promise<TargetHealth[] | undefined> {
    return this.health.get(arn, arn, notBefore);
  }

  /**
   * The groups found among `arns`, and the refusal of each malformed ARN. AWS fails the whole call
   * when one ARN is unknown or malformed, so a batch failing so is asked again one ARN at a time:
   * the other ARNs get their answer, and only the services binding the bad one stall.
   */
  private async describeGroups(arns: string[]): Promise<Map<string, GroupAnswer>> {
    const found = new Map<string, GroupAnswer>();
    try {
      const out = await this.client.send(new DescribeTargetGroupsCommand({ TargetGroupArns: arns }));
      for (const group of out.TargetGroups ?? []) if (group.TargetGroupArn) found.set(group.TargetGroupArn, group);
      return found;
    } catch (err) {
      const mapped = toOperatorError(err, 'DescribeTargetGroups');
      // TargetGroupNotFound for an unknown ARN, ValidationError for a malformed one.
      const oneArn = mapped instanceof StalledError && (mapped.reason === 'NotFound' || mapped.reason === 'InvalidParameter');
      if (!oneArn) throw mapped;
      if (arns.length === 1) {
        if (mapped.reason === 'InvalidParameter') found.set(arns[0]!, mapped);
        return found;
      }
    }
    const singles = await Promise.all(arns.map((arn) => this.describeGroups([arn])));
    for (const single of singles) for (const [arn, group] of single) found.set(arn, group);
    return found;
  }

  private async describeHealth(arn: string): Promise<Map<string, TargetHealth[]>> {
    try {
      const out = await this.client.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
      return new Map([[arn, (out.TargetHealthDescriptions ?? []).map(targetHealthOf)]]);
    } catch (err) {
      if (isNotFoundError(err)) return new Map();
      throw toOperatorError(err, 'DescribeTargetHealth');
    }
  }
}
