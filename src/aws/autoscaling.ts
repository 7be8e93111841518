// The narrow port to Application Auto Scaling for ECS services' desired count, and its adapter on the
// AWS SDK v3. Everything crosses the port in the manifest's lowerCamelCase (see member-case.ts).
// Reads are batched: DescribeScalableTargets 50 resource ids a call; policies and scheduled actions
// one call per target or one namespace listing, whichever is cheaper (see scoped-listing.ts). Every
// write is a put or a delete that takes "already gone" for done: the SDK may repeat any of them.
import {
  ApplicationAutoScalingClient, DeleteScalingPolicyCommand, DeleteScheduledActionCommand,
  DeregisterScalableTargetCommand, ListTagsForResourceCommand, paginateDescribeScalableTargets, paginateDescribeScalingPolicies,
  paginateDescribeScheduledActions, PutScalingPolicyCommand, PutScheduledActionCommand, RegisterScalableTargetCommand,
  TagResourceCommand, UntagResourceCommand, type PutScalingPolicyCommandInput, type PutScheduledActionCommandInput,
  type RegisterScalableTargetCommandInput,
} from '@aws-sdk/client-application-auto-scaling';
import type { JsonObject } from '../core/types.js';
import { RetryableError } from '../core/errors.js';
import { toJson } from '../normalize/common.js';
import { BatchReader } from './batch-reader.js';
import { awsCall, isNotFoundError, isScalableResourceNotVisible, toOperatorError } from './errors.js';
import { toCamelMembers, toPascalMembers } from './member-case.js';
import { allItems, pagesOf, type Page } from './paging.js';
import { ScopedListing } from './scoped-listing.js';
import type { TaggingPort } from './tagging.js';

export const ECS_SERVICE_NAMESPACE = 'ecs' as const;
export const ECS_DESIRED_COUNT = 'ecs:service:DesiredCount' as const;

/** `service/<cluster>/<service>`: how Application Auto Scaling names an ECS service. */
export function ecsServiceResourceId(cluster: string, service: string): string {
  return `service/${cluster}/${service}`;
}

/** The auto scaling of one ECS service, as AWS describes it (lowerCamelCase, timestamps as ISO text). */
export interface ServiceScaling {
  resourceId: string;
  /** The DescribeScalableTargets item; undefined when the service has no scalable target. */
  target: JsonObject | undefined;
  /** DescribeScalingPolicies items of the target (with policyARN, alarms, creationTime...). */
  policies: JsonObject[];
  /** DescribeScheduledActions items of the target. */
  scheduledActions: JsonObject[];
}

export interface AutoScalingPort extends TaggingPort {
  /** The scaling of one service (by resource id), read no earlier than `notBefore`. */
  getScaling(resourceId: string, notBefore: number): Promise<ServiceScaling>;
  /** Reads the scaling of many services in as few calls as the API allows, for the next gets. */
  prefetchScaling(resourceIds: string[]): Promise<void>;
  /** RegisterScalableTarget: creates or updates (minCapacity, maxCapacity, roleARN, suspendedState, tags). */
  registerScalableTarget(resourceId: string, target: JsonObject): Promise<void>;
  /** PutScalingPolicy: creates or replaces the policy named `policy.policyName`. */
  putScalingPolicy(resourceId: string, policy: JsonObject): Promise<void>;
  /** DeleteScalingPolicy; a policy already gone is not an error. */
  deleteScalingPolicy(resourceId: string, policyName: string): Promise<void>;
  /** PutScheduledAction; startTime and endTime may be ISO text. */
  putScheduledAction(resourceId: string, action: JsonObject): Promise<void>;
  /** DeleteScheduledAction; an action already gone is not an error. */
  deleteScheduledAction(resourceId: string, scheduledActionName: string): Promise<void>;
  /** Every ECS service's DesiredCount scalable target of the account (for prune discovery). */
  listScalableTargets(): Promise<JsonObject[]>;
  /** DeregisterScalableTarget: AWS deletes its policies and scheduled actions with it; already gone is not an error. */
  deregisterScalableTarget(resourceId: string): Promise<void>;
}

/** The most each Describe call returns (the API's maximum MaxResults). */
const TARGETS_PER_CALL = 50;
const POLICIES_PER_PAGE = 10;
const ACTIONS_PER_PAGE = 50;
const target = (resourceId: string) => ({
  ServiceNamespace: ECS_SERVICE_NAMESPACE, ResourceId: resourceId, ScalableDimension: ECS_DESIRED_COUNT,
});
/** One target, or the whole ECS namespace (a dimension may only be given with a resource id). */
const scope = (resourceId: string | undefined) => (resourceId ? target(resourceId) : { ServiceNamespace: ECS_SERVICE_NAMESPACE });
const asItem = (value: unknown) => toJson(toCamelMembers(value)) as JsonObject;
const ofDesiredCount = (item: JsonObject) => item.scalableDimension === ECS_DESIRED_COUNT;

/** A Describe paginator's pages, its items as lowerCamelCase JSON, those `keep` accepts. */
async function* describePages<P extends { NextToken?: string }>(
  operation: string, paginator: AsyncIterable<P>, items: (page: P) => unknown[] | undefined, keep: (item: JsonObject) => boolean = () => true,
): AsyncGenerator<Page<JsonObject>> {
  for await (const page of pagesOf(operation, paginator, items, (out) => out.NextToken)) yield { ...page, items: page.items.map(asItem).filter(keep) };
}

export class SdkAutoScaling implements AutoScalingPort {
  private readonly reader: BatchReader<ServiceScaling>;
  private readonly policies: ScopedListing<JsonObject>;
  private readonly actions: ScopedListing<JsonObject>;

  constructor(private readonly client: ApplicationAutoScalingClient) {
    // Chunking to 50 ids a call happens in readAll, so that one wave shares its namespace listings.
    this.reader = new BatchReader<ServiceScaling>({ maxBatch: 1000, fetch: (_group, ids) => this.readAll(ids) });
    const resourceOf = (item: JsonObject) => (typeof item.resourceId === 'string' ? item.resourceId : undefined);
    this.policies = new ScopedListing({ resourceOf, namespace: () => this.policyPages(undefined), list: (id) => allItems(this.policyPages(id)) });
    this.actions = new ScopedListing({ resourceOf, namespace: () => this.actionPages(undefined), list: (id) => allItems(this.actionPages(id)) });
  }

  getScaling(resourceId: string, notBefore: number): Promise<ServiceScaling> {
    return this.reader.get('', resourceId, notBefore).then((found) => found ?? empty(resourceId));
  }

  prefetchScaling(resourceIds: string[]): Promise<void> {
    return this.reader.prefetch('', resourceIds);
  }

  private async readAll(ids: string[]): Promise<Map<string, ServiceScaling>> {
    const chunks: string[][] = [];
    for (let i = 0; i < ids.length; i += TARGETS_PER_CALL) chunks.push(ids.slice(i, i + TARGETS_PER_CALL));
    const targets = new Map<string, JsonObject>();
    for (const found of await Promise.all(chunks.map((chunk) => this.describeTargets(chunk)))) {
      for (const t of found) targets.set(String(t.resourceId), t);
    }
    // A service without a scalable target has no policies or actions: they are read only for the others.
    const registered = ids.filter((id) => targets.has(id));
    const [policies, actions] = await Promise.all([this.policies.read(registered), this.actions.read(registered)]);
    return new Map(ids.map((id) => [id, {
      resourceId: id, target: targets.get(id), policies: policies.get(id) ?? [], scheduledActions: actions.get(id) ?? [],
    }]));
  }

  /** The scalable targets of these services (all of the ECS namespace without `ids`). */
  private targetPages(ids?: string[]): AsyncGenerator<Page<JsonObject>> {
    const input = { ServiceNamespace: ECS_SERVICE_NAMESPACE, ScalableDimension: ECS_DESIRED_COUNT, ...(ids ? { ResourceIds: ids } : {}) };
    return describePages('DescribeScalableTargets', paginateDescribeScalableTargets({ client: this.client, pageSize: TARGETS_PER_CALL }, input),
      (out) => out.ScalableTargets, (t) => !ids || ids.includes(String(t.resourceId)));
  }

  private describeTargets(ids: string[]): Promise<JsonObject[]> {
    return allItems(this.targetPages(ids));
  }

  /** The pages of the policies of one target, or (resourceId undefined) of every ECS service of the account. */
  private policyPages(resourceId: string | undefined): AsyncGenerator<Page<JsonObject>> {
    return describePages('DescribeScalingPolicies', paginateDescribeScalingPolicies({ client: this.client, pageSize: POLICIES_PER_PAGE }, scope(resourceId)),
      (out) => out.ScalingPolicies, ofDesiredCount);
  }

  /** The pages of the scheduled actions of one target, or of every ECS service of the account. */
  private actionPages(resourceId: string | undefined): AsyncGenerator<Page<JsonObject>> {
    return describePages('DescribeScheduledActions', paginateDescribeScheduledActions({ client: this.client, pageSize: ACTIONS_PER_PAGE }, scope(resourceId)),
      (out) => out.ScheduledActions, ofDesiredCount);
  }

  async registerScalableTarget(resourceId: string, input: JsonObject): Promise<void> {
    try {
      // Idempotent: it creates the target or sets the values given on the one that exists.
      await this.client.send(new RegisterScalableTargetCommand({ ...toPascalMembers<RegisterScalableTargetCommandInput>(input), ...target(resourceId) }));
    } catch (err) {
      // Right after CreateService the service may not be visible to Application Auto Scaling yet.
      if (isScalableResourceNotVisible(err)) {
        throw new RetryableError(`RegisterScalableTarget: ${(err as Error).message}`, 5_000, { cause: err });
      }
      throw toOperatorError(err, 'RegisterScalableTarget');
    } finally {
      this.reader.forget('', resourceId);
    }
  }

  async putScalingPolicy(resourceId: string, policy: JsonObject): Promise<void> {
    // Idempotent: it creates or replaces the policy of that name.
    await this.write(resourceId, 'PutScalingPolicy', () =>
      this.client.send(new PutScalingPolicyCommand({ ...toPascalMembers<PutScalingPolicyCommandInput>(policy), ...target(resourceId) })));
  }

  async deleteScalingPolicy(resourceId: string, policyName: string): Promise<void> {
    // Repeated after a lost answer, the policy is gone: "not found" is that success.
    await this.write(resourceId, 'DeleteScalingPolicy', () =>
      this.client.send(new DeleteScalingPolicyCommand({ ...target(resourceId), PolicyName: policyName })), true);
  }

  async putScheduledAction(resourceId: string, action: JsonObject): Promise<void> {
    // Idempotent: it creates or replaces the scheduled action of that name.
    const input: Record<string, unknown> = { ...action };
    // The SDK serializes timestamps from Date objects; manifests write them as ISO text.
    for (const key of ['startTime', 'endTime']) if (typeof input[key] === 'string') input[key] = new Date(input[key] as string);
    await this.write(resourceId, 'PutScheduledAction', () =>
      this.client.send(new PutScheduledActionCommand({ ...toPascalMembers<PutScheduledActionCommandInput>(input), ...target(resourceId) })));
  }

  async deleteScheduledAction(resourceId: string, scheduledActionName: string): Promise<void> {
    // Repeated after a lost answer, the action is gone: "not found" is that success.
    await this.write(resourceId, 'DeleteScheduledAction', () =>
      this.client.send(new DeleteScheduledActionCommand({ ...target(resourceId), ScheduledActionName: scheduledActionName })), true);
  }

  listScalableTargets(): Promise<JsonObject[]> {
    return allItems(this.targetPages());
  }

  async deregisterScalableTarget(resourceId: string): Promise<void> {
    // Repeated after a lost answer, the target is gone: "not found" is that success.
    await this.write(resourceId, 'DeregisterScalableTarget', () =>
      this.client.send(new DeregisterScalableTargetCommand(target(resourceId))), true);
  }

  async listTags(arn: string): Promise<Record<string, string>> {
    const out = await awsCall('ListTagsForResource', () => this.client.send(new ListTagsForResourceCommand({ ResourceARN: arn })));
    return out.Tags ?? {};
  }

  async tagResource(arn: string, tags: Record<string, string>): Promise<void> {
    // Idempotent: it sets these keys to these values.
    await awsCall('TagResource', () => this.client.send(new TagResourceCommand({ ResourceARN: arn, Tags: tags })));
  }

  async untagResource(arn: string, keys: string[]): Promise<void> {
    // Idempotent: removing a key that is gone changes nothing.
    await awsCall('UntagResource', () => this.client.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: keys })));
  }

  /**
   * One write; the cached scaling of the resource is forgotten, so the next read shows what AWS made
   * of it. With `goneIsDone`, "not found" means the thing to delete is already gone.
   */
  private async write(resourceId: string, operation: string, send: () => Promise<unknown>, goneIsDone = false): Promise<void> {
    try {
      await send();
    } catch (err) {
      if (!(goneIsDone && isNotFoundError(err))) throw toOperatorError(err, operation);
    } finally {
      this.reader.forget('', resourceId);
    }
  }
}

function empty(resourceId: string): ServiceScaling {
  return { resourceId, target: undefined, policies: [], scheduledActions: [] };
}
