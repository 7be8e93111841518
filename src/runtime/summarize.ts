// The one function that turns a pass's record into the status vocabulary (sync, health, conditions,
// drift, with secret-looking values masked). Every kind, every exit path of a pass, goes through here.
import { parseResourceKey, type ResourceKey } from '../core/types.js';
import type { ConditionType, Reason } from '../core/errors.js';
import { maskDifferences } from '../core/redact.js';
import type { Condition, HealthStatus, ResourceStatus, SyncStatus } from '../status/types.js';
import type { PassRecord } from './pass-record.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** The status of a resource declared and not reconciled yet. */
export function pendingStatus(key: ResourceKey): ResourceStatus {
  const { kind, name } = parseResourceKey(key);
  return { key, kind, name, sync: 'Unknown', health: 'Progressing', healthMessage: 'not reconciled yet', conditions: [] };
}

/**
 * The status a pass leaves. `previous` (the same key's last status) keeps condition start times;
 * `nextAttemptAt` (ms) is when a Retrying resource is tried again.
 */
export function summarize(r: PassRecord, previous?: ResourceStatus, nextAttemptAt?: number): ResourceStatus {
  const { kind, name } = parseResourceKey(r.key);
  const conditions: Condition[] = [];
  const condition = (type: ConditionType, reason: Reason, message: string, extra: Partial<Condition> = {}) => {
    const before = previous?.conditions.find((p) => p.type === type && p.reason === reason);
    conditions.push({ type, reason, message, since: before?.since ?? iso(r.at), ...extra });
  };
  // What the manifest asks for is not what is live: a plan found differences, or the resource is missing.
  const differs = r.differs === true || r.exists === false;
  const lastHealth = (): HealthStatus => (r.exists === false ? 'Missing' : r.health?.health ?? previous?.health ?? 'Missing');

  let sync: SyncStatus;
  let health: HealthStatus;
  switch (r.state) {
    case 'synced':
    case 'progressing':
    case 'degraded':
      sync = 'Synced';
      health = r.health?.health ?? 'Healthy';
      break;
    case 'drifted':
      sync = r.policy === 'ignore' ? 'Synced' : 'OutOfSync';
      health = lastHealth();
      break;
    case 'stalled':
      sync = differs ? 'OutOfSync' : 'Unknown';
      health = lastHealth();
      if (r.problem?.type === 'Stalled') condition('Stalled', r.problem.reason, r.problem.message);
      break;
    case 'waiting':
      sync = 'OutOfSync';
      health = lastHealth();
      condition('Waiting', 'DependencyNotReady', r.problem?.message ?? 'waiting for a dependency');
      break;
    case 'retrying':
      sync = r.differs === undefined ? 'Unknown' : differs ? 'OutOfSync' : 'Synced';
      health = lastHealth();
      condition('Retrying', r.problem?.type === 'Retrying' ? r.problem.reason : 'TransientError', r.problem?.message ?? 'retrying',
        nextAttemptAt === undefined ? {} : { nextAttemptAt: iso(nextAttemptAt) });
      break;
  }

  const status: ResourceStatus = { key: r.key, kind, name, sync, health, conditions };
  if (r.health?.message && health !== 'Healthy') status.healthMessage = r.health.message;
  if (r.revision) status.revision = r.revision;
  if (r.lastSyncTime !== undefined) status.lastSyncTime = iso(r.lastSyncTime);
  status.lastReconcileTime = iso(r.at);
  if (r.arn && r.exists !== false) status.liveArn = r.arn;
  if (r.drift) {
    status.drift = {
      // Secret-looking values never leave the process: not in alerts, not in the API or the page.
      differences: maskDifferences(r.drift.differences, r.specs),
      firstSeen: iso(r.drift.firstSeen),
      heals: r.drift.heals.map(iso),
    };
    if (r.drift.fighting) status.drift.fighting = true;
    status.drift.policy = r.policy;
  }
  return status;
}
