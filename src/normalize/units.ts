// Task-level cpu and memory as ECS accepts them: "256" or "0.25 vCPU" (".25 vCPU", as the ECS
// documentation writes it), "512" or "0.5 GB" / ".5 GB" / "1GB". ECS stores and returns the plain
// number as a string; both sides of a comparison use these.

const NUMBER = String.raw`(\d+(?:\.\d+)?|\.\d+)`;
const CPU = new RegExp(String.raw`^\s*${NUMBER}\s*(vcpu)?\s*$`, 'i');
const MEMORY = new RegExp(String.raw`^\s*${NUMBER}\s*(gb|gib|mb|mib)?\s*$`, 'i');

/** CPU units (1024 = 1 vCPU), or undefined when the text is not a cpu value. */
export function parseCpuUnits(value: string | number): number | undefined {
  const m = CPU.exec(String(value));
  if (!m) return undefined;
  const n = Number(m[1]);
  const units = m[2] ? n * 1024 : n;
  return Number.isInteger(units) ? units : undefined;
}

/** Memory in MiB, or undefined when the text is not a memory value. */
export function parseMemoryMiB(value: string | number): number | undefined {
  const m = MEMORY.exec(String(value));
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2]?.toLowerCase();
  const mib = unit === 'gb' || unit === 'gib' ? n * 1024 : n;
  return Number.isInteger(mib) ? mib : undefined;
}

/** The canonical string ECS returns ("256"), or the input unchanged when it cannot be parsed. */
export function canonicalCpu(value: string | number): string {
  const units = parseCpuUnits(value);
  return units === undefined ? String(value) : String(units);
}

/** The canonical string ECS returns ("1024"), or the input unchanged when it cannot be parsed. */
export function canonicalMemory(value: string | number): string {
  const mib = parseMemoryMiB(value);
  return mib === undefined ? String(value) : String(mib);
}
