// The TaskDefinition kind as the reconcile machine drives it. Revisions are immutable: "apply" is a
// registration, made only when the family's latest ACTIVE revision differs from the manifest; an
// equal revision is reused whoever registered it. Dependents read the ARN of the revision in sync.
import type { DesiredResource } from '../../core/types.js';
import type { EcsPort } from '../../aws/ecs.js';
import type { KindHandler, Observation, Plan } from '../../runtime/kind-handler.js';
import { compareTaskDefinition } from './diff.js';
import { liveTaskDefinitionSpec, normalizeTaskDefinitionSpec } from './normalize.js';
import { applyTaskDefinition } from './apply.js';
import { familyOf, observeTaskDefinition } from './observe.js';

import { discoverOwnedTaskDefinitions, removeTaskDefinition } from './prune.js';
export function taskDefinitionHandler(ecs: EcsPort): KindHandler {
  return {
    kind: 'TaskDefinition',
    observe: (resource, ctx) => observeTaskDefinition(ecs, resource, ctx),
    plan: planTaskDefinition,
    apply: (resource, _observation, _plan, ctx) => applyTaskDefinition(ecs, resource, ctx),
    assess: () => ({ health: 'Healthy' }),
    // Only a revision equal to the manifest may be used by services.
    outputs: (resource, observation) =>
      observation.exists && planTaskDefinition(resource, observation).differences.length === 0
        ? { arn: observation.arn, family: familyOf(resource) }
        : {},
    discoverOwned: (ctx) => discoverOwnedTaskDefinitions(ecs, ctx),
    remove: (owned, ctx) => removeTaskDefinition(ecs, owned, ctx),
    async prefetch(resources) {
      await ecs.prefetchActiveTaskDefinitions(resources.map(familyOf));
    },
  };
}

export function planTaskDefinition(resource: DesiredResource, observation: Observation): Plan {
  if (!observation.exists) return { differences: [], requiresReplacement: [], desiredSpec: normalizeTaskDefinitionSpec(resource.manifest.spec) };
  const comparison = compareTaskDefinition(
    resource.manifest.spec, liveTaskDefinitionSpec(observation.live as never), resource.policy.ignoreDifferences,
  );
  return { differences: comparison.differences, requiresReplacement: [], desiredSpec: comparison.desired, liveSpec: comparison.live };
}
