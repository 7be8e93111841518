// Registers a new revision: the only way to change a task definition. Called only when no ACTIVE
// revision of the family is what the manifest asks for after normalization. The revision carries
// its content hash, by which a registration whose answer was lost is found instead of made twice.
import type { DesiredResource, JsonObject } from '../../core/types.js';
import { TAG_CONTENT_HASH } from '../../core/tags.js';
import type { TaskDefinitionPort } from '../../aws/ecs/task-definitions.js';
import type { ApplyResult, ReconcileContext } from '../../runtime/kind-handler.js';
import { creationTags } from '../ownership.js';
import { taskDefinitionObservation } from './observe.js';
import { taskDefinitionContentHash } from './normalize.js';

export async function applyTaskDefinition(
  port: TaskDefinitionPort, resource: DesiredResource, ctx: ReconcileContext,
): Promise<ApplyResult<JsonObject, undefined>> {
  const spec = resource.manifest.spec;
  const identity = { key: TAG_CONTENT_HASH, value: taskDefinitionContentHash(spec) };
  const tags = [...creationTags(resource, ctx, spec.tags).filter((t) => t.key !== identity.key), identity];
  const registered = await port.registerTaskDefinition({ ...spec, tags }, identity);
  return {
    action: `registered revision ${registered.taskDefinition.revision}`,
    writes: 1,
    observation: taskDefinitionObservation(registered),
  };
}
