// Reads a service's live state (batched DescribeServices with tags) and resolves what its manifest
// refers to: the cluster's name, the task definition's ARN, and whether a ServiceAutoScaling owns its
// desiredCount.
import { resourceKey, type DesiredResource, type JsonObject } from '../../core/types.js';
import { StalledError, WaitingError } from '../../core/errors.js';
import type { EcsPort, EcsService } from '../../aws/ecs.js';
import type { Elbv2Port } from '../../aws/elbv2.js';
import { autoscaledServices } from '../../desired/autoscaled.js';
import { toJson } from '../../normalize/common.js';
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
}

/** The service's name: spec.serviceName (the loader sets it to metadata.name when absent). */
export function serviceNameOf(resource: DesiredResource): string {
  return String(resource.manifest.spec.serviceName);
}

/** The name of the cluster a Service manifest runs in (see serviceClusterName), its Cluster manifest found in the state. */
export function resolveCluster(resource: DesiredResource, ctx: Pick<ReconcileContext, 'desired'>): string {
  return serviceClusterName(resource.manifest.spec, (name) => ctx.desired.resources.get(resourceKey('Cluster', name))?.manifest.spec);
}

async function resolveTaskDefinition(ecs: EcsPort, resource: DesiredResource, ctx: ReconcileContext): Promise<string | undefined> {
  const ref = resource.manifest.spec.taskDefinition;
  if (typeof ref !== 'string') return undefined;
  const managed = resource.dependsOn.find((k) => k.startsWith('TaskDefinition/') && matchesTaskDefinition(k, ref, ctx));
  if (managed) {
    const arn = ctx.outputsOf(managed)?.arn;
    if (!arn) throw new WaitingError(`waiting for ${managed} to have a revision equal to its manifest`, [managed]);
    return arn;
  }
  if (ref.startsWith('arn:')) return ref;
  const described = await ecs.describeTaskDefinition(ref);
  if (!described?.taskDefinition.taskDefinitionArn) {
    throw new StalledError('NotFound', `task definition ${ref} does not exist`);
  }
  return described.taskDefinition.taskDefinitionArn;
}

function matchesTaskDefinition(key: string, ref: string, ctx: ReconcileContext): boolean {
  const manifest = ctx.desired.resources.get(key as never);
  return manifest !== undefined && (manifest.name === ref || manifest.manifest.spec.family === ref);
}

/** The service, its references resolved, and with `elbv2` its load balancer bindings (see load-balancers.ts). */
export async function observeService(
  ecs: EcsPort, resource: DesiredResource, ctx: ReconcileContext, elbv2?: Elbv2Port,
): Promise<Observation> {
  const cluster = resolveCluster(resource, ctx);
  const scalingKey = autoscaledServices(ctx.desired).get(resource.key);
  const scaling = scalingKey ? ctx.desired.resources.get(scalingKey) : undefined;
  const minCapacity = scaling?.manifest.spec.minCapacity;
  const [service, taskDefinitionArn, missing] = await Promise.all([
    ecs.getService(cluster, serviceNameOf(resource), ctx.notBefore),
    resolveTaskDefinition(ecs, resource, ctx),
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

export function serviceObservation(service: EcsService | undefined, facts: ServiceFacts): Observation {
  const base = { facts: facts as unknown as Record<string, unknown> };
  if (!service) return { exists: false, ...base };
  // A deleted service drains before it disappears: it cannot be updated, and not yet re-created.
  if (service.status === 'DRAINING') return { exists: false, facts: { ...base.facts, draining: true } };
  return { exists: true, arn: service.serviceArn, live: toJson(service) as JsonObject, tags: flattenTags(service.tags), ...base };
}

export function factsOf(observation: Observation): ServiceFacts {
  return observation.facts as unknown as ServiceFacts;
}
