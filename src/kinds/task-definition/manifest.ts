// What the loader needs to know about TaskDefinition manifests: family is the identity, the fields
// describe-task-definition adds are dropped, and the rules RegisterTaskDefinition enforces in prose
// beyond the rows of constraints.ts: unique container names, Fargate's network mode and cpu/memory
// pairs, container memory and its sum.
import type { JsonObject, JsonValue } from '../../core/types.js';
import type { Finding, KindRules } from '../../desired/kind-rules.js';
import { orList } from '../../desired/messages.js';
import { movedUnder, type DropIn } from '../../desired/drop-ins.js';
import { num, objects, text } from '../../desired/rule-helpers.js';
import { isObject } from '../../normalize/common.js';
import { parseCpuUnits, parseMemoryMiB } from '../../normalize/units.js';
import { requiresFargate, TASK_DEFINITION_CONSTRAINTS } from './constraints.js';
import { schemaDocument } from '../../normalize/schema.js';

export { effectiveNetworkMode, requiresFargate } from './constraints.js';

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

/**
 * The whole `aws ecs describe-task-definition` output, `{"taskDefinition": {...}, "tags": [...]}`:
 * the task definition is the spec, and the output's tags (describe-task-definition --include TAGS)
 * the revision's tags.
 */
function describeOutput(spec: JsonObject): DropIn | undefined {
  const inner = spec.taskDefinition;
  if (!isObject(inner) || Object.keys(spec).some((key) => key !== 'taskDefinition' && key !== 'tags')) return undefined;
  const findings: Finding[] = [{
    path: '/spec/taskDefinition', severity: 'warning',
    message: 'a describe-task-definition output: its taskDefinition is the spec, and its tags the revision\'s tags',
  }];
  const unwrapped: JsonObject = { ...inner };
  if (spec.tags !== undefined) {
    if (inner.tags !== undefined) findings.push({ path: '/spec/tags', message: 'tags are written twice, here and in taskDefinition: keep one' });
    unwrapped.tags = spec.tags;
  }
  const isTags = (pointer: string) => pointer === '/spec/tags' || pointer.startsWith('/spec/tags/');
  return { spec: unwrapped, written: movedUnder('/taskDefinition', (pointer) => isTags(pointer) && spec.tags !== undefined), findings };
}

/**
 * cpu and memory as the ECS documentation's tables write them (".25 vCPU", ".5 GB") get their leading
 * zero ("0.25 vCPU"), the form RegisterTaskDefinition documents; values compare by units either way.
 */
function withLeadingZero(spec: JsonObject): JsonObject | undefined {
  const fix = (v: JsonValue | undefined) => (typeof v === 'string' && /^\s*\.\d/.test(v) ? v.replace(/^(\s*)\./, '$10.') : v);
  if (fix(spec.cpu) === spec.cpu && fix(spec.memory) === spec.memory) return undefined;
  const out: JsonObject = { ...spec };
  for (const key of ['cpu', 'memory'] as const) if (spec[key] !== undefined) out[key] = fix(spec[key])!;
  return out;
}

/** The spec to load for one written as an export: the describe output unwrapped, units with a leading zero. */
function dropIn(spec: JsonObject): DropIn | undefined {
  const unwrapped = describeOutput(spec);
  const units = withLeadingZero(unwrapped?.spec ?? spec);
  if (!units) return unwrapped;
  return { ...(unwrapped ?? { findings: [] }), spec: units };
}

export const taskDefinitionManifest: KindRules = {
  kind: 'TaskDefinition',
  schema: () => schemaDocument('TaskDefinition'),
  identityField: 'family',
  // DescribeTaskDefinition's TaskDefinition members that RegisterTaskDefinition does not take
  // (deleteRequestedAt: newer than the model snapshot, known to the SDK).
  readOnlyFields: [
    'taskDefinitionArn', 'revision', 'status', 'requiresAttributes', 'compatibilities', 'registeredAt',
    'registeredBy', 'deregisteredAt', 'deleteRequestedAt',
  ],
  dropIn,
  references: () => [],
  constraints: TASK_DEFINITION_CONSTRAINTS,
  managedResource: (manifest) => `family ${JSON.stringify(manifest.spec.family)}`,
  check(manifest) {
    const spec = manifest.spec;
    const { findings, cpu, memory } = cpuAndMemory(spec);
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
    findings.push(...reservationFindings(spec, cpu, memory));
    return findings;
  },
};

/**
 * What the containers reserve must fit in the task: their cpu units and their memory (memoryReservation,
 * else memory) in all, and each container's memory hard limit (RegisterTaskDefinition ContainerDefinition
 * cpu and memory: "the total amount... reserved for all containers within a task be lower than the task").
 */
function reservationFindings(spec: JsonObject, cpu: number | undefined, memory: number | undefined): Finding[] {
  const containers = objects(spec.containerDefinitions);
  const findings: Finding[] = [];
  const sum = (of: (c: JsonObject) => number | undefined) => containers.reduce((total, c) => total + (of(c) ?? 0), 0);
  const cpus = sum((c) => num(c.cpu));
  if (cpu !== undefined && cpus > cpu) findings.push({ path: '/spec/cpu', message: `the containers reserve ${cpus} CPU units in all, more than the task's ${cpu}` });
  if (memory === undefined) return findings;
  const reserved = sum((c) => num(c.memoryReservation) ?? num(c.memory));
  if (reserved > memory) findings.push({ path: '/spec/memory', message: `the containers reserve ${reserved} MiB in all, more than the task's ${memory} MiB` });
  containers.forEach((c, i) => {
    const limit = num(c.memory);
    if (limit !== undefined && limit > memory) findings.push({ path: `/spec/containerDefinitions/${i}/memory`, message: `container memory ${limit} MiB is more than the task's ${memory} MiB` });
  });
  return findings;
}
