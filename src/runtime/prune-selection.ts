// Which prune candidates may be deleted: owned by this instance as that very manifest, not kept by
// `ecs-operator.dev/prune: "false"`, created rather than adopted (unless told otherwise). Reads only;
// no write, no status change. See pruner.ts.
import { parseResourceKey, type DesiredState, type Kind } from '../core/types.js';
import { originOf, ownedBy, TAG_MANAGED_BY, TAG_PRUNE } from '../core/tags.js';
import { classifyError } from '../core/errors.js';
import type { KindHandler, OwnedResource, ReconcileContext } from './kind-handler.js';
import type { Candidate, PrunerOptions, Selection } from './prune-types.js';

/**
 * Sorts the candidates against `desired`: what may be deleted, what is kept (prune "false", or
 * adopted), what is no longer a candidate (declared again, gone, not this instance's), and what could
 * not be read.
 */
export async function selectCandidates(candidates: readonly Candidate[], desired: DesiredState, ctx: ReconcileContext, handlers: ReadonlyMap<Kind, KindHandler>, options: Pick<PrunerOptions, 'log' | 'pruneAdopted'>): Promise<Selection> {
  const selection: Selection = { deletable: [], kept: [], adopted: [], dropped: [], errors: [] };
  for (const candidate of candidates) {
    if (desired.resources.has(candidate.key)) {
      selection.dropped.push(candidate.key); // declared again: nothing to prune
      continue;
    }
    const handler = handlers.get(parseResourceKey(candidate.key).kind);
    let owned: OwnedResource | undefined;
    try {
      owned = candidate.owned ?? (await locate(candidate, handler, ctx));
      if (owned?.observation.exists && owned.observation.tags?.[TAG_MANAGED_BY] === undefined && handler?.liveTags) {
        owned = { ...owned, observation: { ...owned.observation, tags: await handler.liveTags(owned.observation, ctx) } };
      }
    } catch (err) {
      const message = `cannot read ${candidate.key} to prune it: ${firstLine(classifyError(err).message)}`;
      options.log.warn({ key: candidate.key, err: message }, 'cannot read a resource to prune; retried later');
      selection.errors.push({ key: candidate.key, kind: parseResourceKey(candidate.key).kind, message });
      continue;
    }
    if (!owned || !owned.observation.exists) {
      selection.dropped.push(candidate.key);
      continue;
    }
    if (!ownedBy(owned.observation.tags, ctx.instance, candidate.key)) {
      options.log.info({ key: candidate.key, arn: owned.observation.arn }, 'manifest removed; the live resource is not owned by this instance: left alone');
      selection.dropped.push(candidate.key);
      continue;
    }
    if (candidate.former?.resource.policy.prune === false || owned.observation.tags?.[TAG_PRUNE] === 'false') {
      options.log.info({ key: candidate.key }, 'manifest removed; kept: ecs-operator.dev/prune is "false"');
      selection.kept.push(candidate.key);
      continue;
    }
    if (!mayDeleteAdopted(options, candidate, owned) && originOf(owned.observation.tags) !== 'created') {
      options.log.info({ key: candidate.key, arn: owned.observation.arn }, 'manifest removed; kept: the resource was adopted, not created by ecs-operator (--prune-adopted or ecs-operator.dev/prune: "true" deletes it)');
      selection.adopted.push(candidate.key);
      continue;
    }
    selection.deletable.push({ ...candidate, owned });
  }
  return selection;
}

/** Whether an adopted resource may go too: the flag, or the prune annotation (as written, or as tagged). */
export function mayDeleteAdopted(options: Pick<PrunerOptions, 'pruneAdopted'>, candidate: Candidate, owned: OwnedResource): boolean {
  return options.pruneAdopted === true || candidate.former?.resource.policy.pruneAdopted === true || owned.observation.tags?.[TAG_PRUNE] === 'true';
}

/** The live resource of a candidate that left the desired state, observed as it was declared. */
async function locate(candidate: Candidate, handler: KindHandler | undefined, ctx: ReconcileContext): Promise<OwnedResource | undefined> {
  const former = candidate.former;
  if (!former || !handler) return undefined;
  // Observe in the state the manifest was declared in, so its references resolve as they did.
  const observation = await handler.observe(former.resource, { ...ctx, desired: former.state, outputsOf: () => ({ arn: 'unused' }) });
  return { key: candidate.key, observation };
}

export const firstLine = (text: string) => text.split('\n')[0]!;
