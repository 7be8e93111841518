// The one function that turns a reconcile actor's resting state into the status vocabulary (sync,
// health, conditions, drift, with secret-looking values masked). Every kind, every exit path of a
// pass, goes through here.
import type { ReconcileMachineContext } from '../runtime/reconcile-machine.js';
import { effectiveDriftPolicy, parseResourceKey } from '../core/types.js';
import type { Condition, ConditionType, HealthStatus, Reason, ResourceStatus, SyncStatus } from './types.js';
import { maskDifferences } from '../core/redact.js';

export type RestingState =
  | 'idle' | 'synced' | 'progressing' | 'degraded' | 'drifted' | 'stalled' | 'waiting' | 'retrying';

export const RESTING_STATES: ReadonlySet<string> = new Set<RestingState>([
  'idle', 'synced', 'progressing', 'degraded', 'drifted', 'stalled', 'waiting', 'retrying',
]);

export interface SummaryInput {
  state: RestingState;
  context: ReconcileMachineContext;
  /** The previous status of the same key, to keep condition and drift start times. */
  previous?: ResourceStatus;
  /** When the queue will retry, for the Retrying condition. */
  nextAttemptAt?: number;
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

export function summarize({ state, context: c, previous, nextAttemptAt }: SummaryInput): ResourceStatus {
  const { kind, name } = parseResourceKey(c.key);
  const now = c.request?.ctx.now ?? Date.now();
  const exists = c.observation?.exists;
  const policy = c.request ? effectiveDriftPolicy(c.request.desired, c.request.ctx.driftDefault) : undefined;
  const differs = (c.plan?.differences.length ?? 0) > 0 || (c.plan?.requiresReplacement.length ?? 0) > 0 || exists === false;

  let sync: SyncStatus;
  let health: HealthStatus;
  let healthMessage = c.assessment?.message;
  const conditions: Condition[] = [];
  const condition = (type: ConditionType, reason: Reason, message: string, extra: Partial<Condition> = {}) => {
    const before = previous?.conditions.find((p) => p.type === type && p.reason === reason);
    conditions.push({ type, reason, message, since: before?.since ?? iso(now)!, ...extra });
  };
  const lastHealth = (): HealthStatus => (exists === false ? 'Missing' : c.assessment?.health ?? previous?.health ?? 'Missing');

  switch (state) {
    case 'idle':
      sync = 'Unknown';
      health = 'Progressing';
      healthMessage = 'not reconciled yet';
      break;
    case 'synced':
    case 'progressing':
    case 'degraded':
      sync = 'Synced';
      health = c.assessment?.health ?? 'Healthy';
      break;
    case 'drifted':
      sync = policy === 'ignore' ? 'Synced' : 'OutOfSync';
      health = lastHealth();
      break;
    case 'stalled':
      sync = differs ? 'OutOfSync' : 'Unknown';
      health = lastHealth();
      if (c.error?.type === 'Stalled') condition('Stalled', c.error.reason, c.error.message);
      break;
    case 'waiting':
      sync = 'OutOfSync';
      health = lastHealth();
      condition('Waiting', 'DependencyNotReady', c.error?.message ?? 'waiting for a dependency');
      break;
    case 'retrying': {
      sync = c.plan ? (differs ? 'OutOfSync' : 'Synced') : 'Unknown';
      health = lastHealth();
      const message = c.error?.message ?? 'retrying';
      const reason = c.error?.type === 'Retrying' ? c.error.reason : 'TransientError';
      condition('Retrying', reason, message, nextAttemptAt === undefined ? {} : { nextAttemptAt: iso(nextAttemptAt)! });
      break;
    }
  }

  const status: ResourceStatus = { key: c.key, kind, name, sync, health, conditions };
  if (healthMessage && health !== 'Healthy') status.healthMessage = healthMessage;
  if (c.revision) status.revision = c.revision;
  if (c.lastSyncTime !== undefined) status.lastSyncTime = iso(c.lastSyncTime)!;
  if (c.lastReconcileTime !== undefined) status.lastReconcileTime = iso(c.lastReconcileTime)!;
  const arn = c.outputs?.arn ?? c.observation?.arn;
  if (arn && exists !== false) status.liveArn = arn;
  if (c.drift) {
    status.drift = {
      // Secret-looking values never leave the process: not in alerts, not in the API or the page.
      differences: maskDifferences(c.drift.differences, { desired: c.plan?.desiredSpec, live: c.plan?.liveSpec }),
      firstSeen: iso(c.drift.firstSeen)!,
      heals: c.heals.filter((h) => h.fingerprint === c.drift!.fingerprint).map((h) => iso(h.at)!),
    };
    if (c.fight && c.fight.fingerprint === c.drift.fingerprint) status.drift.fighting = true;
    if (policy) status.drift.policy = policy;
  }
  return status;
}
