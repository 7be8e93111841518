// Which scalable target a ServiceAutoScaling manifest manages (the ECS service its Service manifest
// names, `service/<cluster>/<service>` with dimension ecs:service:DesiredCount), and its live state:
// the target, its policies and its scheduled actions (batched reads, see aws/autoscaling.ts).
import { effectiveDriftPolicy, resourceKey, type DesiredResource } from '../../core/types.js';
import { StalledError } from '../../core/errors.js';
import { ecsServiceResourceId, type AutoScalingPort, type ServiceScaling } from '../../aws/autoscaling.js';
import { isObject } from '../../normalize/common.js';
import type { Observation, ReconcileContext } from '../../runtime/kind-handler.js';
import { resolveCluster, serviceNameOf } from '../service/observe.js';
import { scaledServiceName } from './manifest.js';

/** The ECS service a ServiceAutoScaling scales, resolved through its Service manifest. */
export interface ScalingIdentity {
  /** The Service manifest's metadata.name (spec.service). */
  service: string;
  cluster: string;
  serviceName: string;
  /** Application Auto Scaling's resource id, `service/<cluster>/<serviceName>`. */
  resourceId: string;
}

/**
 * Resolves spec.service the way the Service kind resolves its own identity (serviceName defaulting
 * to metadata.name, the cluster through a Cluster manifest). The loader guarantees the Service
 * manifest exists; a StalledError says so if it somehow does not.
 */
export function scalingIdentity(resource: DesiredResource, ctx: Pick<ReconcileContext, 'desired'>): ScalingIdentity {
  const service = scaledServiceName(resource.manifest.spec) ?? '';
  const manifest = ctx.desired.resources.get(resourceKey('Service', service));
  if (!manifest) throw new StalledError('InvalidManifest', `spec.service: no Service manifest named ${JSON.stringify(service)}`);
  const cluster = resolveCluster(manifest, ctx);
  const serviceName = serviceNameOf(manifest);
  return { service, cluster, serviceName, resourceId: ecsServiceResourceId(cluster, serviceName) };
}

/** What observe found beyond the live description: the identity it resolved. */
export type ScalingFacts = ScalingIdentity;

/** The service's scaling as AWS describes it, with the target's tags when the manifest declares tags. */
export type ScalingLive = ServiceScaling & { tags?: Record<string, string> };

/** What a pass sees of a service's auto scaling. */
export type ScalingObservation = Observation<ScalingLive, ScalingFacts>;

/** What observe found beyond the description: every ServiceAutoScaling observation has its identity. */
export function scalingFactsOf(observation: ScalingObservation): ScalingFacts {
  if (!observation.facts) throw new Error(`a ServiceAutoScaling observation without its identity (${observation.arn ?? 'not found'})`);
  return observation.facts;
}

/** The identity a scalable target's resource id (`service/<cluster>/<service>`) names, for a target found by its tags. */
export function identityOfTarget(resourceId: string): ScalingIdentity {
  const [, cluster = '', serviceName = ''] = resourceId.split('/');
  return { service: serviceName, cluster, serviceName, resourceId };
}

/** The manifest manages tags of its own: only then are the target's tags compared. */
export function declaresTags(resource: DesiredResource): boolean {
  const tags = resource.manifest.spec.tags;
  return isObject(tags) && Object.keys(tags).length > 0;
}

/**
 * Whether a pass needs the target's tags: when the manifest declares tags (compared), when the
 * drift policy is not heal, and on the first pass since the operator started (ctx.recordUnknown):
 * there the applied-hash tag tells a Git change from drift.
 */
function needsTags(resource: DesiredResource, ctx: ReconcileContext): boolean {
  return declaresTags(resource) || effectiveDriftPolicy(resource, ctx.driftDefault) !== 'heal' || ctx.recordUnknown === true;
}

/**
 * The live scaling of the service. `exists` is whether the scalable target is registered; `live` is
 * the ServiceScaling (plus `tags` when the manifest declares tags, for the comparison); `arn` the
 * scalable target's ARN (its resource id when AWS gives none); `tags` the target's tags when read.
 * Tags cost one ListTagsForResource per target and pass (the API takes one ARN), so they are read
 * only when needsTags says so; the operator's ownership of a scalable target follows from its
 * ownership of the service, which the Service kind checks.
 */
export async function observeScaling(port: AutoScalingPort, resource: DesiredResource, ctx: ReconcileContext): Promise<ScalingObservation> {
  const facts = scalingIdentity(resource, ctx);
  const scaling = await port.getScaling(facts.resourceId, ctx.notBefore);
  if (!scaling.target) return { exists: false, facts };
  const arn = typeof scaling.target.scalableTargetARN === 'string' ? scaling.target.scalableTargetARN : undefined;
  const tags = arn && needsTags(resource, ctx) ? await port.listTags(arn) : undefined;
  const live: ScalingLive = tags && declaresTags(resource) ? { ...scaling, tags } : scaling;
  return { exists: true, arn: arn ?? facts.resourceId, live, ...(tags ? { tags } : {}), facts };
}
