// The alert vocabulary (DESIGN.md "Alerts and telemetry"): what every sink, the events API and the
// status page receive. One event per transition; its dedup key names the resource and the event type
// only, so a receiver can group the repeats of one story (a drift detected, reminded, resolved).
import { randomUUID } from 'node:crypto';
import { maskStrings, maskText } from '../core/redact.js';
import type { Difference } from '../diff/types.js';

export const ALERT_TYPES = [
  'DriftDetected', 'DriftResolved', 'DriftPersisting', 'SyncFailed', 'RolloutFailed', 'Recovered', 'SourceFailed', 'PruneBlocked',
] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

export type AlertSeverity = 'info' | 'warning' | 'error';

/** How bad each type is; the log sink logs at this level, receivers may route on it. */
export const SEVERITY: Record<AlertType, AlertSeverity> = {
  DriftDetected: 'warning',
  DriftPersisting: 'warning',
  DriftResolved: 'info',
  SyncFailed: 'error',
  RolloutFailed: 'error',
  Recovered: 'info',
  SourceFailed: 'error',
  PruneBlocked: 'warning',
};

/** What an event is about: a resource (kind/name), the source (kind `Source`), or prune (kind `Prune`). */
export interface AlertSubject {
  kind: string;
  name: string;
  arn?: string;
}

/** The Git (or folder) revision in force when the event happened. */
export interface AlertRevision {
  id: string;
  message?: string;
  author?: string;
}

export interface AlertEvent {
  /** Unique per event (a webhook delivery id: retries of one event carry the same id). */
  id: string;
  type: AlertType;
  /** `kind/name/type`, e.g. `Service/web/DriftDetected`: stable across repeats of the same story. */
  key: string;
  resource: AlertSubject;
  severity: AlertSeverity;
  revision?: AlertRevision;
  /** Field-level differences, secret-looking values already masked. Empty when not about a diff. */
  differences: Difference[];
  /** One readable sentence. */
  message: string;
  /** ISO time of the transition. */
  at: string;
  /** Facts particular to the type: resolution, policy, reminder number, reason... */
  details?: Record<string, string | number | boolean>;
}

/** `kind/name/type`: the same for every repeat of one story, whatever the details. */
export function dedupKey(subject: AlertSubject, type: AlertType): string {
  return `${subject.kind}/${subject.name}/${type}`;
}

/** What makeEvent needs; it adds the id, key and severity. `at` in ms. */
export interface EventInput {
  type: AlertType;
  resource: AlertSubject;
  message: string;
  at: number;
  revision?: AlertRevision;
  /** Masked by name already (maskDifferences: only the caller knows the specs); values are masked here. */
  differences?: Difference[];
  details?: Record<string, string | number | boolean>;
}

/**
 * Builds an event with its id, key, severity and ISO time filled in. The message, the differences,
 * the revision's subject and the details go through the value masking (core/redact.ts): every sink,
 * the events API and the page get what is built here, and nothing else.
 */
export function makeEvent(input: EventInput): AlertEvent {
  const event: AlertEvent = {
    id: randomUUID(),
    type: input.type,
    key: dedupKey(input.resource, input.type),
    resource: input.resource,
    severity: SEVERITY[input.type],
    differences: maskStrings(input.differences ?? []),
    message: maskText(input.message),
    at: new Date(input.at).toISOString(),
  };
  if (input.revision) event.revision = maskStrings(input.revision);
  if (input.details && Object.keys(input.details).length > 0) event.details = maskStrings(input.details);
  return event;
}
