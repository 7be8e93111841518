// The one table of arrays whose items a patch merges by a key instead of replacing the array: the
// lists of named things (containers by name, environment variables by name, port mappings by
// containerPort, tags by key...). Every other array is replaced whole, as RFC 7386 says. Ordered
// lists (command, entryPoint, placement strategies, step adjustments) and lists whose items have no
// single identity (placement constraints, load balancers) are deliberately absent.
import type { Kind } from '../core/types.js';

/** One row: under a kind, the array at `at` (`*` for any index) merges its items by member `key`. */
export interface MergeKey {
  kind: Kind;
  at: string;
  key: string;
}

const CONTAINER = '/spec/containerDefinitions/*';

export const MERGE_KEYS: readonly MergeKey[] = [
  { kind: 'Cluster', at: '/spec/settings', key: 'name' },
  { kind: 'Cluster', at: '/spec/tags', key: 'key' },
  { kind: 'Cluster', at: '/spec/defaultCapacityProviderStrategy', key: 'capacityProvider' },
  { kind: 'TaskDefinition', at: '/spec/containerDefinitions', key: 'name' },
  { kind: 'TaskDefinition', at: `${CONTAINER}/environment`, key: 'name' },
  { kind: 'TaskDefinition', at: `${CONTAINER}/secrets`, key: 'name' },
  { kind: 'TaskDefinition', at: `${CONTAINER}/portMappings`, key: 'containerPort' },
  { kind: 'TaskDefinition', at: `${CONTAINER}/mountPoints`, key: 'containerPath' },
  { kind: 'TaskDefinition', at: `${CONTAINER}/volumesFrom`, key: 'sourceContainer' },
  { kind: 'TaskDefinition', at: `${CONTAINER}/ulimits`, key: 'name' },
  { kind: 'TaskDefinition', at: `${CONTAINER}/systemControls`, key: 'namespace' },
  { kind: 'TaskDefinition', at: `${CONTAINER}/extraHosts`, key: 'hostname' },
  { kind: 'TaskDefinition', at: `${CONTAINER}/dependsOn`, key: 'containerName' },
  { kind: 'TaskDefinition', at: `${CONTAINER}/resourceRequirements`, key: 'type' },
  { kind: 'TaskDefinition', at: `${CONTAINER}/logConfiguration/secretOptions`, key: 'name' },
  { kind: 'TaskDefinition', at: `${CONTAINER}/linuxParameters/devices`, key: 'hostPath' },
  { kind: 'TaskDefinition', at: `${CONTAINER}/linuxParameters/tmpfs`, key: 'containerPath' },
  { kind: 'TaskDefinition', at: '/spec/volumes', key: 'name' },
  { kind: 'TaskDefinition', at: '/spec/inferenceAccelerators', key: 'deviceName' },
  { kind: 'TaskDefinition', at: '/spec/proxyConfiguration/properties', key: 'name' },
  { kind: 'TaskDefinition', at: '/spec/tags', key: 'key' },
  { kind: 'Service', at: '/spec/tags', key: 'key' },
  { kind: 'Service', at: '/spec/capacityProviderStrategy', key: 'capacityProvider' },
  { kind: 'Service', at: '/spec/volumeConfigurations', key: 'name' },
  { kind: 'Service', at: '/spec/serviceConnectConfiguration/services', key: 'portName' },
  { kind: 'ServiceAutoScaling', at: '/spec/policies', key: 'policyName' },
  { kind: 'ServiceAutoScaling', at: '/spec/scheduledActions', key: 'scheduledActionName' },
];

const byKind = new Map<Kind, Array<{ segments: string[]; key: string }>>();
for (const row of MERGE_KEYS) {
  const rows = byKind.get(row.kind) ?? [];
  rows.push({ segments: row.at.slice(1).split('/'), key: row.key });
  byKind.set(row.kind, rows);
}

/** The member the items of the array at `segments` (from the document root) merge by, if that array is in the table. */
export function mergeKeyAt(kind: Kind, segments: readonly string[]): string | undefined {
  for (const row of byKind.get(kind) ?? []) {
    if (row.segments.length === segments.length && row.segments.every((s, i) => s === '*' ? /^\d+$/.test(segments[i]!) : s === segments[i])) return row.key;
  }
  return undefined;
}
