// The port to ECS task definitions and its adapter on the AWS SDK v3: a revision's description is
// cached forever by ARN (its content never changes), which revision is a family's latest ACTIVE one
// carries a read time (task-definition-cache.ts), and RegisterTaskDefinition, the one ECS write that
// is not idempotent, is sent exactly once or found after a lost answer (register-once.ts).
import { DeregisterTaskDefinitionCommand, type ECSClient } from '@aws-sdk/client-ecs';
import type { JsonObject } from '../../core/types.js';
import { awsCall } from '../errors.js';
import { registerOnce } from './register-once.js';
import { EcsTagged, type TagChange } from './tags.js';
import { TaskDefinitionCache, type TaskDefinitionDescription } from './task-definition-cache.js';

export type { TaskDefinitionDescription };

export interface TaskDefinitionPort {
  /** By ARN or family:revision (cached forever), or by family (its latest ACTIVE revision). */
  describeTaskDefinition(ref: string): Promise<TaskDefinitionDescription | undefined>;
  /** The ARN of a family's latest ACTIVE revision, known no earlier than `notBefore`. */
  latestActiveTaskDefinitionArn(family: string, notBefore: number): Promise<string | undefined>;
  /**
   * Learns the latest ACTIVE revision of these families at the lowest cost: one account-wide listing
   * (100 ARNs a page) when that is cheaper than one DescribeTaskDefinition per family.
   */
  prefetchActiveTaskDefinitions(families: string[]): Promise<void>;
  /**
   * Registers a revision exactly once. `identity` is a tag of `input.tags` that names its content:
   * when the outcome of a registration is unknown (no answer, a 5xx), an ACTIVE revision of the
   * family carrying it is that registration, and is returned instead of registering again. Without
   * it, an unknown outcome is not sent again (nothing would recognise the first attempt).
   */
  registerTaskDefinition(input: JsonObject, identity?: { key: string; value: string }): Promise<TaskDefinitionDescription>;
  deregisterTaskDefinition(arn: string): Promise<void>;
  listTaskDefinitionArns(family: string, status: 'ACTIVE' | 'INACTIVE'): Promise<string[]>;
  /**
   * Every ACTIVE revision of the account (one listing, 100 ARNs a page, shared while in flight); it
   * also answers latestActiveTaskDefinitionArn for every family it names.
   */
  listActiveTaskDefinitionArns(): Promise<string[]>;
  /** A revision's tags as ECS has them now; the cached description takes them too. */
  listTags(arn: string): Promise<Record<string, string>>;
}

export class SdkTaskDefinitions extends EcsTagged implements TaskDefinitionPort {
  private readonly cache: TaskDefinitionCache;

  /**
   * `once` is the same client without the SDK's retries (AwsClients.ecsOnce), for the registration;
   * without it `client` serves, retries and all.
   */
  constructor(client: ECSClient, private readonly once: ECSClient = client) {
    super(client);
    this.cache = new TaskDefinitionCache(client);
  }

  protected retag(arn: string, change: TagChange): void {
    this.cache.retag(arn, change);
  }

  describeTaskDefinition(ref: string) {
    return this.cache.describe(ref);
  }

  latestActiveTaskDefinitionArn(family: string, notBefore: number) {
    return this.cache.latestActiveArn(family, notBefore);
  }

  prefetchActiveTaskDefinitions(families: string[]) {
    return this.cache.prefetch(families);
  }

  /** Not idempotent: sent exactly once, or found after a lost answer (see registerOnce). */
  registerTaskDefinition(input: JsonObject, identity?: { key: string; value: string }) {
    return registerOnce(this.once, this.cache, input, identity);
  }

  async deregisterTaskDefinition(arn: string) {
    // Idempotent: deregistering a revision that is INACTIVE already leaves it INACTIVE.
    await awsCall('DeregisterTaskDefinition', () => this.client.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arn })));
    this.cache.deregistered(arn);
  }

  listTaskDefinitionArns(family: string, status: 'ACTIVE' | 'INACTIVE') {
    return this.cache.listArns(family, status);
  }

  listActiveTaskDefinitionArns() {
    return this.cache.activeArns();
  }
}
