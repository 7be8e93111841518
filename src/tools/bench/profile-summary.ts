// Reads the profiles the benchmark takes of the operator (V8's .cpuprofile, .heapprofile and
// .heapsnapshot) and names what dominates: CPU self time and sampled allocation bytes by function
// and by file or package, and live heap by constructor. Also a command of its own:
//   node dist/tools/bench/profile-summary.js FILE...
import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { heapSnapshotSummary } from './heap-snapshot.js';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

export interface Share {
  name: string;
  /** Share of the total, in percent. */
  percent: number;
  /** Milliseconds (CPU) or bytes (allocations, heap). */
  amount: number;
}

interface Breakdown {
  /** Self: the function at the top of the stack. */
  byFunction: Share[];
  /** Self, by the file or package of the nearest JavaScript frame. */
  byFile: Share[];
  /** Inclusive: each of our own files (dist/...) with everything it calls. */
  oursInclusive: Share[];
}

export interface ProfileSummary {
  cpu?: { totalMs: number } & Breakdown;
  allocations?: { totalBytes: number } & Breakdown;
  heap?: { totalBytes: number; byConstructor: Share[] };
  files: string[];
}

/** A script URL made short: dist/normalize/common.js, xstate/..., node:internal/... */
export function shortUrl(url: string): string {
  if (!url) return '(native)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) return url.slice(modules + 'node_modules/'.length);
  const dist = url.lastIndexOf('/dist/');
  if (dist >= 0) return url.slice(dist + 1);
  return url.replace(/^file:\/\//, '');
}

/** The package a file belongs to (xstate, @aws-sdk/client-ecs), or the file itself for our code. */
function groupOf(url: string): string {
  const short = shortUrl(url);
  if (!url.includes('node_modules/')) return short;
  const parts = short.split('/');
  return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

function label(frame: CallFrame): string {
  const where = frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : '';
  return `${frame.functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
}

/** The n largest entries, amounts multiplied by `scale` (microseconds to milliseconds). */
function top(map: Map<string, number>, total: number, n: number, scale = 1): Share[] {
  return [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, n)
    .map(([name, amount]) => ({ name, amount: Math.round(amount * scale), percent: Math.round((amount / total) * 1000) / 10 }));
}

const add = <K>(map: Map<K, number>, key: K, value: number) => map.set(key, (map.get(key) ?? 0) + value);

/**
 * Weights (CPU microseconds, allocated bytes) of call stacks, summed three ways: by the function at
 * the top (a native one such as Set or JSON.parse named with its JavaScript caller), by the file or
 * package of the nearest JavaScript frame, and inclusively by each of our own files on the stack.
 */
class StackTally {
  readonly byFunction = new Map<string, number>();
  readonly byFile = new Map<string, number>();
  readonly ours = new Map<string, number>();
  total = 0;

  /** `stack` from the root to the frame that did the work. */
  add(stack: CallFrame[], weight: number): void {
    if (weight <= 0) return;
    const leaf = stack[stack.length - 1]!;
    if (leaf.functionName === '(idle)') return;
    this.total += weight;
    let caller: CallFrame | undefined;
    for (let i = stack.length - 1; i >= 0 && !caller; i--) if (stack[i]!.url) caller = stack[i];
    const special = leaf.functionName.startsWith('(');
    const name = leaf.url || special || !caller ? label(leaf) : `${leaf.functionName || '(native)'} <- ${label(caller)}`;
    add(this.byFunction, name, weight);
    add(this.byFile, caller && !special ? groupOf(caller.url) : leaf.functionName || '(native)', weight);
    const files = new Set(stack.filter((f) => f.url && !f.url.includes('node_modules/') && shortUrl(f.url).startsWith('dist/')).map((f) => shortUrl(f.url)));
    for (const file of files) add(this.ours, file, weight);
  }

  summary(n: number, scale: number) {
    return {
      byFunction: top(this.byFunction, this.total, n, scale), byFile: top(this.byFile, this.total, n, scale),
      oursInclusive: top(this.ours, this.total, n, scale),
    };
  }
}

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: CallFrame; children?: number[] }>;
  samples: number[];
  timeDeltas: number[];
}

/** CPU time by function, file and our file inclusive; "(idle)" is left out, GC and "(program)" are not. */
export function cpuSummary(profile: CpuProfile, n = 15): NonNullable<ProfileSummary['cpu']> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfUs = new Map<number, number>();
  // A sample's time is the delta to the next sample (the last one gets none).
  for (let i = 0; i < profile.samples.length - 1; i++) add(selfUs, profile.samples[i]!, profile.timeDeltas[i + 1] ?? 0);
  const tally = new StackTally();
  for (const [id, us] of selfUs) {
    const stack: CallFrame[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) stack.unshift(byId.get(at)!.callFrame);
    tally.add(stack, us);
  }
  return { totalMs: Math.round(tally.total / 1000), ...tally.summary(n, 1 / 1000) };
}

interface HeapProfileNode {
  callFrame: CallFrame;
  selfSize: number;
  children: HeapProfileNode[];
}

/** Sampled allocation bytes by function, file and our file inclusive. */
export function allocationSummary(profile: { head: HeapProfileNode }, n = 15): NonNullable<ProfileSummary['allocations']> {
  const tally = new StackTally();
  const walk = (node: HeapProfileNode, stack: CallFrame[]) => {
    const here = [...stack, node.callFrame];
    tally.add(here, node.selfSize);
    for (const child of node.children) walk(child, here);
  };
  walk(profile.head, []);
  return { totalBytes: tally.total, ...tally.summary(n, 1) };
}

export async function summarizeProfiles(files: string[]): Promise<ProfileSummary> {
  const summary: ProfileSummary = { files };
  for (const file of files) {
    if (file.endsWith('.cpuprofile')) summary.cpu = cpuSummary(JSON.parse(await readFile(file, 'utf8')));
    else if (file.endsWith('.heapprofile')) summary.allocations = allocationSummary(JSON.parse(await readFile(file, 'utf8')));
    else if (file.endsWith('.heapsnapshot')) {
      const heap = heapSnapshotSummary(await readFile(file));
      summary.heap = { totalBytes: heap.totalBytes, byConstructor: top(heap.byConstructor, heap.totalBytes, 20) };
    }
  }
  return summary;
}

/** The summary as text: one block per profile, a line per entry. */
export function formatSummary(summary: ProfileSummary): string {
  const lines: string[] = [];
  const block = (title: string, shares: Share[], unit: (x: number) => string) => {
    lines.push(title);
    for (const s of shares) lines.push(`  ${String(s.percent).padStart(5)}%  ${unit(s.amount).padStart(10)}  ${s.name}`);
  };
  const ms = (x: number) => `${x} ms`;
  const mb = (x: number) => `${(x / 1024 / 1024).toFixed(1)} MB`;
  if (summary.cpu) {
    block(`CPU self time by function (of ${summary.cpu.totalMs} ms busy)`, summary.cpu.byFunction, ms);
    block('CPU self time by file or package (native work counted with its caller)', summary.cpu.byFile, ms);
    block('CPU time including callees, by our own file', summary.cpu.oursInclusive, ms);
  }
  if (summary.allocations) {
    block(`allocations by function (sampled, of ${mb(summary.allocations.totalBytes)})`, summary.allocations.byFunction, mb);
    block('allocations by file or package (native work counted with its caller)', summary.allocations.byFile, mb);
    block('allocations including callees, by our own file', summary.allocations.oursInclusive, mb);
  }
  if (summary.heap) block(`live heap by constructor (of ${mb(summary.heap.totalBytes)})`, summary.heap.byConstructor, mb);
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const files = process.argv.slice(2);
  Promise.all(files.map((f) => stat(f))).then(() => summarizeProfiles(files)).then(
    (summary) => process.stdout.write(`${formatSummary(summary)}\n`),
    (err: Error) => {
      process.stderr.write(`profile-summary: ${err.message}\n`);
      process.exitCode = 2;
    },
  );
}
