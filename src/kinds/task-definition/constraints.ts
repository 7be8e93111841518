// What RegisterTaskDefinition enforces but its model states only in prose, one row per constraint
// (read by the rules engine in src/desired/constraints.ts and, for single-field rows, written into
// schemas/task-definition.schema.json). Each row names where AWS says it. Fargate's cpu/memory pairs
// and sums over containers need more than a row: they are in manifest.ts.
import type { JsonObject, JsonValue } from '../../core/types.js';
import { near, type Condition, type Constraint } from '../../desired/constraints.js';
import { objects, strings, text } from '../../desired/rule-helpers.js';
import { parseCpuUnits } from '../../normalize/units.js';

/** Whether the task definition asks for Fargate. */
export function requiresFargate(spec: JsonObject): boolean {
  return strings(spec.requiresCompatibilities).includes('FARGATE');
}

/** The network mode the task runs with: as written, else awsvpc on Fargate, else AWS's default bridge. */
export function effectiveNetworkMode(spec: JsonObject): string {
  return text(spec.networkMode) ?? (requiresFargate(spec) ? 'awsvpc' : 'bridge');
}

const specOf = (doc: JsonObject): JsonObject => (doc.spec && typeof doc.spec === 'object' && !Array.isArray(doc.spec) ? doc.spec : {});

const FARGATE: Condition = { says: 'on Fargate', test: (doc) => requiresFargate(specOf(doc)) };

function networkMode(...modes: string[]): Condition {
  return { says: `with networkMode ${modes.join(' or ')}`, test: (doc) => modes.includes(effectiveNetworkMode(specOf(doc))) };
}

/** Names: 1-255 letters, digits, hyphens and underscores (family, container, volume, cluster, service). */
export const NAME = { format: /^[A-Za-z0-9_-]{1,255}$/, says: '1-255 letters, digits, "-" or "_"' };
const API = 'ECS RegisterTaskDefinition';
const CONTAINER = '/spec/containerDefinitions/*';

/** "8000-8080": a port range of two ports from 1 to 65535, the first lower. */
function portRange(value: JsonValue): string | undefined {
  const m = /^(\d+)-(\d+)$/.exec(String(value));
  const [from, to] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  if (typeof value !== 'string' || (from >= 1 && to <= 65535 && from < to)) return undefined;
  return `must be a port range "from-to" of ports 1 to 65535 with from < to, got ${JSON.stringify(value)}`;
}

export const TASK_DEFINITION_CONSTRAINTS: readonly Constraint[] = [
  { id: 'family-format', at: '/spec/family', check: NAME, source: `${API} family: "Up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens"` },
  { id: 'containers-count', at: '/spec/containerDefinitions', check: { items: { min: 1, max: 10 } }, source: 'ECS service quotas: Containers per task definition, 10 (not adjustable); a task needs one' },
  { id: 'container-names-unique', at: '/spec/containerDefinitions', check: { unique: 'name', label: 'container name' }, source: `${API} ContainerDefinition.name: links and dependsOn name containers by name` },
  { id: 'container-name-required', at: `${CONTAINER}/name`, check: { required: true }, source: `${API} ContainerDefinition.name` },
  { id: 'container-name-format', at: `${CONTAINER}/name`, check: NAME, source: `${API} ContainerDefinition.name: "Up to 255 letters..., numbers, underscores, and hyphens"` },
  { id: 'container-image-required', at: `${CONTAINER}/image`, check: { required: true }, source: `${API} ContainerDefinition.image: "The image used to start a container"` },
  {
    id: 'container-image-format', at: `${CONTAINER}/image`,
    check: { format: /^[A-Za-z0-9_.:/#@-]{1,255}$/, says: 'an image reference of up to 255 letters, digits, "-", "_", ":", ".", "/", "#" or "@"' },
    source: `${API} ContainerDefinition.image: "Up to 255 letters..., numbers, hyphens, underscores, colons, periods, forward slashes, and number signs"; @ for a digest`,
  },
  { id: 'container-cpu-range', at: `${CONTAINER}/cpu`, check: { range: { min: 0 } }, source: `${API} ContainerDefinition.cpu: CPU units reserved` },
  {
    id: 'container-memory-minimum', at: `${CONTAINER}/memory`, check: { range: { min: 6 } }, severity: 'warning',
    hint: 'Docker 20.10 and later reserve 6 MiB for a container', source: `${API} ContainerDefinition.memory: "don't specify less than 6 MiB"`,
  },
  { id: 'container-memory-reservation', at: `${CONTAINER}/memoryReservation`, check: { notAbove: 'memory' }, source: `${API} ContainerDefinition.memory: "memory must be greater than memoryReservation"` },
  { id: 'container-port-range', at: `${CONTAINER}/portMappings/*/containerPort`, check: { range: { min: 1, max: 65535 } }, source: `${API} PortMapping.containerPort` },
  { id: 'host-port-range', at: `${CONTAINER}/portMappings/*/hostPort`, check: { range: { min: 0, max: 65535 } }, source: `${API} PortMapping.hostPort: 0 or absent for a dynamic port` },
  { id: 'container-port-range-format', at: `${CONTAINER}/portMappings/*/containerPortRange`, check: { test: portRange }, source: `${API} PortMapping.containerPortRange: "valid values are between 1 and 65535"` },
  {
    id: 'port-mapping-name-format', at: `${CONTAINER}/portMappings/*/name`,
    check: { format: /^[a-z0-9_][a-z0-9_-]{0,63}$/, says: 'up to 64 lowercase letters, digits, "_" or "-", not starting with "-"' },
    source: `${API} PortMapping.name: "up to 64 characters... lowercase letters, numbers, underscores (_), and hyphens (-)... can't start with a hyphen"`,
  },
  {
    id: 'host-port-equals-container-port', at: `${CONTAINER}/portMappings/*/hostPort`, when: networkMode('awsvpc', 'host'),
    check: { test: (v, m) => (typeof v === 'number' && typeof m.parent.containerPort === 'number' && v !== m.parent.containerPort ? `must equal containerPort ${m.parent.containerPort} with networkMode awsvpc or host (or be left out), got ${v}` : undefined) },
    source: `${API} ContainerDefinition.portMappings: "the hostPort can be left blank or it must be the same value as the containerPort"`,
  },
  { id: 'port-mappings-network-none', at: `${CONTAINER}/portMappings`, check: { absent: true }, when: networkMode('none'), source: `${API} networkMode: "If the network mode is set to none, you cannot specify port mappings"` },
  { id: 'hostname-awsvpc', at: `${CONTAINER}/hostname`, check: { absent: true }, when: networkMode('awsvpc'), source: `${API} ContainerDefinition.hostname: "not supported if you're using the awsvpc network mode"` },
  { id: 'extra-hosts-awsvpc', at: `${CONTAINER}/extraHosts`, check: { absent: true }, when: networkMode('awsvpc'), source: `${API} ContainerDefinition.extraHosts: "isn't supported for... tasks that use the awsvpc network mode"` },
  { id: 'links-bridge', at: `${CONTAINER}/links`, check: { absent: true }, when: networkMode('awsvpc', 'host', 'none'), source: `${API} ContainerDefinition.links: "only supported if the network mode of a task definition is bridge"` },
  {
    id: 'container-depends-on', at: `${CONTAINER}/dependsOn/*/containerName`,
    check: { test: (v, _m, doc) => (typeof v === 'string' && !objects(specOf(doc).containerDefinitions).some((c) => c.name === v) ? `names no container of this task definition: ${JSON.stringify(v)}` : undefined) },
    source: `${API} ContainerDependency.containerName: "The name of a container"`,
  },
  {
    id: 'essential-container', at: '/spec/containerDefinitions',
    check: { test: (v) => (Array.isArray(v) && v.length > 0 && objects(v).every((c) => c.essential === false) ? 'needs at least one essential container (essential defaults to true)' : undefined) },
    source: `${API} ContainerDefinition.essential: "All tasks must have at least one essential container"`,
  },
  { id: 'health-check-interval', at: `${CONTAINER}/healthCheck/interval`, check: { range: { min: 5, max: 300 } }, source: `${API} HealthCheck.interval: "between 5 and 300 seconds"` },
  { id: 'health-check-timeout', at: `${CONTAINER}/healthCheck/timeout`, check: { range: { min: 2, max: 60 } }, source: `${API} HealthCheck.timeout: "between 2 and 60 seconds"` },
  { id: 'health-check-retries', at: `${CONTAINER}/healthCheck/retries`, check: { range: { min: 1, max: 10 } }, source: `${API} HealthCheck.retries: "between 1 and 10 retries"` },
  { id: 'health-check-start-period', at: `${CONTAINER}/healthCheck/startPeriod`, check: { range: { min: 0, max: 300 } }, source: `${API} HealthCheck.startPeriod: "between 0 and 300 seconds"` },
  {
    id: 'health-check-command', at: `${CONTAINER}/healthCheck/command`,
    check: { test: (v) => (Array.isArray(v) && v.length > 0 && v[0] !== 'CMD' && v[0] !== 'CMD-SHELL' ? `must start with "CMD" or "CMD-SHELL", got ${JSON.stringify(v[0])}` : undefined) },
    source: `${API} HealthCheck.command: "must start with CMD... or CMD-SHELL"`,
  },
  { id: 'ephemeral-storage-size', at: '/spec/ephemeralStorage/sizeInGiB', check: { range: { min: 21, max: 200 } }, source: `${API} EphemeralStorage.sizeInGiB: "minimum... 21 GiB and the maximum... 200 GiB"` },
  { id: 'task-placement-constraints-count', at: '/spec/placementConstraints', check: { items: { max: 10 } }, source: `${API} placementConstraints: "a maximum of 10 constraints for each task"` },
  { id: 'volume-name-format', at: '/spec/volumes/*/name', check: NAME, source: `${API} Volume.name: "Up to 255 letters..., numbers, underscores, and hyphens"` },
  {
    id: 'task-cpu-range', at: '/spec/cpu',
    check: { test: (v) => { const units = typeof v === 'string' ? parseCpuUnits(v) : undefined; return units !== undefined && (units < 128 || units > 196608) ? `must be between 128 and 196608 CPU units (0.125 to 192 vCPU), got ${units}` : undefined; } },
    source: `${API} cpu: "between 128 CPU units (0.125 vCPUs) and 196608 CPU units (192 vCPUs)"`,
  },
  // Fargate: what a task on Fargate cannot use.
  { id: 'fargate-pid-mode', at: '/spec/pidMode', check: { oneOf: ['task'] }, when: FARGATE, source: `${API} pidMode: "On Fargate for Linux containers, the only valid value is task"` },
  { id: 'fargate-ipc-mode', at: '/spec/ipcMode', check: { absent: true }, when: FARGATE, source: `${API} ipcMode: "not supported for... tasks run on Fargate"` },
  { id: 'fargate-placement-constraints', at: '/spec/placementConstraints', check: { absent: true }, when: FARGATE, source: 'ECS TaskDefinition.placementConstraints: "isn\'t supported for tasks run on Fargate"' },
  { id: 'fargate-privileged', at: `${CONTAINER}/privileged`, check: { absent: true }, when: FARGATE, source: `${API} ContainerDefinition.privileged: "not supported for... tasks run on Fargate"` },
  { id: 'fargate-docker-security-options', at: `${CONTAINER}/dockerSecurityOptions`, check: { absent: true }, when: FARGATE, source: `${API} ContainerDefinition.dockerSecurityOptions: "isn't valid for containers in tasks using the Fargate launch type"` },
  ...(['devices', 'sharedMemorySize', 'tmpfs', 'maxSwap', 'swappiness'] as const).map((member): Constraint => ({
    id: `fargate-linux-${member}`, at: `${CONTAINER}/linuxParameters/${member}`, check: { absent: true }, when: FARGATE,
    source: `${API} LinuxParameters.${member}: "If you're using tasks that use the Fargate launch type, the ${member} parameter isn't supported"`,
  })),
  {
    id: 'fargate-capabilities', at: `${CONTAINER}/linuxParameters/capabilities/add`, when: FARGATE,
    check: { test: (v) => { const other = strings(v).filter((c) => c !== 'SYS_PTRACE'); return other.length > 0 ? `on Fargate only SYS_PTRACE can be added, got ${other.join(', ')}` : undefined; } },
    source: `${API} KernelCapabilities.add: "Tasks launched on Fargate only support adding the SYS_PTRACE kernel capability"`,
  },
  { id: 'fargate-host-source-path', at: '/spec/volumes/*/host/sourcePath', check: { absent: true }, when: FARGATE, source: `${API} HostVolumeProperties.sourcePath: "If you're using the Fargate launch type, the sourcePath parameter is not supported"` },
  { id: 'fargate-docker-volumes', at: '/spec/volumes/*/dockerVolumeConfiguration', check: { absent: true }, when: FARGATE, source: `${API} Volume.dockerVolumeConfiguration: "Docker volumes aren't supported by tasks run on Fargate"` },
  { id: 'fargate-stop-timeout', at: `${CONTAINER}/stopTimeout`, check: { range: { min: 2, max: 120 } }, when: FARGATE, source: `${API} ContainerDefinition.stopTimeout: "The valid values for Fargate are 2-120 seconds"` },
  { id: 'fargate-start-timeout', at: `${CONTAINER}/startTimeout`, check: { range: { min: 2, max: 120 } }, when: FARGATE, source: `${API} ContainerDefinition.startTimeout: "The valid values for Fargate are 2-120 seconds"` },
  { id: 'fargate-log-driver', at: `${CONTAINER}/logConfiguration/logDriver`, check: { oneOf: ['awslogs', 'splunk', 'awsfirelens'] }, when: FARGATE, source: `${API} LogConfiguration.logDriver: "For tasks on Fargate, the supported log drivers are awslogs, splunk, and awsfirelens"` },
  {
    id: 'fargate-awslogs-stream-prefix', at: `${CONTAINER}/logConfiguration/options/awslogs-stream-prefix`, check: { required: true },
    when: { says: 'for the awslogs driver on Fargate', test: (doc, m) => FARGATE.test(doc, m) && near(doc, m, 2, 'logDriver') === 'awslogs' },
    source: `${API} LogConfiguration.options: "awslogs-stream-prefix Required: Yes, when using the Fargate launch type"`,
  },
];
