// Alert events about the source (a revision that cannot be applied, a fetch that fails, and the
// recovery) and about prune refusing to delete. Pure, like derive.ts: the caller keeps the memory.
import { formatDiagnostic, parseResourceKey, type ResourceKey, type RevisionInfo } from '../core/types.js';
import type { SourceStatus } from '../status/types.js';
import { makeEvent, type AlertEvent, type AlertRevision, type AlertSubject } from './events.js';
import { redactUrl } from '../core/redact.js';

/** Every source event is about the one source of the operator. */
export const SOURCE_SUBJECT: AlertSubject = { kind: 'Source', name: 'source' };

/** The source failure alerted and not yet recovered. Start with `{}`. */
export interface SourceMemory {
  failed?: string;
}

export function revisionOf(info: RevisionInfo | undefined): AlertRevision | undefined {
  if (!info) return undefined;
  const out: AlertRevision = { id: info.id };
  if (info.message) out.message = info.message;
  if (info.author) out.author = info.author;
  return out;
}

/**
 * SourceFailed when the source becomes Stalled (a revision with manifest errors, not applied) or
 * Failed (cannot fetch), and again when a different revision is stalled; Recovered when it is Ready
 * again. Pending (start-up) raises nothing.
 */
export function deriveSourceEvents(
  current: SourceStatus,
  memory: SourceMemory,
  at: number,
): { events: AlertEvent[]; memory: SourceMemory } {
  const url = redactUrl(current.url);
  if (current.phase === 'Stalled' || current.phase === 'Failed') {
    const signature = `${current.phase}/${current.lastFetched?.id ?? ''}`;
    if (signature === memory.failed) return { events: [], memory };
    const first = current.errors[0];
    const message = current.phase === 'Stalled'
      ? `revision ${current.lastFetched?.id ?? 'unknown'} of ${url} was not applied (${current.errors.length} manifest error(s)); the last good revision stays in force`
      : `cannot read ${url}: ${current.message ?? 'unknown error'}`;
    const details: Record<string, string | number> = { phase: current.phase, url, errors: current.errors.length };
    if (first) details.firstError = formatDiagnostic(first);
    if (current.lastApplied) details.inForce = current.lastApplied.id;
    const revision = revisionOf(current.lastFetched);
    const event = makeEvent({ type: 'SourceFailed', resource: SOURCE_SUBJECT, message, at, details, ...(revision ? { revision } : {}) });
    return { events: [event], memory: { failed: signature } };
  }
  if (current.phase === 'Ready' && memory.failed) {
    const revision = revisionOf(current.lastApplied);
    const event = makeEvent({
      type: 'Recovered', resource: SOURCE_SUBJECT, at, ...(revision ? { revision } : {}),
      message: `source ${url} is Ready again: revision ${current.lastApplied?.id ?? 'unknown'} applied`,
      details: { after: 'SourceFailed', url },
    });
    return { events: [event], memory: {} };
  }
  return { events: [], memory };
}

export interface PruneBlockedInput {
  /** The resources prune would have deleted (or the one it refuses to). */
  resources: ResourceKey[];
  /** Why, e.g. `7 deletions exceed --prune-max 5`. */
  reason: string;
  revision?: AlertRevision;
  at: number;
}

/**
 * The PruneBlocked event the prune code reports through the dispatcher (Alerts.pruneBlocked). One
 * resource: about that resource; several: about the batch (`Prune/batch/PruneBlocked`).
 */
export function pruneBlockedEvent(input: PruneBlockedInput): AlertEvent {
  const [only] = input.resources;
  const subject: AlertSubject = input.resources.length === 1 && only
    ? parseResourceKey(only)
    : { kind: 'Prune', name: 'batch' };
  const listed = input.resources.slice(0, 20).join(', ') + (input.resources.length > 20 ? ', ...' : '');
  return makeEvent({
    type: 'PruneBlocked',
    resource: subject,
    message: `prune blocked: ${input.reason}; nothing was deleted (would delete ${listed})`,
    at: input.at,
    details: { count: input.resources.length, resources: input.resources.join(',') },
    ...(input.revision ? { revision: input.revision } : {}),
  });
}
