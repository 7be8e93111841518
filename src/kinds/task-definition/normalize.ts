// The canonical form of a task definition, applied to the manifest spec and to the latest ACTIVE
// revision alike, so that a revision is reused whenever its content is what Git asks for, whoever
// registered it and however many of AWS's defaults they wrote out.
import type { JsonObject } from '../../core/types.js';
import { asList, asObject, pruneInPlace, pruneObject } from '../../normalize/common.js';
import { dropDefaults, dropFalse, eachObject, fillDefaults, sortList, withObject } from '../../normalize/defaults.js';
import { projectSpec } from '../../normalize/schema.js';
import { canonicalCpu, canonicalMemory } from '../../normalize/units.js';
import { canonicalJson, sha256Hex } from '../../desired/values.js';

/** RegisterTaskDefinition's input members: the projection used when the generated schema is missing. */
const INPUT_MEMBERS = [
  'family', 'taskRoleArn', 'executionRoleArn', 'networkMode', 'containerDefinitions', 'volumes',
  'placementConstraints', 'requiresCompatibilities', 'cpu', 'memory', 'tags', 'pidMode', 'ipcMode',
  'proxyConfiguration', 'inferenceAccelerators', 'ephemeralStorage', 'runtimePlatform', 'enableFaultInjection',
];

/**
 * DescribeTaskDefinition's `taskDefinition` as a RegisterTaskDefinition input: taskDefinitionArn,
 * revision, status, requiresAttributes, compatibilities, registeredAt/By, deregisteredAt and anything
 * else the input does not take are dropped (through the generated schema, at every depth). Pass the
 * response's `tags` in `live.tags` if they matter to the caller; normalization ignores them anyway.
 */
export function liveTaskDefinitionSpec(live: JsonObject): JsonObject {
  return projectSpec('TaskDefinition', live, INPUT_MEMBERS);
}

/** Set by AWS when absent, returned by DescribeTaskDefinition, so filled on both sides. */
const CONTAINER_DEFAULTS: JsonObject = { essential: true, cpu: 0 };
const HEALTH_CHECK_DEFAULTS: JsonObject = { interval: 30, timeout: 5, retries: 3 };
/** Defaults AWS does not echo back: a spec that writes them out equals one that leaves them out. */
const HEALTH_CHECK_UNSET: JsonObject = { startPeriod: 0 };
const CONTAINER_UNSET: JsonObject = { versionConsistency: 'enabled' };
const EFS_UNSET: JsonObject = { rootDirectory: '/', transitEncryption: 'DISABLED' };
/** Docker's own defaults: a task-scoped volume of the local driver. */
const DOCKER_VOLUME_DEFAULTS: JsonObject = { scope: 'task', driver: 'local' };
/** Fargate runs Linux on x86-64 unless runtimePlatform says otherwise. */
const FARGATE_PLATFORM: JsonObject = { operatingSystemFamily: 'LINUX', cpuArchitecture: 'X86_64' };

/**
 * The canonical task definition for comparison (a new object; `spec` is not changed):
 * - null, [] and {} mean absent, at any depth;
 * - task cpu/memory in ECS's canonical units ("0.25 vCPU" -> "256", "1 GB" -> "1024"); container
 *   cpu/memory are numbers already and stay as written;
 * - `tags` are removed: they are not part of a revision's content (a revision is reused whatever its
 *   tags; tags are only set when registering) and ownership tags are never compared;
 * - networkMode `bridge` when absent on EC2/EXTERNAL Linux (not for Fargate, nor Windows);
 *   on Fargate, runtimePlatform LINUX / X86_64 when absent;
 * - containers: essential true, cpu 0; versionConsistency "enabled", and false booleans, equal absent;
 *   portMappings protocol tcp and hostPort = containerPort in awsvpc/host mode, 0 (dynamic) in bridge;
 *   healthCheck interval 30, timeout 5, retries 3, startPeriod 0 = absent; restartPolicy
 *   restartAttemptPeriod 300 when enabled; mount points and volumesFrom readOnly false = absent;
 * - volumes: EFS rootDirectory "/" and transitEncryption DISABLED equal absent; Docker volumes scope
 *   task and driver local when absent, autoprovision false equals absent;
 * - order-insensitive lists sorted (see sortTaskLists and sortContainerLists); ordered lists kept.
 */
export function normalizeTaskDefinitionSpec(spec: JsonObject): JsonObject {
  const td = pruneObject(spec);
  delete td.tags;
  if (typeof td.cpu === 'string' || typeof td.cpu === 'number') td.cpu = canonicalCpu(td.cpu);
  if (typeof td.memory === 'string' || typeof td.memory === 'number') td.memory = canonicalMemory(td.memory);
  sortList(td, 'requiresCompatibilities');
  const compatibilities = (asList(td.requiresCompatibilities) ?? []).map(String);
  const fargate = compatibilities.includes('FARGATE');
  const platform = asObject(td.runtimePlatform);
  const windows = String(platform?.operatingSystemFamily ?? '').startsWith('WINDOWS');
  const ec2Only = compatibilities.every((c) => c === 'EC2' || c === 'EXTERNAL');
  if (td.networkMode === undefined && ec2Only && !windows) td.networkMode = 'bridge';
  if (fargate) td.runtimePlatform = fillDefaults(platform ?? {}, FARGATE_PLATFORM);
  dropFalse(td, 'enableFaultInjection');
  const networkMode = typeof td.networkMode === 'string' ? td.networkMode : undefined;
  eachObject(td, 'containerDefinitions', (c) => normalizeContainer(c, networkMode));
  eachObject(td, 'volumes', normalizeVolume);
  sortTaskLists(td);
  return pruneInPlace(td);
}

/**
 * A digest of the canonical content (normalizeTaskDefinitionSpec, key order aside): equal for two
 * specs that register the same revision content, whatever AWS defaults they write out.
 */
export function taskDefinitionContentHash(spec: JsonObject): string {
  return sha256Hex(canonicalJson(normalizeTaskDefinitionSpec(spec)), 16);
}

function normalizeContainer(c: JsonObject, networkMode: string | undefined): void {
  fillDefaults(c, CONTAINER_DEFAULTS);
  dropDefaults(c, CONTAINER_UNSET);
  dropFalse(c, 'privileged', 'readonlyRootFilesystem', 'disableNetworking', 'interactive', 'pseudoTerminal');
  eachObject(c, 'portMappings', (p) => {
    p.protocol ??= 'tcp';
    if (p.hostPort === undefined && typeof p.containerPort === 'number') {
      if (networkMode === 'awsvpc' || networkMode === 'host') p.hostPort = p.containerPort;
      else if (networkMode === 'bridge') p.hostPort = 0;
    }
  });
  withObject(c, 'healthCheck', (h) => dropDefaults(fillDefaults(h, HEALTH_CHECK_DEFAULTS), HEALTH_CHECK_UNSET));
  withObject(c, 'restartPolicy', (r) => {
    if (r.enabled === true) r.restartAttemptPeriod ??= 300;
  });
  eachObject(c, 'mountPoints', (m) => dropFalse(m, 'readOnly'));
  eachObject(c, 'volumesFrom', (v) => dropFalse(v, 'readOnly'));
  withObject(c, 'linuxParameters', (l) => dropFalse(l, 'initProcessEnabled'));
  sortContainerLists(c);
}

function normalizeVolume(v: JsonObject): void {
  dropFalse(v, 'configuredAtLaunch');
  withObject(v, 'efsVolumeConfiguration', (efs) => {
    dropDefaults(efs, EFS_UNSET);
    withObject(efs, 'authorizationConfig', (auth) => dropDefaults(auth, { iam: 'DISABLED' }));
  });
  withObject(v, 'dockerVolumeConfiguration', (d) => dropFalse(fillDefaults(d, DOCKER_VOLUME_DEFAULTS), 'autoprovision'));
}

/**
 * Task-level lists whose order means nothing: containers by name, volumes by name, placement
 * constraints, inference accelerators, proxy properties. (requiresCompatibilities is sorted first.)
 */
function sortTaskLists(td: JsonObject): void {
  sortList(td, 'containerDefinitions', 'name');
  sortList(td, 'volumes', 'name');
  sortList(td, 'placementConstraints', 'type', 'expression');
  sortList(td, 'inferenceAccelerators', 'deviceName');
  withObject(td, 'proxyConfiguration', (p) => sortList(p, 'properties', 'name'));
}

/**
 * Container lists that are sets, sorted by their key. Kept in order on purpose: command, entryPoint
 * (argument order), dnsServers and dnsSearchDomains (resolver order), environmentFiles (read in order,
 * so a later file's value for the same name is not equivalent), tmpfs mountOptions (mount option
 * order is passed through). links, dockerSecurityOptions and credentialSpecs are sets: sorted.
 */
function sortContainerLists(c: JsonObject): void {
  sortList(c, 'portMappings', 'containerPort', 'containerPortRange', 'protocol', 'hostPort');
  sortList(c, 'environment', 'name', 'value');
  sortList(c, 'secrets', 'name');
  sortList(c, 'mountPoints', 'containerPath', 'sourceVolume');
  sortList(c, 'volumesFrom', 'sourceContainer');
  sortList(c, 'ulimits', 'name');
  sortList(c, 'systemControls', 'namespace');
  sortList(c, 'extraHosts', 'hostname', 'ipAddress');
  sortList(c, 'dependsOn', 'containerName');
  sortList(c, 'resourceRequirements', 'type');
  sortList(c, 'links');
  sortList(c, 'dockerSecurityOptions');
  sortList(c, 'credentialSpecs');
  withObject(c, 'logConfiguration', (l) => sortList(l, 'secretOptions', 'name'));
  withObject(c, 'restartPolicy', (r) => sortList(r, 'ignoredExitCodes'));
  withObject(c, 'linuxParameters', (l) => {
    withObject(l, 'capabilities', (caps) => {
      sortList(caps, 'add');
      sortList(caps, 'drop');
    });
    sortList(l, 'devices', 'hostPath', 'containerPath');
    eachObject(l, 'devices', (d) => sortList(d, 'permissions'));
    sortList(l, 'tmpfs', 'containerPath');
  });
}
