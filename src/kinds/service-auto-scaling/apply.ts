// Registers the scalable target and puts and deletes policies and scheduled actions until the service's
// auto scaling is what the manifest asks for (see scalingWrites), and keeps its tags and the operator's in step.
// Every write is an idempotent put or a delete that tolerates "already gone": safe to repeat.
import type { DesiredResource, JsonObject } from '../../core/types.js';
import type { AutoScalingPort } from '../../aws/autoscaling.js';
import { isObject } from '../../normalize/common.js';
import { isUnmanagedTagKey } from '../../normalize/tags.js';
import type { ApplyResult, Plan, ReconcileContext } from '../../runtime/kind-handler.js';
import { creationOwnershipTags, ownershipTagWrites, writeTags } from '../ownership.js';
import { scalingWrites, type ScalingWrite } from './diff.js';
import { normalizeScalingSpec } from './normalize.js';
import { declaresTags, scalingFactsOf, type ScalingFacts, type ScalingLive, type ScalingObservation } from './observe.js';

function tagMap(value: JsonObject[string] | undefined): Record<string, string> {
  return isObject(value) ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)])) : {};
}

async function write(port: AutoScalingPort, resourceId: string, w: ScalingWrite): Promise<void> {
  switch (w.operation) {
    case 'RegisterScalableTarget': return port.registerScalableTarget(resourceId, w.input);
    case 'PutScalingPolicy': return port.putScalingPolicy(resourceId, w.input);
    case 'DeleteScalingPolicy': return port.deleteScalingPolicy(resourceId, w.name);
    case 'PutScheduledAction': return port.putScheduledAction(resourceId, w.input);
    case 'DeleteScheduledAction': return port.deleteScheduledAction(resourceId, w.name);
  }
}

/**
 * The tag writes of an existing target. The operator's tags (ownershipTagWrites: managed-by,
 * resource, prune when annotated, the applied-hash) when the
 * target's tags were read and lack them, or, when they were not read, once with every apply that
 * writes anything: an adopted target gets them with its first change. The manifest's own tags set
 * where they differ, and, when it declares tags, live keys it no longer declares removed (never the
 * operator's or aws: keys; a `prune=false` whose annotation is gone is, when the tags were read).
 * Only a target with an ARN can be tagged.
 */
async function syncTags(
  port: AutoScalingPort, resource: DesiredResource, observation: ScalingObservation, ctx: ReconcileContext,
  declared: Record<string, string>, wroteAnything: boolean,
): Promise<number> {
  const arn = observation.arn;
  if (!arn?.startsWith('arn:') || (observation.tags === undefined && !wroteAnything)) return 0;
  const live = observation.tags ?? {};
  const own = ownershipTagWrites(resource, observation, ctx);
  const stale = declaresTags(resource) ? Object.keys(live).filter((k) => !isUnmanagedTagKey(k) && !(k in declared)) : [];
  return writeTags(port, arn, {
    tag: { ...Object.fromEntries(Object.entries(declared).filter(([k, v]) => live[k] !== v)), ...own.tag },
    untag: [...stale, ...own.untag],
  });
}

/**
 * Makes the writes scalingWrites lists, in its order, then the tag writes (see syncTags). A new
 * scalable target is registered with the manifest's tags and the operator's, the applied-hash
 * included, and origin=created (RegisterScalableTarget tags only at creation). Returns no observation: the adapter
 * forgot the cached state at each write, so the next observe reads what AWS made of them, and the
 * pass converges on AWS's word rather than on ours.
 */
export async function applyScaling(
  port: AutoScalingPort, resource: DesiredResource, observation: ScalingObservation, plan: Plan, ctx: ReconcileContext,
): Promise<ApplyResult<ScalingLive, ScalingFacts>> {
  const { resourceId } = scalingFactsOf(observation);
  const full = normalizeScalingSpec(resource.manifest.spec);
  const declared = tagMap(full.tags);
  const compared = observation.exists && plan.desiredSpec && plan.liveSpec ? { desired: plan.desiredSpec, live: plan.liveSpec } : undefined;
  const writes = scalingWrites(full, compared);
  for (const w of writes) {
    if (!observation.exists && w.operation === 'RegisterScalableTarget') {
      w.input.tags = { ...declared, ...creationOwnershipTags(resource, ctx) };
    }
    await write(port, resourceId, w);
  }
  const tagWrites = observation.exists ? await syncTags(port, resource, observation, ctx, declared, writes.length > 0) : 0;
  return { action: observation.exists ? 'updated' : 'created', writes: writes.length + tagWrites };
}
