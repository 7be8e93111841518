// The port to ECS clusters and its adapter on the AWS SDK v3. Reads are batched (DescribeClusters 100
// a call), coalesced and freshness-aware (see batch-reader.ts); ListClusters goes through the SDK's
// paginator and one listing is shared by the discoveries of a prune pass. Every write says next to
// its call why repeating it (the SDK retries after a lost answer) cannot do harm.
import {
  CreateClusterCommand, DeleteClusterCommand, DescribeClustersCommand, paginateListClusters, PutClusterCapacityProvidersCommand,
  UpdateClusterCommand, UpdateClusterSettingsCommand, type Cluster, type CreateClusterCommandInput,
  type PutClusterCapacityProvidersCommandInput, type UpdateClusterCommandInput, type UpdateClusterSettingsCommandInput,
} from '@aws-sdk/client-ecs';
import type { JsonObject } from '../../core/types.js';
import { clusterName } from '../../normalize/references.js';
import { BatchReader } from '../batch-reader.js';
import { awsCall, isNotFoundError, toOperatorError } from '../errors.js';
import { allItems, pagesOf } from '../paging.js';
import { sdkInput } from '../sdk-input.js';
import type { TaggingPort } from '../tagging.js';
import { EcsTagged, type TagChange } from './tags.js';

export type { Cluster as EcsCluster };

export interface ClusterPort extends TaggingPort {
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
}

/** Cluster members a write's answer may leave out (see remember). */
const CLUSTER_MEMBERS = ['settings', 'configuration', 'capacityProviders', 'defaultCapacityProviderStrategy', 'serviceConnectDefaults'] as const;

export class SdkClusters extends EcsTagged implements ClusterPort {
  private readonly clusters = new BatchReader<Cluster>({ maxBatch: 100, fetch: (_g, ids) => this.fetchClusters(ids) });
  /** The last ListClusters listing (or the one in flight) and when it started. */
  private listing: { arns: Promise<string[]>; startedAt: number } | undefined;

  protected retag(arn: string, change: TagChange): void {
    const name = clusterName(arn);
    const known = this.clusters.peek('', name);
    if (known) this.clusters.put('', name, { ...known, tags: change(known.tags ?? []) });
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
      Object.assign(merged, { [member]: known[member] });
    }
    this.clusters.put('', cluster.clusterName, merged);
    return merged;
  }

  async createCluster(input: JsonObject) {
    // Safe to repeat: a cluster is its name, and ECS answers CreateCluster for the name of an ACTIVE
    // cluster with that cluster (were it refused, the next pass reads the cluster and goes on from there).
    const out = await awsCall('CreateCluster', () => this.client.send(new CreateClusterCommand(sdkInput<CreateClusterCommandInput>(input))));
    return this.remember(out.cluster, input);
  }

  async updateCluster(input: JsonObject) {
    // Idempotent: it sets the members it is given; the same input again sets the same values.
    const out = await awsCall('UpdateCluster', () => this.client.send(new UpdateClusterCommand(sdkInput<UpdateClusterCommandInput>(input))));
    return this.remember(out.cluster, input);
  }

  async updateClusterSettings(input: JsonObject) {
    // Idempotent: it sets the settings it is given.
    const out = await awsCall('UpdateClusterSettings', () =>
      this.client.send(new UpdateClusterSettingsCommand(sdkInput<UpdateClusterSettingsCommandInput>(input))));
    return this.remember(out.cluster, input);
  }

  async putClusterCapacityProviders(input: JsonObject) {
    // Idempotent: it replaces both lists with the ones given.
    const out = await awsCall('PutClusterCapacityProviders', () =>
      this.client.send(new PutClusterCapacityProvidersCommand(sdkInput<PutClusterCapacityProvidersCommandInput>(input))));
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
    const last = this.listing;
    if (last && last.startedAt >= notBefore) return last.arns;
    // ListClusters: 100 a page, its most and its default.
    const arns = allItems(pagesOf('ListClusters', paginateListClusters({ client: this.client, pageSize: 100 }, {}), (out) => out.clusterArns, (out) => out.nextToken));
    const listing = { arns, startedAt: Date.now() };
    this.listing = listing;
    arns.catch(() => {
      if (this.listing === listing) this.listing = undefined;
    });
    return arns;
  }
}
