// The narrow port to Amazon ECS and its adapter on the AWS SDK v3. Reads are batched (DescribeServices
// 10 a call, DescribeClusters 100), coalesced and freshness-aware (see batch-reader.ts); a task
// definition revision never changes, so its description is cached forever by ARN. Every write says
// next to its call why repeating it (the SDK retries after a lost answer) cannot do harm, or how it
// finds out what the first attempt did before it sends again.
import {
  ECSClient, CreateClusterCommand, CreateServiceCommand, DeleteClusterCommand, DeleteServiceCommand,
  DeregisterTaskDefinitionCommand, DescribeClustersCommand, DescribeServicesCommand, DescribeTaskDefinitionCommand,
  ListClustersCommand, ListServicesCommand, ListTagsForResourceCommand, PutClusterCapacityProvidersCommand,
  TagResourceCommand, UntagResourceCommand, UpdateClusterCommand,
  UpdateClusterSettingsCommand, UpdateServiceCommand,
  type Cluster, type Service, type Tag, type TaskDefinition,
} from '@aws-sdk/client-ecs';
import type { JsonObject } from '../core/types.js';
import { clusterName, DEFAULT_CLUSTER } from '../normalize/references.js';
import { BatchReader } from './batch-reader.js';
import { RetryableError } from '../core/errors.js';
import { awsCall, isNotFoundError, isServiceNameTaken, toOperatorError } from './errors.js';
import { registerOnce } from './register-once.js';
import { TaskDefinitionCache, type TaskDefinitionDescription } from './task-definition-cache.js';

import type { EcsPort } from './ecs-port.js';

export type { Cluster as EcsCluster, Service as EcsService, TaskDefinition as EcsTaskDefinition, Tag as EcsTag };
export type { TaskDefinitionDescription, EcsPort };

/** Cluster members a write's answer may leave out (see SdkEcs.remember). */
const CLUSTER_MEMBERS = ['settings', 'configuration', 'capacityProviders', 'defaultCapacityProviderStrategy', 'serviceConnectDefaults'] as const;

export class SdkEcs implements EcsPort {
  private readonly clusters: BatchReader<Cluster>;
  private readonly services: BatchReader<Service>;
  private readonly taskDefinitions: TaskDefinitionCache;
  /** The cluster of each service ARN described or written, for short ARNs that do not name it. */
  private readonly serviceClusters = new Map<string, string>();
  /** The last ListClusters listing (or the one in flight) and when it started. */
  private clusterListing: { arns: Promise<string[]>; startedAt: number } | undefined;

  /**
   * `once` is the same client without the SDK's retries (AwsClients.ecsOnce), for the one write that
   * is not idempotent; without it `client` serves, retries and all.
   */
  constructor(private readonly client: ECSClient, private readonly once: ECSClient = client) {
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
    // Safe to repeat: a cluster is its name, and ECS answers CreateCluster for the name of an ACTIVE
    // cluster with that cluster (were it refused, the next pass reads the cluster and goes on from there).
    const out = await awsCall('CreateCluster', () => this.client.send(new CreateClusterCommand(input as never)));
    return this.remember(out.cluster, input);
  }

  async updateCluster(input: JsonObject) {
    // Idempotent: it sets the members it is given; the same input again sets the same values.
    const out = await awsCall('UpdateCluster', () => this.client.send(new UpdateClusterCommand(input as never)));
    return this.remember(out.cluster, input);
  }

  async updateClusterSettings(input: JsonObject) {
    // Idempotent: it sets the settings it is given.
    const out = await awsCall('UpdateClusterSettings', () => this.client.send(new UpdateClusterSettingsCommand(input as never)));
    return this.remember(out.cluster, input);
  }

  async putClusterCapacityProviders(input: JsonObject) {
    // Idempotent: it replaces both lists with the ones given.
    const out = await awsCall('PutClusterCapacityProviders', () =>
      this.client.send(new PutClusterCapacityProvidersCommand(input as never)),
    );
    return this.remember(out.cluster, input);
  }

  async deleteCluster(name: string) {
    try {
      await this.client.send(new DeleteClusterCommand({ cluster: name }));
    } catch (err) {
      // Repeated after a lost answer, the first attempt deleted it: "not found" is that success.
      if (!isNotFoundError(err)) throw toOperatorError(err, 'DeleteCluster');
    }
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
      out = await this.client.send(new DescribeServicesCommand({ cluster, services: names, include: ['TAGS'] }));
    } catch (err) {
      // No cluster means no services in it.
      if (isNotFoundError(err)) return found;
      throw toOperatorError(err, 'DescribeServices');
    }
    for (const s of out.services ?? []) {
      if (s.serviceArn) this.serviceClusters.set(s.serviceArn, cluster);
      if (s.serviceName && s.status !== 'INACTIVE') found.set(s.serviceName, s);
    }
    return found;
  }

  private rememberService(cluster: string, service: Service | undefined): Service {
    if (!service?.serviceName) throw new Error('ECS returned no service');
    const known = this.services.peek(cluster, service.serviceName);
    const merged = { ...service, tags: service.tags?.length ? service.tags : known?.tags };
    this.services.put(cluster, service.serviceName, merged);
    if (service.serviceArn) this.serviceClusters.set(service.serviceArn, cluster);
    return merged;
  }

  /**
   * Idempotent through `input.clientToken`: AWS answers a repeat with the same token with the service
   * the first attempt created. A service of that name made otherwise (another token, another
   * client) is refused ("not idempotent", or "already exists"): that is a RetryableError, so the
   * next pass reads the service and decides on it (ours to update, or someone else's: NotOwned).
   */
  async createService(input: JsonObject) {
    let out;
    try {
      out = await this.client.send(new CreateServiceCommand(input as never));
    } catch (err) {
      if (isServiceNameTaken(err)) {
        throw new RetryableError(`CreateService: a service named ${String(input.serviceName)} exists already: ${(err as Error).message}`, 2_000, { cause: err });
      }
      throw toOperatorError(err, 'CreateService');
    }
    return this.rememberService(clusterName(typeof input.cluster === 'string' ? input.cluster : DEFAULT_CLUSTER), out.service);
  }

  async updateService(input: JsonObject) {
    // Idempotent: it sets the members it is given (forceNewDeployment, which is not, is never sent).
    const out = await awsCall('UpdateService', () => this.client.send(new UpdateServiceCommand(input as never)));
    return this.rememberService(clusterName(typeof input.cluster === 'string' ? input.cluster : DEFAULT_CLUSTER), out.service);
  }

  async deleteService(cluster: string, name: string) {
    try {
      // Repeated after a lost answer, AWS deletes a DRAINING service again (a no-op) or, once it is
      // gone, answers "not found", which is that same success.
      await this.client.send(new DeleteServiceCommand({ cluster, service: name }));
    } catch (err) {
      if (!isNotFoundError(err)) throw toOperatorError(err, 'DeleteService');
    }
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

  /** Not idempotent: sent exactly once, or found after a lost answer (see registerOnce). */
  registerTaskDefinition(input: JsonObject, identity?: { key: string; value: string }) {
    return registerOnce(this.once, this.taskDefinitions, input, identity);
  }

  async deregisterTaskDefinition(arn: string) {
    // Idempotent: deregistering a revision that is INACTIVE already leaves it INACTIVE.
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
    // Idempotent: it sets these keys to these values.
    const list = Object.entries(tags).map(([key, value]) => ({ key, value }));
    await awsCall('TagResource', () => this.client.send(new TagResourceCommand({ resourceArn: arn, tags: list })));
    this.retag(arn, (current) => [...current.filter((t) => !(t.key! in tags)), ...list]);
  }

  async untagResource(arn: string, keys: string[]) {
    // Idempotent: removing a key that is gone changes nothing.
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
      // Long ARNs name the cluster; a short one (service/name, older accounts) is placed by the
      // descriptions read: else the cached tags would stay old and the write look as if not kept.
      const cluster = segments.length === 3 ? segments[1]! : this.serviceClusters.get(arn);
      const known = cluster ? this.services.peek(cluster, name) : undefined;
      if (cluster && known) this.services.put(cluster, name, { ...known, tags: change(known.tags ?? []) });
    }
  }
}
