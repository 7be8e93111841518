// The ServiceAutoScaling kind's handler: observe the scalable target with its policies and scheduled
// actions, plan (normalize + diff), apply the writes, assess, prune.
import type { DesiredResource } from '../../core/types.js';
import type { AutoScalingPort, ServiceScaling } from '../../aws/autoscaling.js';
import { isObject } from '../../normalize/common.js';
import type { Assessment, KindHandler, Plan, ReconcileContext } from '../../runtime/kind-handler.js';
import { adoptionDifferences } from '../ownership.js';
import { applyScaling } from './apply.js';
import { diffScaling } from './diff.js';
import { liveScalingSpec, normalizeScalingSpec } from './normalize.js';
import { observeScaling, scalingFactsOf, scalingIdentity, type ScalingFacts, type ScalingLive, type ScalingObservation } from './observe.js';
import { discoverOwnedScaling, removeScaling, scalingTags } from './prune.js';

export function serviceAutoScalingHandler(port: AutoScalingPort): KindHandler<ScalingLive, ScalingFacts> {
  return {
    kind: 'ServiceAutoScaling',
    refreshesRecord: true,
    observe: (resource, ctx) => observeScaling(port, resource, ctx),
    plan: planScaling,
    apply: (resource, observation, plan, ctx) => applyScaling(port, resource, observation, plan, ctx),
    assess: (_resource, observation) => assessScaling(observation.live ?? { resourceId: scalingFactsOf(observation).resourceId, target: undefined, policies: [], scheduledActions: [] }),
    outputs: (_resource, observation) => (observation.exists ? { arn: observation.arn, resourceId: scalingFactsOf(observation).resourceId } : {}),
    discoverOwned: (ctx) => discoverOwnedScaling(port, ctx),
    liveTags: (observation) => scalingTags(port, observation),
    remove: (owned) => removeScaling(port, owned),
    async prefetch(resources, ctx) {
      await port.prefetchScaling(resources.map((r) => scalingIdentity(r, ctx).resourceId));
    },
  };
}

/**
 * Pure: what differs between the manifest and the live scaling, and, when the target's tags were
 * read, the ownership tags an adopted target still lacks. Never blocked on ownership: the scalable
 * target is the service's, and the Service kind refuses services this instance does not own (this
 * kind waits for its Service until then).
 */
export function planScaling(resource: DesiredResource, observation: ScalingObservation, ctx: ReconcileContext): Plan {
  const desired = resource.manifest.spec;
  if (!observation.exists || !observation.live) return { differences: [], requiresReplacement: [], desiredSpec: normalizeScalingSpec(desired) };
  const scaling = observation.live;
  const live = liveScalingSpec(scaling, String(desired.service), scaling.tags);
  const comparison = diffScaling(desired, live, resource.policy.ignoreDifferences);
  const adoption = observation.tags ? adoptionDifferences(resource, observation, ctx) : [];
  return { differences: [...comparison.differences, ...adoption], requiresReplacement: [], desiredSpec: comparison.desired, liveSpec: comparison.live };
}

/** Healthy once registered and in sync; the message says what it does and what is suspended. */
export function assessScaling(scaling: ServiceScaling): Assessment {
  const target = scaling.target ?? {};
  const state = target.suspendedState;
  const suspended = isObject(state) ? Object.entries(state).filter(([, v]) => v === true).map(([k]) => k.replace(/Suspended$/, '')) : [];
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const parts = [
    `${target.minCapacity}-${target.maxCapacity} tasks`,
    plural(scaling.policies.length, 'policy').replace('policys', 'policies'),
    plural(scaling.scheduledActions.length, 'scheduled action'),
  ];
  if (suspended.length > 0) parts.push(`suspended: ${suspended.join(', ')}`);
  return { health: 'Healthy', message: parts.join('; ') };
}
