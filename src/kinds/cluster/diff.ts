// Whether a cluster is what the manifest asks for, and which ECS calls fix each kind of difference.
import type { JsonObject } from '../../core/types.js';
import type { Difference } from '../../diff/types.js';
import { compareNormalized, topMember, type Comparison } from '../../diff/compare.js';
import { alignNamespace } from '../../normalize/references.js';
import type { ServerComputed } from '../../normalize/server-computed.js';
import { normalizeClusterSpec } from './normalize.js';

/** Fields compared only when the manifest sets them. */
export const CLUSTER_SERVER_COMPUTED: readonly ServerComputed[] = [
  { path: '/clusterName', why: 'defaults to metadata.name; the live cluster was looked up by that name' },
  { path: '/settings', why: "containerInsights comes from the account's default (PutAccountSettingDefault) when CreateCluster leaves it out" },
];

/**
 * Normalizes the desired spec and the live one (liveClusterSpec) and compares them. A service connect
 * namespace written as a name equals the live ARN (see alignNamespace). `differences` includes tag
 * differences, which are fixed with TagResource/UntagResource (see tagChanges), not clusterUpdateCalls.
 */
export function diffCluster(desiredSpec: JsonObject, liveSpec: JsonObject, ignore: readonly string[] = []): Comparison {
  const desired = normalizeClusterSpec(desiredSpec);
  const live = alignNamespace(desired, normalizeClusterSpec(liveSpec), 'serviceConnectDefaults');
  return compareNormalized(desired, live, ignore, CLUSTER_SERVER_COMPUTED);
}

/** One ECS call: the operation name as the SDK command is called (without `Command`) and its input. */
export interface ClusterCall {
  operation: 'UpdateClusterSettings' | 'UpdateCluster' | 'PutClusterCapacityProviders';
  input: JsonObject;
}

/** What undoes a live configuration the manifest no longer sets (managed storage keys cannot be unset). */
const DEFAULT_CONFIGURATION: JsonObject = { executeCommandConfiguration: { logging: 'DEFAULT' } };
/** An empty namespace clears the cluster's service connect defaults (documented for UpdateCluster). */
const NO_SERVICE_CONNECT_DEFAULTS: JsonObject = { namespace: '' };

/**
 * The calls that turn the live cluster into `desiredSpec` (the raw manifest spec) given the
 * differences diffCluster found, in this order:
 * - settings -> UpdateClusterSettings with the settings as the manifest writes them (settings it
 *   leaves out are the account's default, never compared nor sent: to turn Container Insights off,
 *   write it "disabled");
 * - configuration and/or serviceConnectDefaults -> one UpdateCluster with the changed members
 *   (a removed configuration becomes logging DEFAULT, removed defaults an empty namespace);
 * - capacityProviders and/or defaultCapacityProviderStrategy -> PutClusterCapacityProviders with
 *   both lists (the call replaces both; absent means empty).
 * Tags and clusterName produce no call. No differences, no calls. `desiredSpec.clusterName` must be
 * set (the manifest loader defaults it to metadata.name); a TypeError otherwise.
 */
export function clusterUpdateCalls(differences: readonly Difference[], desiredSpec: JsonObject): ClusterCall[] {
  const changed = new Set(differences.map((d) => topMember(d.path)));
  const cluster = desiredSpec.clusterName;
  if (typeof cluster !== 'string') throw new TypeError('clusterUpdateCalls: desiredSpec.clusterName must be set');
  const calls: ClusterCall[] = [];
  if (changed.has('settings')) {
    calls.push({ operation: 'UpdateClusterSettings', input: { cluster, settings: desiredSpec.settings ?? [] } });
  }
  if (changed.has('configuration') || changed.has('serviceConnectDefaults')) {
    const input: JsonObject = { cluster };
    if (changed.has('configuration')) input.configuration = desiredSpec.configuration ?? structuredClone(DEFAULT_CONFIGURATION);
    if (changed.has('serviceConnectDefaults')) {
      input.serviceConnectDefaults = desiredSpec.serviceConnectDefaults ?? { ...NO_SERVICE_CONNECT_DEFAULTS };
    }
    calls.push({ operation: 'UpdateCluster', input });
  }
  if (changed.has('capacityProviders') || changed.has('defaultCapacityProviderStrategy')) {
    calls.push({
      operation: 'PutClusterCapacityProviders',
      input: {
        cluster,
        capacityProviders: desiredSpec.capacityProviders ?? [],
        defaultCapacityProviderStrategy: desiredSpec.defaultCapacityProviderStrategy ?? [],
      },
    });
  }
  return calls;
}
