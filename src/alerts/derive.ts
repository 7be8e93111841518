// From a resource's status transition to its alert events. Pure: the caller keeps one ResourceMemory
// per resource (what was alerted and not yet resolved) and hands it back each time, so a state seen
// by many passes gives one alert, and a drift healed within a single pass still gives its
// DriftDetected and DriftResolved. Resources whose drift policy is `ignore` raise no drift events.
import { parseResourceKey, type ResourceKey } from '../core/types.js';
import type { Difference } from '../diff/types.js';
import { driftFingerprint } from '../runtime/drift-policy.js';
import type { Condition, ResourceStatus } from '../status/types.js';
import { makeEvent, type AlertEvent, type AlertRevision, type AlertSubject, type AlertType } from './events.js';
import { maskDifferences, type MaskSpecs } from '../core/redact.js';

/** What was alerted about one resource and is still open. Start with `{}`. */
export interface ResourceMemory {
  /** A DriftDetected was sent for this drift (masked differences kept for DriftResolved). */
  drift?: { fingerprint: string; fighting: boolean; differences: Difference[] };
  /** A SyncFailed or RolloutFailed was sent; a Recovered closes it. */
  failure?: { signature: string; type: 'SyncFailed' | 'RolloutFailed'; message: string };
}

export interface ResourceTransition {
  key: ResourceKey;
  previous: ResourceStatus | undefined;
  /** undefined: the resource left the desired state. */
  current: ResourceStatus | undefined;
  /** The differences a healing pass found before it wrote (the drift it healed). */
  healed?: Difference[];
  /** The pass found the rollout of what the manifest asks for failed (Assessment.rolloutFailed). */
  rolloutFailed?: boolean;
  /** Normalized specs of the pass, so that masking can name a pair's value (mask.ts). */
  specs?: MaskSpecs;
  revision?: AlertRevision;
  /** When the transition happened (ms). */
  at: number;
}

export interface DeriveOptions {
  /** A Retrying condition this old is a SyncFailed (transient errors that do not pass). Default 5 min. */
  retryingAfterMs?: number;
}

/** Retrying this long (5 min: past the reconcile backoff's cap) means a human should look. */
export const DEFAULT_RETRYING_AFTER_MS = 5 * 60_000;

/** What an event about `key` names: kind, name, and the live ARN when known. */
export function subjectOf(key: ResourceKey, status: ResourceStatus | undefined): AlertSubject {
  const { kind, name } = parseResourceKey(key);
  return status?.liveArn ? { kind, name, arn: status.liveArn } : { kind, name };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The events of one transition, in order, and the memory to keep for the next. Drift: DriftDetected
 * when a drift shows (or changes, or turns into a fight), DriftDetected then DriftResolved for a drift
 * healed within the pass, DriftResolved when it goes (resolution healed, git, reverted or removed).
 * Failures: SyncFailed or RolloutFailed when one starts or changes (failureOf), Recovered once the
 * resource is Synced and Healthy with no Stalled or Retrying condition.
 */
export function deriveResourceEvents(
  t: ResourceTransition,
  memory: ResourceMemory,
  options: DeriveOptions = {},
): { events: AlertEvent[]; memory: ResourceMemory } {
  const events: AlertEvent[] = [];
  const next: ResourceMemory = { ...memory };
  const subject = subjectOf(t.key, t.current ?? t.previous);
  const emit = (type: AlertType, message: string, extra: { differences?: Difference[]; details?: Record<string, string | number | boolean> } = {}) =>
    events.push(makeEvent({ type, resource: subject, message, at: t.at, ...(t.revision ? { revision: t.revision } : {}), ...extra }));
  const drift = t.current?.drift;
  const policy = drift?.policy ?? t.previous?.drift?.policy;
  const healed = t.healed !== undefined;

  // Drift that stays on record: alert-only policy, or a heal that keeps being reverted (a fight).
  if (drift && policy !== 'ignore') {
    const fingerprint = driftFingerprint(drift.differences);
    const fighting = drift.fighting === true;
    if (next.drift?.fingerprint !== fingerprint || (fighting && !next.drift.fighting)) {
      const differences = maskDifferences(drift.differences, t.specs);
      const what = fighting
        ? 'the operator healed it but something keeps changing it back, so it is only reported until the drift or the manifest changes'
        : policy === 'alert' ? 'left as it is (drift: alert)' : 'it came back after a heal; the next heal waits for the heal backoff';
      emit('DriftDetected', `${t.key} differs from Git in ${plural(differences.length, 'field')}: ${what}`, {
        differences, details: { policy: policy ?? 'heal', fighting, firstSeen: drift.firstSeen },
      });
      next.drift = { fingerprint, fighting, differences };
    }
  } else if (healed) {
    // Seen and healed in one pass: both transitions, in order.
    if (!next.drift) {
      const differences = maskDifferences(t.healed ?? [], t.specs);
      emit('DriftDetected', `${t.key} differs from Git in ${plural(differences.length, 'field')}: healing (drift: heal)`, {
        differences, details: { policy: 'heal', fighting: false },
      });
      next.drift = { fingerprint: '', fighting: false, differences };
    }
    emit('DriftResolved', `${t.key} is in sync again: the operator healed the drift`, {
      differences: next.drift.differences, details: { resolution: 'healed' },
    });
    delete next.drift;
  } else if (next.drift) {
    const resolution = !t.current ? 'removed' : t.current.revision !== t.previous?.revision || policy === 'ignore' ? 'git' : 'reverted';
    const how = {
      removed: 'its manifest was removed from Git',
      git: `Git changed (revision ${t.current?.revision ?? 'unknown'})`,
      reverted: 'the live change was undone outside the operator',
    }[resolution];
    emit('DriftResolved', `${t.key} ${resolution === 'removed' ? 'no longer drifts' : 'is in sync again'}: ${how}`, {
      differences: next.drift.differences, details: { resolution },
    });
    delete next.drift;
  }

  if (!t.current) {
    delete next.failure;
    return { events, memory: next };
  }
  const failure = failureOf(t.current, t.at, options.retryingAfterMs ?? DEFAULT_RETRYING_AFTER_MS, t.rolloutFailed === true);
  if (failure && failure.signature !== next.failure?.signature) {
    emit(failure.type, failure.message, { details: failure.details });
    next.failure = { signature: failure.signature, type: failure.type, message: failure.message };
  } else if (!failure && next.failure && isRecovered(t.current)) {
    emit('Recovered', `${t.key} recovered: Synced and Healthy again after ${next.failure.type}`, {
      details: { after: next.failure.type, was: next.failure.message },
    });
    delete next.failure;
  }
  return { events, memory: next };
}

interface Failure {
  type: 'SyncFailed' | 'RolloutFailed';
  /** Same signature, same story: no new alert. */
  signature: string;
  message: string;
  details: Record<string, string | number | boolean>;
}

/**
 * The failure a status shows now, if any: a failed rollout (held as Stalled RolloutFailed, or
 * Degraded while the pass found `rolloutFailed`), a Stalled condition, or a lasting Retrying.
 */
export function failureOf(status: ResourceStatus, at: number, retryingAfterMs: number, rolloutFailed = false): Failure | undefined {
  const key = status.key;
  const stalled = status.conditions.find((c) => c.type === 'Stalled');
  const rollout = stalled?.reason === 'RolloutFailed'
    ? stalled.message
    : status.health === 'Degraded' && rolloutFailed ? status.healthMessage ?? 'rollout failed' : undefined;
  if (rollout !== undefined) {
    return { type: 'RolloutFailed', signature: 'RolloutFailed', message: `${key} rollout failed: ${rollout}`, details: { health: status.health } };
  }
  if (stalled) return syncFailed(stalled, `${key} cannot sync (${stalled.reason}): ${stalled.message}`);
  const retrying = status.conditions.find((c) => c.type === 'Retrying');
  if (retrying) {
    const age = at - Date.parse(retrying.since);
    if (age >= retryingAfterMs) {
      return syncFailed(retrying, `${key} has been retrying for ${Math.round(age / 60_000)} min (${retrying.reason}): ${retrying.message}`);
    }
  }
  return undefined;
}

function syncFailed(condition: Condition, message: string): Failure {
  return {
    type: 'SyncFailed',
    signature: `SyncFailed/${condition.type}/${condition.reason}`,
    message,
    details: { condition: condition.type, reason: condition.reason, since: condition.since },
  };
}

function isRecovered(status: ResourceStatus): boolean {
  return status.sync === 'Synced' && status.health === 'Healthy' && !status.conditions.some((c) => c.type !== 'Waiting');
}
