// Whether a service's auto scaling is what the manifest asks for, and the Application Auto Scaling
// writes that make it so: register the target, put the policies and scheduled actions that are new or
// changed, and delete exactly those the manifest no longer has.
import type { JsonObject, JsonValue } from '../../core/types.js';
import { diffJson } from '../../diff/diff.js';
import { asList, isObject, jsonEqual } from '../../normalize/common.js';
import { compareNormalized, type Comparison } from '../../diff/compare.js';
import type { ServerComputed } from '../../normalize/server-computed.js';
import { normalizeScalingSpec } from './normalize.js';

/** Fields compared only when the manifest sets them. */
export const SCALING_SERVER_COMPUTED: readonly ServerComputed[] = [
  { path: '/roleARN', why: 'the service-linked role AWSServiceRoleForApplicationAutoScaling_ECSService when none is given' },
];

/**
 * Normalizes both specs (the live one from liveScalingSpec) and compares them. A scheduled action that
 * runs sets the target's capacities to its scalableTargetAction: a live minCapacity (maxCapacity) equal
 * to one a scheduled action of the manifest sets is that schedule at work, not drift, and compares
 * equal to the manifest's.
 */
export function diffScaling(desiredSpec: JsonObject, liveSpec: JsonObject, ignore: readonly string[] = []): Comparison {
  const desired = normalizeScalingSpec(desiredSpec);
  const live = normalizeScalingSpec(liveSpec);
  for (const member of ['minCapacity', 'maxCapacity']) {
    const scheduled = (asList(desired.scheduledActions) ?? []).filter(isObject)
      .map((a) => (isObject(a.scalableTargetAction) ? a.scalableTargetAction[member] : undefined));
    if (live[member] !== undefined && live[member] !== desired[member] && scheduled.includes(live[member])) live[member] = desired[member]!;
  }
  return compareNormalized(desired, live, ignore, SCALING_SERVER_COMPUTED);
}

/** One Application Auto Scaling write: the operation and its input (lowerCamelCase, target identity left out). */
export type ScalingWrite =
  | { operation: 'RegisterScalableTarget'; input: JsonObject }
  | { operation: 'PutScalingPolicy'; input: JsonObject }
  | { operation: 'DeleteScalingPolicy'; name: string }
  | { operation: 'PutScheduledAction'; input: JsonObject }
  | { operation: 'DeleteScheduledAction'; name: string };

const TARGET_MEMBERS = ['minCapacity', 'maxCapacity', 'roleARN', 'suspendedState'];
const NOT_SUSPENDED: JsonObject = { dynamicScalingInSuspended: false, dynamicScalingOutSuspended: false, scheduledScalingSuspended: false };
/**
 * PutScheduledAction leaves members it is not given as they were, except startTime and endTime
 * (cleared); timezone is always sent. An action whose live version has any other member the manifest
 * lacks is deleted and put again.
 */
const CLEARED_BY_PUT = new Set(['/timezone', '/startTime', '/endTime']);

function byName(list: JsonValue | undefined, key: string): Map<string, JsonObject> {
  return new Map((asList(list) ?? []).filter(isObject).map((item) => [String(item[key]), item]));
}

interface NamedList {
  list: 'policies' | 'scheduledActions';
  key: string;
  put: 'PutScalingPolicy' | 'PutScheduledAction';
  remove: 'DeleteScalingPolicy' | 'DeleteScheduledAction';
  /** Whether a changed item must be deleted before it is put again. */
  recreate(want: JsonObject, have: JsonObject): boolean;
  /** The put input from the manifest's item (default: as is). */
  input?(item: JsonObject): JsonObject;
}

/** Deletes for live items the manifest does not name, puts (after a delete when `recreate`) for new or changed ones. */
function namedWrites(full: JsonObject, desired: JsonObject, live: JsonObject | undefined, l: NamedList): ScalingWrite[] {
  const complete = byName(full[l.list], l.key);
  const want = byName(desired[l.list], l.key);
  const have = byName(live?.[l.list], l.key);
  const writes: ScalingWrite[] = [];
  for (const name of have.keys()) if (!want.has(name)) writes.push({ operation: l.remove, name });
  for (const [name, item] of want) {
    const current = have.get(name);
    if (current && jsonEqual(item, current)) continue;
    if (current && l.recreate(item, current)) writes.push({ operation: l.remove, name });
    const input = complete.get(name) ?? item;
    writes.push({ operation: l.put, input: l.input ? l.input(input) : input });
  }
  return writes;
}

/**
 * The writes that turn `compared.live` into `compared.desired` (both as diffScaling compared them:
 * normalized, server-computed and ignored fields dropped), or create everything when `compared` is
 * undefined (no scalable target yet). Inputs come from `full`, the normalized manifest before any
 * field was ignored, so every write is complete. In order:
 * - RegisterScalableTarget with the capacities, role and suspended state that differ (all of them
 *   at creation; suspendedState sent whole, so that removing a suspension resumes scaling);
 * - DeleteScalingPolicy for each live policy the manifest does not name, and before re-creating a
 *   policy whose type changes; PutScalingPolicy for each new or different policy;
 * - DeleteScheduledAction for each live action the manifest does not name, and before re-putting an
 *   action whose live version has a member the manifest lacks; PutScheduledAction (timezone UTC when
 *   absent) for each new or different action.
 * Policies and actions equal on both sides are not written. Tags are not handled here.
 */
export function scalingWrites(full: JsonObject, compared?: { desired: JsonObject; live: JsonObject }): ScalingWrite[] {
  const desired = compared?.desired ?? full;
  const live = compared?.live;
  const writes: ScalingWrite[] = [];
  // Members left out of an update are left as they are: only what differs is sent.
  const changed = TARGET_MEMBERS.filter((m) => !live || !jsonEqual(desired[m], live[m]));
  if (changed.length > 0) {
    const whole: JsonObject = { ...full, suspendedState: { ...NOT_SUSPENDED, ...(isObject(full.suspendedState) ? full.suspendedState : {}) } };
    const input: JsonObject = {};
    for (const m of changed) if (whole[m] !== undefined) input[m] = whole[m]!;
    writes.push({ operation: 'RegisterScalableTarget', input });
  }

  writes.push(...namedWrites(full, desired, live, {
    list: 'policies', key: 'policyName', put: 'PutScalingPolicy', remove: 'DeleteScalingPolicy',
    // AWS does not change a policy's type in place.
    recreate: (want, have) => have.policyType !== want.policyType,
  }));
  writes.push(...namedWrites(full, desired, live, {
    list: 'scheduledActions', key: 'scheduledActionName', put: 'PutScheduledAction', remove: 'DeleteScheduledAction',
    recreate: (want, have) => diffJson(want, have).some((d) => d.desired === undefined && !CLEARED_BY_PUT.has(d.path)),
    input: (action) => ({ ...action, timezone: action.timezone ?? 'UTC' }),
  }));
  return writes;
}
