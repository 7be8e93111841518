// Prune of a ServiceAutoScaling: its scalable target is deregistered, which deletes its policies and
// scheduled actions with it. Ownership is the target's tags (written when the operator registered it),
// read on demand: Application Auto Scaling returns no tags with its descriptions.
import type { AutoScalingPort } from '../../aws/autoscaling.js';
import type { OwnedResource, ReconcileContext, RemoveResult } from '../../runtime/kind-handler.js';
import { ownedResource } from '../ownership.js';
import { identityOfTarget, scalingFactsOf, type ScalingFacts, type ScalingLive, type ScalingObservation } from './observe.js';

export type OwnedScaling = OwnedResource<ScalingLive, ScalingFacts>;

/**
 * The target's tags. A read that fails is thrown, naming the target: unread tags must not pass for
 * "not ours" (prune would silently leave the target) nor for "ours".
 */
export async function scalingTags(port: AutoScalingPort, observation: ScalingObservation): Promise<Record<string, string>> {
  const arn = observation.arn;
  if (!arn?.startsWith('arn:')) return {};
  try {
    return await port.listTags(arn);
  } catch (err) {
    const resourceId = observation.live?.resourceId ?? arn;
    throw new Error(`cannot read the tags of scalable target ${resourceId}: ${String((err as Error).message).split('\n')[0]}`, { cause: err });
  }
}

/**
 * The scalable targets this instance owns: every ECS service target of the account, with its tags
 * (one ListTagsForResource per target, all asked at once; the client's pacing spaces them out).
 */
export async function discoverOwnedScaling(port: AutoScalingPort, ctx: ReconcileContext): Promise<OwnedScaling[]> {
  const found = await Promise.all((await port.listScalableTargets()).map(async (target) => {
    const arn = typeof target.scalableTargetARN === 'string' ? target.scalableTargetARN : undefined;
    const resourceId = String(target.resourceId);
    const observation: ScalingObservation = {
      exists: true, live: { resourceId, target, policies: [], scheduledActions: [] }, facts: identityOfTarget(resourceId), ...(arn ? { arn } : {}),
    };
    observation.tags = await scalingTags(port, observation);
    return ownedResource('ServiceAutoScaling', observation, ctx.instance);
  }));
  return found.filter((owned) => owned !== undefined);
}

export async function removeScaling(port: AutoScalingPort, owned: OwnedScaling): Promise<RemoveResult> {
  const resourceId = owned.observation.live?.resourceId ?? scalingFactsOf(owned.observation).resourceId;
  await port.deregisterScalableTarget(resourceId);
  return { action: 'deregistered the scalable target (with its policies and scheduled actions)', writes: 1, gone: true };
}
