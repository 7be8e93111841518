// The TaskDefinition kind's handler. Revisions are immutable: "apply" is a registration, made only
// when no ACTIVE revision of the family equals the manifest (the latest, or an older one after a
// rollback); an equal revision is reused whoever registered it. Dependents read the ARN of the
// revision in sync.
import type { DesiredResource, JsonObject } from '../../core/types.js';
import type { TaskDefinitionPort } from '../../aws/ecs/task-definitions.js';
import type { KindHandler, Plan } from '../../runtime/kind-handler.js';
import { compareTaskDefinition } from './diff.js';
import { liveTaskDefinitionSpec, normalizeTaskDefinitionSpec } from './normalize.js';
import { applyTaskDefinition } from './apply.js';
import { familyOf, observeTaskDefinition, type TaskDefinitionObservation } from './observe.js';
import { discoverOwnedTaskDefinitions, removeTaskDefinition } from './prune.js';
import { RevisionReuse } from './reuse.js';

export function taskDefinitionHandler(port: TaskDefinitionPort): KindHandler<JsonObject, undefined> {
  const reuse = new RevisionReuse(port, equalsManifest);
  return {
    kind: 'TaskDefinition',
    observe: (resource, ctx) => observeTaskDefinition(port, reuse, resource, ctx),
    plan: planTaskDefinition,
    apply: (resource, _observation, _plan, ctx) => applyTaskDefinition(port, resource, ctx),
    assess: () => ({ health: 'Healthy' }),
    // Only a revision equal to the manifest may be used by services.
    outputs: (resource, observation) =>
      observation.exists && equalsManifest(resource, observation) ? { arn: observation.arn, family: familyOf(resource) } : {},
    discoverOwned: (ctx) => discoverOwnedTaskDefinitions(port, ctx),
    remove: (owned, ctx, options) => removeTaskDefinition(port, owned, ctx, options),
    async prefetch(resources) {
      await port.prefetchActiveTaskDefinitions(resources.map(familyOf));
    },
  };
}

/**
 * What the last plan of an observed revision found for a manifest: whether they are equal. Both
 * sides are normalized to compare them, so outputs (asked after the pass's plan of the very same
 * observation) reuses the answer rather than normalizing again.
 */
const planned = new WeakMap<TaskDefinitionObservation, { resource: DesiredResource; equal: boolean }>();

export function planTaskDefinition(resource: DesiredResource, observation: TaskDefinitionObservation): Plan {
  if (!observation.exists || !observation.live) {
    return { differences: [], requiresReplacement: [], desiredSpec: normalizeTaskDefinitionSpec(resource.manifest.spec) };
  }
  const comparison = compareTaskDefinition(resource.manifest.spec, liveTaskDefinitionSpec(observation.live), resource.policy.ignoreDifferences);
  planned.set(observation, { resource, equal: comparison.differences.length === 0 });
  return { differences: comparison.differences, requiresReplacement: [], desiredSpec: comparison.desired, liveSpec: comparison.live };
}

/** Whether the observed revision is what the manifest asks for (the plan's answer when there was one). */
function equalsManifest(resource: DesiredResource, observation: TaskDefinitionObservation): boolean {
  const known = planned.get(observation);
  if (known?.resource === resource) return known.equal;
  return planTaskDefinition(resource, observation).differences.length === 0;
}
