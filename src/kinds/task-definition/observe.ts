// Reads the revision a TaskDefinition manifest stands for: the family's latest ACTIVE revision (which
// one it is: one account-wide listing per resync, or one DescribeTaskDefinition by family; its
// content: cached forever by ARN) or, when the latest is not what the manifest asks for, an older
// ACTIVE revision that is (see reuse.ts).
import type { DesiredResource } from '../../core/types.js';
import type { EcsPort, TaskDefinitionDescription } from '../../aws/ecs.js';
import { toJson } from '../../normalize/common.js';
import type { Observation, ReconcileContext } from '../../runtime/kind-handler.js';
import { flattenTags } from '../ownership.js';
import type { RevisionReuse } from './reuse.js';

/** The task definition's family: spec.family (the loader sets it to metadata.name when absent). */
export function familyOf(resource: DesiredResource): string {
  return String(resource.manifest.spec.family);
}

/**
 * The latest ACTIVE revision when it equals the manifest, else the newest older ACTIVE revision that
 * does (`reuse`), else the latest (which then differs: a new revision is registered, or the drift
 * reported). `exists: false` when the family has no ACTIVE revision.
 */
export async function observeTaskDefinition(
  ecs: EcsPort, reuse: RevisionReuse, resource: DesiredResource, ctx: ReconcileContext,
): Promise<Observation> {
  const family = familyOf(resource);
  const arn = await ecs.latestActiveTaskDefinitionArn(family, ctx.notBefore);
  if (!arn) return { exists: false };
  const latest = taskDefinitionObservation(await ecs.describeTaskDefinition(arn));
  if (!latest.exists || reuse.equals(resource, latest)) return latest;
  return (await reuse.equalRevision(resource, family, arn)) ?? latest;
}

export function taskDefinitionObservation(description: TaskDefinitionDescription | undefined): Observation {
  if (!description) return { exists: false };
  const td = description.taskDefinition;
  return { exists: true, arn: td.taskDefinitionArn, live: toJson(td), tags: flattenTags(description.tags) };
}
