// Registers a new revision: the only way to change a task definition. Called only when the latest
// ACTIVE revision really differs from the manifest after normalization.
import type { DesiredResource, JsonObject } from '../../core/types.js';
import type { EcsPort } from '../../aws/ecs.js';
import type { ApplyResult, ReconcileContext } from '../../runtime/kind-handler.js';
import { creationTags } from '../ownership.js';
import { taskDefinitionObservation } from './observe.js';

export async function applyTaskDefinition(ecs: EcsPort, resource: DesiredResource, ctx: ReconcileContext): Promise<ApplyResult> {
  const spec = resource.manifest.spec;
  const registered = await ecs.registerTaskDefinition({ ...spec, tags: creationTags(resource, ctx, spec.tags) } as JsonObject);
  return {
    action: `registered revision ${registered.taskDefinition.revision}`,
    writes: 1,
    observation: taskDefinitionObservation(registered),
  };
}
