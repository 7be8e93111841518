// Reads a family's latest ACTIVE revision: which one it is (one account-wide listing per resync, or one
// DescribeTaskDefinition by family), and its content (cached forever by ARN).
import type { DesiredResource } from '../../core/types.js';
import type { EcsPort, TaskDefinitionDescription } from '../../aws/ecs.js';
import { toJson } from '../../normalize/common.js';
import type { Observation, ReconcileContext } from '../../runtime/kind-handler.js';
import { flattenTags } from '../ownership.js';

/** The task definition's family: spec.family (the loader sets it to metadata.name when absent). */
export function familyOf(resource: DesiredResource): string {
  return String(resource.manifest.spec.family);
}

export async function observeTaskDefinition(ecs: EcsPort, resource: DesiredResource, ctx: ReconcileContext): Promise<Observation> {
  const arn = await ecs.latestActiveTaskDefinitionArn(familyOf(resource), ctx.notBefore);
  if (!arn) return { exists: false };
  return taskDefinitionObservation(await ecs.describeTaskDefinition(arn));
}

export function taskDefinitionObservation(description: TaskDefinitionDescription | undefined): Observation {
  if (!description) return { exists: false };
  const td = description.taskDefinition;
  return { exists: true, arn: td.taskDefinitionArn, live: toJson(td), tags: flattenTags(description.tags) };
}
