// What the loader needs to know about TaskDefinition manifests: family is the identity, the fields
// describe-task-definition adds are dropped, and the rules RegisterTaskDefinition enforces in prose:
// unique container names, Fargate's network mode and cpu/memory pairs, container memory.
import type { JsonObject } from '../../core/types.js';
import type { Finding, KindRules } from '../../desired/kind-rules.js';
import { orList } from '../../desired/messages.js';
import { duplicateValues, objects, text } from '../../desired/rule-helpers.js';
import { parseCpuUnits, parseMemoryMiB } from '../../normalize/units.js';

const GB = 1024;
const range = (from: number, to: number, step: number) => Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step);

/** Task memory (MiB) Fargate accepts for each task cpu size (CPU units). */
export const FARGATE_SIZES: ReadonlyMap<number, readonly number[]> = new Map([
  [256, [512, 1 * GB, 2 * GB]],
  [512, range(1 * GB, 4 * GB, GB)],
  [1024, range(2 * GB, 8 * GB, GB)],
  [2048, range(4 * GB, 16 * GB, GB)],
  [4096, range(8 * GB, 30 * GB, GB)],
  [8192, range(16 * GB, 60 * GB, 4 * GB)],
  [16384, range(32 * GB, 120 * GB, 8 * GB)],
]);

function describeSizes(sizes: readonly number[]): string {
  if (sizes.length <= 3) return `${orList(sizes)} MiB`;
  return `${sizes[0]} to ${sizes[sizes.length - 1]} MiB in steps of ${sizes[1]! - sizes[0]!}`;
}

/** Whether the task definition asks for Fargate. */
export function requiresFargate(spec: JsonObject): boolean {
  return Array.isArray(spec.requiresCompatibilities) && spec.requiresCompatibilities.includes('FARGATE');
}

/** The network mode the task runs with: as written, else awsvpc on Fargate, else AWS's default bridge. */
export function effectiveNetworkMode(spec: JsonObject): string {
  return text(spec.networkMode) ?? (requiresFargate(spec) ? 'awsvpc' : 'bridge');
}

function cpuAndMemory(spec: JsonObject): { findings: Finding[]; cpu?: number; memory?: number } {
  const findings: Finding[] = [];
  const cpu = text(spec.cpu) === undefined ? undefined : parseCpuUnits(text(spec.cpu)!);
  const memory = text(spec.memory) === undefined ? undefined : parseMemoryMiB(text(spec.memory)!);
  if (spec.cpu !== undefined && cpu === undefined) {
    findings.push({ path: '/spec/cpu', message: `cannot read ${JSON.stringify(spec.cpu)} as cpu: write CPU units ("256") or vCPU ("0.25 vCPU")` });
  }
  if (spec.memory !== undefined && memory === undefined) {
    findings.push({ path: '/spec/memory', message: `cannot read ${JSON.stringify(spec.memory)} as memory: write MiB ("512") or GB ("1 GB")` });
  }
  return { findings, cpu, memory };
}

function fargateRules(spec: JsonObject, cpu: number | undefined, memory: number | undefined): Finding[] {
  const findings: Finding[] = [];
  const mode = text(spec.networkMode);
  if (mode !== undefined && mode !== 'awsvpc') {
    findings.push({ path: '/spec/networkMode', message: `Fargate requires networkMode awsvpc, got ${JSON.stringify(mode)}` });
  }
  if (spec.cpu === undefined) findings.push({ path: '/spec/cpu', at: 'missing', message: 'Fargate requires task-level cpu' });
  if (spec.memory === undefined) findings.push({ path: '/spec/memory', at: 'missing', message: 'Fargate requires task-level memory' });
  if (cpu === undefined || memory === undefined) return findings;
  const sizes = FARGATE_SIZES.get(cpu);
  if (!sizes) {
    findings.push({ path: '/spec/cpu', message: `cpu ${cpu} is not a Fargate size: use ${orList([...FARGATE_SIZES.keys()])}` });
  } else if (!sizes.includes(memory)) {
    findings.push({ path: '/spec/memory', message: `memory ${memory} MiB does not fit cpu ${cpu} on Fargate: use ${describeSizes(sizes)}` });
  }
  return findings;
}

export const taskDefinitionManifest: KindRules = {
  kind: 'TaskDefinition',
  identityField: 'family',
  // DescribeTaskDefinition's TaskDefinition members that RegisterTaskDefinition does not take
  // (deleteRequestedAt: newer than the model snapshot, known to the SDK).
  readOnlyFields: [
    'taskDefinitionArn', 'revision', 'status', 'requiresAttributes', 'compatibilities', 'registeredAt',
    'registeredBy', 'deregisteredAt', 'deleteRequestedAt',
  ],
  references: () => [],
  managedResource: (manifest) => `family ${JSON.stringify(manifest.spec.family)}`,
  check(manifest) {
    const spec = manifest.spec;
    const findings = duplicateValues(spec.containerDefinitions, '/spec/containerDefinitions', 'name', 'container name');
    const { findings: units, cpu, memory } = cpuAndMemory(spec);
    findings.push(...units);
    if (requiresFargate(spec)) findings.push(...fargateRules(spec, cpu, memory));
    // On Fargate, missing task memory is already reported: the fix is there, not in every container.
    else if (spec.memory === undefined) {
      objects(spec.containerDefinitions).forEach((container, index) => {
        if (container.memory !== undefined || container.memoryReservation !== undefined) return;
        findings.push({
          path: `/spec/containerDefinitions/${index}/memory`,
          at: 'missing',
          message: `container ${JSON.stringify(container.name)} needs memory or memoryReservation when the task sets no memory`,
        });
      });
    }
    return findings;
  },
};
