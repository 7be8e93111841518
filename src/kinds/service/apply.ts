// Creates a service (with a deterministic clientToken, so a retried create is idempotent) or updates
// it in place with every member UpdateService accepts; tags through TagResource and UntagResource.
import { createHash } from 'node:crypto';
import type { DesiredResource, JsonObject } from '../../core/types.js';
import { RetryableError } from '../../core/errors.js';
import type { ServicePort } from '../../aws/ecs/services.js';
import type { ApplyResult, Plan, ReconcileContext } from '../../runtime/kind-handler.js';
import { creationTags, ecsTagWrites, writeTags } from '../ownership.js';
import { topMember } from '../../diff/compare.js';
import { serviceUpdateInput } from './diff.js';
import { liveServiceSpec } from './normalize.js';
import { factsOf, serviceNameOf, serviceObservation, type ServiceFacts, type ServiceObservation } from './observe.js';

/** The manifest's spec with its references resolved, as AWS inputs need it. */
export function resolvedServiceSpec(resource: DesiredResource, facts: ServiceFacts): JsonObject {
  const spec: JsonObject = { ...resource.manifest.spec, cluster: facts.cluster, serviceName: serviceNameOf(resource) };
  if (facts.taskDefinitionArn) spec.taskDefinition = facts.taskDefinitionArn;
  return spec;
}

const HOUR_MS = 3_600_000;

/**
 * CreateService's clientToken (up to 36 ASCII characters): the same for the same instance, service
 * and manifest within the hour of `ctx.now`, so a create retried after a lost answer is idempotent;
 * another hour gives another token, so re-creating a service deleted out of band with the same
 * manifest is a new creation, not a replay of the first.
 */
function serviceClientToken(ctx: Pick<ReconcileContext, 'instance' | 'now'>, resource: DesiredResource, cluster: string): string {
  const hour = Math.floor(ctx.now / HOUR_MS);
  return createHash('sha256').update(`${ctx.instance}\0${cluster}\0${resource.key}\0${resource.hash}\0${hour}`).digest('hex').slice(0, 32);
}

export async function applyService(
  services: ServicePort, resource: DesiredResource, observation: ServiceObservation, plan: Plan, ctx: ReconcileContext,
): Promise<ApplyResult<JsonObject, ServiceFacts>> {
  const facts = factsOf(observation);
  const spec = resolvedServiceSpec(resource, facts);
  const name = serviceNameOf(resource);
  if (!observation.exists) {
    if (facts.draining) {
      throw new RetryableError(`service ${name} is still draining after a deletion; it is re-created once ECS has removed it`, 15_000);
    }
    const tags = creationTags(resource, ctx, spec.tags);
    const input: JsonObject = { ...spec, tags, clientToken: serviceClientToken(ctx, resource, facts.cluster) };
    // An autoscaled service starts at its manifest's count, else at the scaling minimum.
    const start = spec.desiredCount ?? (facts.autoscaled ? facts.minCapacity : undefined);
    if (start === undefined) delete input.desiredCount;
    else input.desiredCount = start;
    const created = await services.createService(input);
    return { action: 'created', writes: 1, observation: serviceObservation({ ...created, tags }, facts) };
  }

  let writes = 0;
  const live = observation.live ?? {};
  if (plan.differences.some((d) => topMember(d.path) !== 'tags')) {
    await services.updateService(serviceUpdateInput(spec, { autoscaled: facts.autoscaled, live: liveServiceSpec(live) }));
    writes++;
  }
  writes += await writeTags(services, observation.arn!, ecsTagWrites(resource, observation, ctx, spec.tags, live.tags));
  // Each write left the adapter's cached description current: no read is needed.
  const after = await services.getService(facts.cluster, name, 0);
  return { action: 'updated', writes, observation: serviceObservation(after, facts) };
}
