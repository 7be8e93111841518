// The narrow port to Amazon ECS: what the kinds may ask of it (SdkEcs in ecs.ts is its adapter on the
// AWS SDK). Reads take a `notBefore` time where freshness matters; writes are safe to repeat or say
// how they avoid repeating themselves.
import type { Cluster, Service } from '@aws-sdk/client-ecs';
import type { JsonObject } from '../core/types.js';
import type { TaskDefinitionDescription } from './task-definition-cache.js';

export interface EcsPort {
  /** An ACTIVE (or PROVISIONING) cluster by name or ARN, read no earlier than `notBefore`. */
  getCluster(name: string, notBefore: number): Promise<Cluster | undefined>;
  /** Reads these clusters in as few calls as possible; those read at or after `notBefore` are not read again. */
  prefetchClusters(names: string[], notBefore?: number): Promise<void>;
  createCluster(input: JsonObject): Promise<Cluster>;
  updateCluster(input: JsonObject): Promise<Cluster>;
  updateClusterSettings(input: JsonObject): Promise<Cluster>;
  putClusterCapacityProviders(input: JsonObject): Promise<Cluster>;
  deleteCluster(name: string): Promise<void>;
  /**
   * The ARNs of every cluster of the account (ListClusters), listed no earlier than `notBefore`: a
   * listing made since (or in flight) is shared, so the discoveries of one prune pass list once.
   */
  listClusterArns(notBefore?: number): Promise<string[]>;

  /** A service that is not INACTIVE (ACTIVE or DRAINING), read no earlier than `notBefore`. */
  getService(cluster: string, name: string, notBefore: number): Promise<Service | undefined>;
  /** Reads these services in as few calls as possible; those read at or after `notBefore` are not read again. */
  prefetchServices(cluster: string, names: string[], notBefore?: number): Promise<void>;
  createService(input: JsonObject): Promise<Service>;
  updateService(input: JsonObject): Promise<Service>;
  deleteService(cluster: string, name: string): Promise<void>;
  listServiceArns(cluster: string): Promise<string[]>;

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

  /** The resource's tags as ECS has them now (ListTagsForResource); cached descriptions take them too. */
  listTags(arn: string): Promise<Record<string, string>>;
  tagResource(arn: string, tags: Record<string, string>): Promise<void>;
  untagResource(arn: string, keys: string[]): Promise<void>;
}
