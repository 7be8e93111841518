// The port to ECS services and its adapter on the AWS SDK v3. Reads are batched (DescribeServices 10
// a call, the most it takes), coalesced and freshness-aware (see batch-reader.ts); ListServices goes
// through the SDK's paginator at 100 a page (AWS's default is 10). Every write says next to its call
// why repeating it (the SDK retries after a lost answer) cannot do harm.
import {
  CreateServiceCommand, DeleteServiceCommand, DescribeServicesCommand, paginateListServices, UpdateServiceCommand,
  type CreateServiceCommandInput, type Service, type UpdateServiceCommandInput,
} from '@aws-sdk/client-ecs';
import { RetryableError } from '../../core/errors.js';
import type { JsonObject } from '../../core/types.js';
import { clusterName, DEFAULT_CLUSTER } from '../../normalize/references.js';
import { BatchReader } from '../batch-reader.js';
import { awsCall, isNotFoundError, isServiceNameTaken, toOperatorError } from '../errors.js';
import { allItems, pagesOf } from '../paging.js';
import { sdkInput } from '../sdk-input.js';
import type { TaggingPort } from '../tagging.js';
import { EcsTagged, type TagChange } from './tags.js';

export type { Service as EcsService };

export interface ServicePort extends TaggingPort {
  /** A service that is not INACTIVE (ACTIVE or DRAINING), read no earlier than `notBefore`. */
  getService(cluster: string, name: string, notBefore: number): Promise<Service | undefined>;
  /** Reads these services in as few calls as possible; those read at or after `notBefore` are not read again. */
  prefetchServices(cluster: string, names: string[], notBefore?: number): Promise<void>;
  createService(input: JsonObject): Promise<Service>;
  updateService(input: JsonObject): Promise<Service>;
  deleteService(cluster: string, name: string): Promise<void>;
  /** The ARNs of every service of a cluster (ListServices). */
  listServiceArns(cluster: string): Promise<string[]>;
}

/** ListServices answers 10 services a page unless asked for more; 100 is its most. */
const SERVICES_PER_PAGE = 100;

const clusterOf = (input: JsonObject) => clusterName(typeof input.cluster === 'string' ? input.cluster : DEFAULT_CLUSTER);

export class SdkServices extends EcsTagged implements ServicePort {
  private readonly services = new BatchReader<Service>({ maxBatch: 10, fetch: (cluster, ids) => this.fetchServices(cluster, ids) });
  /** The cluster of each service ARN described or written, for short ARNs that do not name it. */
  private readonly serviceClusters = new Map<string, string>();

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

  private remember(cluster: string, service: Service | undefined): Service {
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
      out = await this.client.send(new CreateServiceCommand(sdkInput<CreateServiceCommandInput>(input)));
    } catch (err) {
      if (isServiceNameTaken(err)) {
        throw new RetryableError(`CreateService: a service named ${String(input.serviceName)} exists already: ${(err as Error).message}`, 2_000, { cause: err });
      }
      throw toOperatorError(err, 'CreateService');
    }
    return this.remember(clusterOf(input), out.service);
  }

  async updateService(input: JsonObject) {
    // Idempotent: it sets the members it is given (forceNewDeployment, which is not, is never sent).
    const out = await awsCall('UpdateService', () => this.client.send(new UpdateServiceCommand(sdkInput<UpdateServiceCommandInput>(input))));
    return this.remember(clusterOf(input), out.service);
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

  listServiceArns(cluster: string) {
    return allItems(pagesOf('ListServices', paginateListServices({ client: this.client, pageSize: SERVICES_PER_PAGE }, { cluster }),
      (out) => out.serviceArns, (out) => out.nextToken));
  }

  /** Keeps a cached description's tags true after a tag read or write. */
  protected retag(arn: string, change: TagChange): void {
    const segments = (arn.split(':')[5] ?? '').split('/');
    const name = segments[segments.length - 1]!;
    // Long ARNs name the cluster; a short one (service/name, older accounts) is placed by the
    // descriptions read: else the cached tags would stay old and the write look as if not kept.
    const cluster = segments.length === 3 ? segments[1]! : this.serviceClusters.get(arn);
    const known = cluster ? this.services.peek(cluster, name) : undefined;
    if (cluster && known) this.services.put(cluster, name, { ...known, tags: change(known.tags ?? []) });
  }
}
