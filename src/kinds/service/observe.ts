// Reads a service's live state (batched DescribeServices with tags) and resolves what its manifest
// refers to: the cluster's name, the task definition's ARN, and whether a ServiceAutoScaling owns its
// desiredCount.
import { resourceKey, type DesiredResource, type JsonObject, type ResourceKey } from '../../core/types.js';
import { StalledError, WaitingError } from '../../core/errors.js';
import type { EcsService, ServicePort } from '../../aws/ecs/services.js';
import type { TaskDefinitionPort } from '../../aws/ecs/task-definitions.js';
import type { Elbv2Port } from '../../aws/elbv2.js';
import { autoscaledServices } from './autoscaled.js';
import { toJsonObject } from '../../normalize/common.js';
import type { Observation, ReconcileContext } from '../../runtime/kind-handler.js';
import { flattenTags } from '../ownership.js';
import { missingTargetGroups, observeBindings, type BindingFacts } from './load-balancers.js';
import { serviceClusterName } from './manifest.js';

/** What a service's references resolve to in this pass. */
export interface ServiceFacts {
  cluster: string;
  taskDefinitionArn: string | undefined;
  autoscaled: boolean;
  /** The ServiceAutoScaling's minCapacity, the count a new autoscaled service starts at. */
  minCapacity: number | undefined;
  /** Load balancer bindings against ELB (absent when no ELB port is wired). */
  bindings?: BindingFacts;
  /** The service was deleted and is still draining: it cannot be updated, and not yet re-created. */
  draining?: boolean;
}

/** What a pass sees of a service: the DescribeServices item as JSON, and what its references resolve to. */
export type ServiceObservation = Observation<JsonObject, ServiceFacts>;

/** The service's name: spec.serviceName (the loader sets it to metadata.name when absent). */
export function serviceNameOf(resource: DesiredResource): string {
  return String(resource.manifest.spec.serviceName);
}

/** The name of the cluster a Service manifest runs in (see serviceClusterName), its Cluster manifest found in the state. */
export function resolveCluster(resource: DesiredResource, ctx: Pick<ReconcileContext, 'desired'>): string {
  return serviceClusterName(resource.manifest.spec, (name) => ctx.desired.resources.get(resourceKey('Cluster', name))?.manifest.spec);
}

async function resolveTaskDefinition(taskDefinitions: TaskDefinitionPort, resource: DesiredResource, ctx: ReconcileContext): Promise<string | undefined> {
  const ref = resource.manifest.spec.taskDefinition;
  if (typeof ref !== 'string') return undefined;
  const managed = resource.dependsOn.find((k) => k.startsWith('TaskDefinition/') && matchesTaskDefinition(k, ref, ctx));
  if (managed) {
    const arn = ctx.outputsOf(managed)?.arn;
    if (!arn) throw new WaitingError(`waiting for ${managed} to have a revision equal to its manifest`, [managed]);
    return arn;
  }
  if (ref.startsWith('arn:')) return ref;
  const described = await taskDefinitions.describeTaskDefinition(ref);
  if (!described?.taskDefinition.taskDefinitionArn) {
    throw new StalledError('NotFound', `task definition ${ref} does not exist`);
  }
  return described.taskDefinition.taskDefinitionArn;
}

function matchesTaskDefinition(key: ResourceKey, ref: string, ctx: ReconcileContext): boolean {
  const manifest = ctx.desired.resources.get(key);
  return manifest !== undefined && (manifest.name === ref || manifest.manifest.spec.family === ref);
}

/** The service, its references resolved, and with `elbv2` its load balancer bindings (see load-balancers.ts). */
export async function observeService(
  ports: { services: ServicePort; taskDefinitions: TaskDefinitionPort; elbv2?: Elbv2Port }, resource: DesiredResource, ctx: ReconcileContext,
): Promise<ServiceObservation> {
  const { services, taskDefinitions, elbv2 } = ports;
  const cluster = resolveCluster(resource, ctx);
  const scalingKey = autoscaledServices(ctx.desired).get(resource.key);
  const scaling = scalingKey ? ctx.desired.resources.get(scalingKey) : undefined;
  const minCapacity = scaling?.manifest.spec.minCapacity;
  const [service, taskDefinitionArn, missing] = await Promise.all([
    services.getService(cluster, serviceNameOf(resource), ctx.notBefore),
    resolveTaskDefinition(taskDefinitions, resource, ctx),
    elbv2 ? missingTargetGroups(elbv2, resource, ctx.notBefore) : [],
  ]);
  const facts: ServiceFacts = {
    cluster,
    taskDefinitionArn,
    autoscaled: scaling !== undefined,
    minCapacity: typeof minCapacity === 'number' ? minCapacity : undefined,
  };
  if (elbv2) facts.bindings = await observeBindings(elbv2, missing, service, ctx.notBefore);
  return serviceObservation(service, facts);
}

/** What observe found beyond the description: every Service observation has its facts. */
export function factsOf(observation: ServiceObservation): ServiceFacts {
  if (!observation.facts) throw new Error(`a Service observation without its facts (${observation.arn ?? 'not found'})`);
  return observation.facts;
}

export function serviceObservation(service: EcsService | undefined, facts: ServiceFacts): ServiceObservation {
  if (!service) return { exists: false, facts };
  // A deleted service drains before it disappears: it cannot be updated, and not yet re-created.
  if (service.status === 'DRAINING') return { exists: false, facts: { ...facts, draining: true } };
  return { exists: true, arn: service.serviceArn, live: toJsonObject(service), tags: flattenTags(service.tags), facts };
}
