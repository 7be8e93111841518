// The batched read at the start of a wave (a resync, a dry run): every kind reads all of its resources
// in as few calls as it can, so that each pass's observe is a cache hit.
import type { DesiredResource, DesiredState, Kind } from '../core/types.js';
import type { KindHandler, ReconcileContext } from './kind-handler.js';

/** Reads every resource of `state`, kind by kind in parallel. A failed prefetch only costs calls later. */
export async function prefetchAll(state: DesiredState, handlers: ReadonlyMap<Kind, KindHandler>, ctx: ReconcileContext): Promise<void> {
  const byKind = new Map<Kind, DesiredResource[]>();
  for (const key of state.order) {
    const resource = state.resources.get(key)!;
    const list = byKind.get(resource.kind);
    if (list) list.push(resource);
    else byKind.set(resource.kind, [resource]);
  }
  await Promise.all([...byKind].map(async ([kind, resources]) => {
    try {
      await handlers.get(kind)?.prefetch?.(resources, ctx);
    } catch (err) {
      ctx.log.warn({ kind, err: (err as Error).message }, 'prefetch failed');
    }
  }));
}
