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
 * The last plan of an observed revision for a manifest. Both sides are normalized to compare them;
 * an observation is the same object for as long as the revision's description is (observe.ts), and a
 * manifest the same DesiredResource for as long as Git does not change it, so the passes of an idle
 * resync (and outputs, asked after the pass's plan of the very same observation) reuse the plan
 * rather than normalizing again. Plans are read-only.
 */
const planned = new WeakMap<TaskDefinitionObservation, { resource: DesiredResource; plan: Plan }>();

export function planTaskDefinition(resource: DesiredResource, observation: TaskDefinitionObservation): Plan {
  if (!observation.exists || !observation.live) {
    return { differences: [], requiresReplacement: [], desiredSpec: normalizeTaskDefinitionSpec(resource.manifest.spec) };
  }
  const known = planned.get(observation);
  if (known?.resource === resource) return known.plan;
  const comparison = compareTaskDefinition(resource.manifest.spec, liveTaskDefinitionSpec(observation.live), resource.policy.ignoreDifferences);
  const plan: Plan = { differences: comparison.differences, requiresReplacement: [], desiredSpec: comparison.desired, liveSpec: comparison.live };
  planned.set(observation, { resource, plan });
  return plan;
}

/** Whether the observed revision is what the manifest asks for (the plan's answer). */
function equalsManifest(resource: DesiredResource, observation: TaskDefinitionObservation): boolean {
  return planTaskDefinition(resource, observation).differences.length === 0;
}
