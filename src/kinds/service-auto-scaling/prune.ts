// Prune of a ServiceAutoScaling: its scalable target is deregistered, which deletes its policies and
// scheduled actions with it. Ownership is the target's tags (written when the operator registered it),
// read on demand: Application Auto Scaling returns no tags with its descriptions.
import type { AutoScalingPort } from '../../aws/autoscaling.js';
import type { JsonObject } from '../../core/types.js';
import type { Observation, OwnedResource, ReconcileContext, RemoveResult } from '../../runtime/kind-handler.js';
import { ownedResource } from '../ownership.js';

/**
 * The target's tags. A read that fails is thrown, naming the target: unread tags must not pass for
 * "not ours" (prune would silently leave the target) nor for "ours".
 */
export async function scalingTags(port: AutoScalingPort, observation: Observation): Promise<Record<string, string>> {
  const arn = observation.arn;
  if (!arn?.startsWith('arn:')) return {};
  try {
    return await port.listTags(arn);
  } catch (err) {
    const resourceId = (observation.live as { resourceId?: string } | undefined)?.resourceId ?? arn;
    throw new Error(`cannot read the tags of scalable target ${resourceId}: ${String((err as Error).message).split('\n')[0]}`, { cause: err });
  }
}

/**
 * The scalable targets this instance owns: every ECS service target of the account, with its tags
 * (one ListTagsForResource per target, all asked at once; the client's pacing spaces them out).
 */
export async function discoverOwnedScaling(port: AutoScalingPort, ctx: ReconcileContext): Promise<OwnedResource[]> {
  const found = await Promise.all((await port.listScalableTargets()).map(async (target) => {
    const arn = typeof target.scalableTargetARN === 'string' ? target.scalableTargetARN : undefined;
    const observation: Observation = {
      exists: true, live: { resourceId: target.resourceId, target, policies: [], scheduledActions: [] } as unknown as JsonObject,
      ...(arn ? { arn } : {}),
    };
    observation.tags = await scalingTags(port, observation);
    return ownedResource('ServiceAutoScaling', observation, ctx.instance);
  }));
  return found.filter((owned) => owned !== undefined);
}

export async function removeScaling(port: AutoScalingPort, owned: OwnedResource): Promise<RemoveResult> {
  const resourceId = String((owned.observation.live as { resourceId?: string }).resourceId);
  await port.deregisterScalableTarget(resourceId);
  return { action: 'deregistered the scalable target (with its policies and scheduled actions)', writes: 1, gone: true };
}
