// The narrow port to Amazon ECS and its adapter on the AWS SDK v3. Reads are batched (DescribeServices
// 10 a call, DescribeClusters 100), coalesced and freshness-aware (see batch-reader.ts); a task
// definition revision never changes, so its description is cached forever by ARN.
import {
  ECSClient, CreateClusterCommand, CreateServiceCommand, DeleteClusterCommand, DeleteServiceCommand,
  DeregisterTaskDefinitionCommand, DescribeClustersCommand, DescribeServicesCommand, DescribeTaskDefinitionCommand,
  ListClustersCommand, ListServicesCommand, ListTagsForResourceCommand, PutClusterCapacityProvidersCommand,
  RegisterTaskDefinitionCommand, TagResourceCommand, UntagResourceCommand, UpdateClusterCommand,
  UpdateClusterSettingsCommand, UpdateServiceCommand,
  type Cluster, type Service, type Tag, type TaskDefinition,
} from '@aws-sdk/client-ecs';
import type { JsonObject } from '../core/types.js';
import { clusterName, DEFAULT_CLUSTER } from '../normalize/references.js';
import { BatchReader } from './batch-reader.js';
import { awsCall } from './errors.js';
import { TaskDefinitionCache, type TaskDefinitionDescription } from './task-definition-cache.js';

export type { Cluster as EcsCluster, Service as EcsService, TaskDefinition as EcsTaskDefinition, Tag as EcsTag };
export type { TaskDefinitionDescription };

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
  registerTaskDefinition(input: JsonObject): Promise<TaskDefinitionDescription>;
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

/** Cluster members a write's answer may leave out (see SdkEcs.remember). */
const CLUSTER_MEMBERS = ['settings', 'configuration', 'capacityProviders', 'defaultCapacityProviderStrategy', 'serviceConnectDefaults'] as const;

export class SdkEcs implements EcsPort {
  private readonly clusters: BatchReader<Cluster>;
  private readonly services: BatchReader<Service>;
  private readonly taskDefinitions: TaskDefinitionCache;
  /** The last ListClusters listing (or the one in flight) and when it started. */
  private clusterListing: { arns: Promise<string[]>; startedAt: number } | undefined;

  constructor(private readonly client: ECSClient) {
    this.clusters = new BatchReader<Cluster>({ maxBatch: 100, fetch: (_g, ids) => this.fetchClusters(ids) });
    this.services = new BatchReader<Service>({ maxBatch: 10, fetch: (cluster, ids) => this.fetchServices(cluster, ids) });
    this.taskDefinitions = new TaskDefinitionCache(client);
  }

  getCluster(name: string, notBefore: number) {
    return this.clusters.get('', clusterName(name), notBefore);
  }

  prefetchClusters(names: string[], notBefore?: number) {
    return this.clusters.prefetch('', names.map((name) => clusterName(name)), notBefore);
  }

  private async fetchClusters(names: string[]): Promise<Map<string, Cluster>> {
    const out = await awsCall('DescribeClusters', () =>
      this.client.send(new DescribeClustersCommand({ clusters: names, include: ['TAGS', 'SETTINGS', 'CONFIGURATIONS'] })),
    );
    const found = new Map<string, Cluster>();
    for (const c of out.clusters ?? []) if (c.clusterName && c.status !== 'INACTIVE') found.set(c.clusterName, c);
    return found;
  }

  /**
   * Caches what a cluster write answered. Write answers leave out members the write did not touch
   * (UpdateClusterSettings answers no configuration nor capacity providers) and carry no tags (an
   * empty list): those are kept from the cached description, so the read-back after an apply sees no
   * false difference. A member the write set is AWS's answer as is, even when absent (cleared).
   */
  private remember(cluster: Cluster | undefined, input: JsonObject): Cluster {
    if (!cluster?.clusterName) throw new Error('ECS returned no cluster');
    const known = this.clusters.peek('', cluster.clusterName);
    const merged: Cluster = { ...cluster, tags: cluster.tags?.length ? cluster.tags : known?.tags };
    for (const member of CLUSTER_MEMBERS) {
      if (merged[member] !== undefined || member in input || known?.[member] === undefined) continue;
      (merged as Record<string, unknown>)[member] = known[member];
    }
    this.clusters.put('', cluster.clusterName, merged);
    return merged;
  }

  async createCluster(input: JsonObject) {
    const out = await awsCall('CreateCluster', () => this.client.send(new CreateClusterCommand(input as never)));
    return this.remember(out.cluster, input);
  }

  async updateCluster(input: JsonObject) {
    const out = await awsCall('UpdateCluster', () => this.client.send(new UpdateClusterCommand(input as never)));
    return this.remember(out.cluster, input);
  }

  async updateClusterSettings(input: JsonObject) {
    const out = await awsCall('UpdateClusterSettings', () => this.client.send(new UpdateClusterSettingsCommand(input as never)));
    return this.remember(out.cluster, input);
  }

  async putClusterCapacityProviders(input: JsonObject) {
    const out = await awsCall('PutClusterCapacityProviders', () =>
      this.client.send(new PutClusterCapacityProvidersCommand(input as never)),
    );
    return this.remember(out.cluster, input);
  }

  async deleteCluster(name: string) {
    await awsCall('DeleteCluster', () => this.client.send(new DeleteClusterCommand({ cluster: name })));
    this.clusters.put('', clusterName(name), undefined);
  }

  listClusterArns(notBefore = Infinity): Promise<string[]> {
    const last = this.clusterListing;
    if (last && last.startedAt >= notBefore) return last.arns;
    const listing = { arns: this.fetchClusterArns(), startedAt: Date.now() };
    this.clusterListing = listing;
    listing.arns.catch(() => {
      if (this.clusterListing === listing) this.clusterListing = undefined;
    });
    return listing.arns;
  }

  private async fetchClusterArns(): Promise<string[]> {
    const arns: string[] = [];
    let nextToken: string | undefined;
    do {
      const out = await awsCall('ListClusters', () => this.client.send(new ListClustersCommand({ nextToken })));
      arns.push(...(out.clusterArns ?? []));
      nextToken = out.nextToken;
    } while (nextToken);
    return arns;
  }

  getService(cluster: string, name: string, notBefore: number) {
    return this.services.get(clusterName(cluster), name, notBefore);
  }

  prefetchServices(cluster: string, names: string[], notBefore?: number) {
    return this.services.prefetch(clusterName(cluster), names, notBefore);
  }

  private async fetchServices(cluster: string, names: string[]): Promise<Map<string, Service>> {
    const found = new Map<string, Service>();
    let out;
    try {
      out = await awsCall('DescribeServices', () =>
        this.client.send(new DescribeServicesCommand({ cluster, services: names, include: ['TAGS'] })),
      );
    } catch (err) {
      // No cluster means no services in it.
      if ((err as { cause?: { name?: string } }).cause?.name === 'ClusterNotFoundException') return found;
      throw err;
    }
    for (const s of out.services ?? []) if (s.serviceName && s.status !== 'INACTIVE') found.set(s.serviceName, s);
    return found;
  }

  private rememberService(cluster: string, service: Service | undefined): Service {
    if (!service?.serviceName) throw new Error('ECS returned no service');
    const known = this.services.peek(cluster, service.serviceName);
    const merged = { ...service, tags: service.tags?.length ? service.tags : known?.tags };
    this.services.put(cluster, service.serviceName, merged);
    return merged;
  }

  async createService(input: JsonObject) {
    const out = await awsCall('CreateService', () => this.client.send(new CreateServiceCommand(input as never)));
    return this.rememberService(clusterName(typeof input.cluster === 'string' ? input.cluster : DEFAULT_CLUSTER), out.service);
  }

  async updateService(input: JsonObject) {
    const out = await awsCall('UpdateService', () => this.client.send(new UpdateServiceCommand(input as never)));
    return this.rememberService(clusterName(typeof input.cluster === 'string' ? input.cluster : DEFAULT_CLUSTER), out.service);
  }

  async deleteService(cluster: string, name: string) {
    await awsCall('DeleteService', () => this.client.send(new DeleteServiceCommand({ cluster, service: name })));
    this.services.put(clusterName(cluster), name, undefined);
  }

  async listServiceArns(cluster: string) {
    const arns: string[] = [];
    let nextToken: string | undefined;
    do {
      const out = await awsCall('ListServices', () => this.client.send(new ListServicesCommand({ cluster, nextToken })));
      arns.push(...(out.serviceArns ?? []));
      nextToken = out.nextToken;
    } while (nextToken);
    return arns;
  }

  describeTaskDefinition(ref: string) {
    return this.taskDefinitions.describe(ref);
  }

  latestActiveTaskDefinitionArn(family: string, notBefore: number) {
    return this.taskDefinitions.latestActiveArn(family, notBefore);
  }

  prefetchActiveTaskDefinitions(families: string[]) {
    return this.taskDefinitions.prefetch(families);
  }

  async registerTaskDefinition(input: JsonObject) {
    const out = await awsCall('RegisterTaskDefinition', () =>
      this.client.send(new RegisterTaskDefinitionCommand(input as never)),
    );
    if (!out.taskDefinition) throw new Error('ECS returned no task definition');
    return this.taskDefinitions.registered({ taskDefinition: out.taskDefinition, tags: out.tags ?? [] });
  }

  async deregisterTaskDefinition(arn: string) {
    await awsCall('DeregisterTaskDefinition', () =>
      this.client.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arn })),
    );
    this.taskDefinitions.deregistered(arn);
  }

  listTaskDefinitionArns(family: string, status: 'ACTIVE' | 'INACTIVE') {
    return this.taskDefinitions.listArns(family, status);
  }

  listActiveTaskDefinitionArns() {
    return this.taskDefinitions.activeArns();
  }

  async listTags(arn: string) {
    const out = await awsCall('ListTagsForResource', () => this.client.send(new ListTagsForResourceCommand({ resourceArn: arn })));
    const tags = out.tags ?? [];
    this.retag(arn, () => tags);
    return Object.fromEntries(tags.filter((t) => t.key !== undefined).map((t) => [t.key!, t.value ?? '']));
  }

  async tagResource(arn: string, tags: Record<string, string>) {
    const list = Object.entries(tags).map(([key, value]) => ({ key, value }));
    await awsCall('TagResource', () => this.client.send(new TagResourceCommand({ resourceArn: arn, tags: list })));
    this.retag(arn, (current) => [...current.filter((t) => !(t.key! in tags)), ...list]);
  }

  async untagResource(arn: string, keys: string[]) {
    await awsCall('UntagResource', () => this.client.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: keys })));
    this.retag(arn, (current) => current.filter((t) => !keys.includes(t.key!)));
  }

  /** Keeps cached descriptions' tags true after our own tag writes and reads, so no re-read is needed. */
  private retag(arn: string, change: (tags: Tag[]) => Tag[]): void {
    const parts = arn.split(':');
    const resource = parts[5] ?? '';
    if (resource.startsWith('task-definition/')) {
      this.taskDefinitions.retag(arn, change);
    } else if (resource.startsWith('cluster/')) {
      const name = clusterName(arn);
      const known = this.clusters.peek('', name);
      if (known) this.clusters.put('', name, { ...known, tags: change(known.tags ?? []) });
    } else if (resource.startsWith('service/')) {
      const segments = resource.split('/');
      const name = segments[segments.length - 1]!;
      // Long ARNs name the cluster; a short ARN (service/name) cannot be placed, so it is re-read.
      const cluster = segments.length === 3 ? segments[1]! : undefined;
      const known = cluster ? this.services.peek(cluster, name) : undefined;
      if (cluster && known) this.services.put(cluster, name, { ...known, tags: change(known.tags ?? []) });
    }
  }
}
