// Reads the revision a TaskDefinition manifest stands for: the family's latest ACTIVE revision (which
// one it is: one account-wide listing per resync, or one DescribeTaskDefinition by family; its
// content: cached forever by ARN) or, when the latest is not what the manifest asks for, an older
// ACTIVE revision that is (see reuse.ts).
import type { DesiredResource, JsonObject } from '../../core/types.js';
import type { TaskDefinitionDescription, TaskDefinitionPort } from '../../aws/ecs/task-definitions.js';
import { toJsonObject } from '../../normalize/common.js';
import type { Observation, ReconcileContext } from '../../runtime/kind-handler.js';
import { flattenTags } from '../ownership.js';

/** What a pass sees of a task definition: one revision's description as JSON, no facts beyond it. */
export type TaskDefinitionObservation = Observation<JsonObject, undefined>;

/** Finds the ACTIVE revision equal to the manifest when the latest is not (reuse.ts). */
export interface EqualRevision {
  equals(resource: DesiredResource, observation: TaskDefinitionObservation): boolean;
  equalRevision(resource: DesiredResource, family: string, latestArn: string): Promise<TaskDefinitionObservation | undefined>;
}

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
  port: TaskDefinitionPort, reuse: EqualRevision, resource: DesiredResource, ctx: ReconcileContext,
): Promise<TaskDefinitionObservation> {
  const family = familyOf(resource);
  const arn = await port.latestActiveTaskDefinitionArn(family, ctx.notBefore);
  if (!arn) return { exists: false };
  const latest = taskDefinitionObservation(await port.describeTaskDefinition(arn));
  if (!latest.exists || reuse.equals(resource, latest)) return latest;
  return (await reuse.equalRevision(resource, family, arn)) ?? latest;
}

/**
 * Observations by description. A revision's description is cached for as long as it stays what it
 * says (task-definition-cache.ts stores a new object when its status or tags change), so its JSON
 * form is made once, not once per pass; and plans keyed on the observation (handler.ts) are reused.
 */
const observations = new WeakMap<TaskDefinitionDescription, TaskDefinitionObservation>();

/** The observation of a revision's description: the same (read-only) object for the same description. */
export function taskDefinitionObservation(description: TaskDefinitionDescription | undefined): TaskDefinitionObservation {
  if (!description) return { exists: false };
  let observation = observations.get(description);
  if (!observation) {
    const td = description.taskDefinition;
    observation = { exists: true, arn: td.taskDefinitionArn, live: toJsonObject(td), tags: flattenTags(description.tags) };
    observations.set(description, observation);
  }
  return observation;
}
