// The benchmark's figures as a table: each row a figure, its value and, where the project's scale targets
// name one, the target and whether this run meets it (only at the service count the target is for).
import type { BenchOptions } from './context.js';
import type { Account } from './account.js';
import type { BumpResult } from './bump.js';
import type { ColdResult } from './cold.js';
import type { IdleResult } from './idle.js';
import { formatSummary } from './profile-summary.js';
import type { Percentiles } from './probes.js';

export interface BenchResult {
  options: BenchOptions;
  machine: { cpus: number; loadAverageAtStart: number[]; loadAverageAtEnd: number[] };
  setup: Account['setup'] & { services: number };
  idle?: IdleResult;
  bump?: BumpResult;
  cold?: ColdResult;
}

type Row = [figure: string, value: string, target?: string, met?: boolean];

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const bytes = (n: number) => `${n.toLocaleString('en')} bytes (${(n / 1000).toFixed(0)} KB)`;
const calls = (byOp: Record<string, number>) => Object.entries(byOp).map(([k, v]) => `${k.split(':')[1]} ${v}`).join(', ') || 'none';
const pct = (p: Percentiles) => `p50 ${p.p50} ms, p99 ${p.p99} ms, max ${p.max} ms (${p.count} probes${p.failed ? `, ${p.failed} failed` : ''})`;

/** A target row for the service count it is stated at: met is left out at other counts. */
function target(n: number, at: number | undefined, text: string, met: boolean): [string, boolean | undefined] {
  return at === undefined || n === at ? [text, met] : [`${text} (at ${at.toLocaleString('en')})`, undefined];
}

function idleRows(n: number, r: IdleResult, o: BenchOptions): Row[] {
  const wave = r.waves[0];
  return [
    [`start-up: listening / first full sync (x${o.scale})`, `${s(r.startup.healthzMs)} / ${s(r.startup.readyMs)}`],
    ['peak RSS through start-up and first sync', `${r.startup.peakRssMiB} MiB`],
    ['peak RSS over idle resyncs (VmHWM)', `${r.peakRssMiB} MiB${r.peakRssResetWorked ? '' : ' (peak could not be reset: lifetime peak)'}`, ...target(n, 5000, '<= 300 MB', r.peakRssMiB * 1.048576 <= 300)],
    ['RSS after the idle resyncs', `${r.rssMiB} MiB`],
    ['reads per service per idle resync (median)', String(r.readsPerService), ...target(n, 5000, '<= 0.12', r.readsPerService <= 0.12)],
    ['reads of one idle resync', wave ? calls(wave.calls) : '-'],
    [`writes over ${r.waves.length} idle resyncs`, String(r.writes), ...target(n, undefined, '0', r.writes === 0)],
    [`throttles over ${r.waves.length} idle resyncs`, String(r.throttles)],
    ['CPU per service per resync (median)', `${r.cpuMsPerService} ms`, ...target(n, 5000, '<= 0.2 ms', r.cpuMsPerService <= 0.2)],
    ['  the same, less the CPU used at rest over as long', `${r.netCpuMsPerService} ms`],
    ['CPU at rest between resyncs', `${r.restCpuMsPerSecond} ms/s`],
    ['resync wave durations', r.waves.map((w) => s(w.ms)).join(', ')],
    ['/healthz during resyncs', pct(r.healthz.duringWaves), ...target(n, 5000, 'p99 <= 50 ms', r.healthz.duringWaves.p99 <= 50)],
    ['/healthz over the whole idle time', pct(r.healthz.all)],
    ['/metrics size', `${bytes(r.sizes.metricsBytes)}, served in ${r.sizes.metricsMs} ms`, ...target(n, 1000, '<= 200 KB', r.sizes.metricsBytes <= 200_000)],
    ['/api/v1/status size', `${bytes(r.sizes.statusBytes)}, served in ${r.sizes.statusMs} ms`],
    ['/api/v1/status?limit=100 size', `${bytes(r.sizes.statusPageBytes)}, served in ${r.sizes.statusPageMs} ms`],
  ];
}

function bumpRows(b: BumpResult): Row[] {
  return [
    [`bump of ${b.services} images at x${b.scale}: manifest change to all running it`, `${b.seconds} s`, ...target(b.services, 200, '<= 1.05 x floor + 3 s', b.seconds <= 1.05 * b.floorSeconds + 3)],
    ['bump floor', `${b.floorSeconds} s, set by ${b.floorSetBy}`],
    ['bump time over the floor', `${b.ratio}x`],
    ['bump throttles', `${b.throttles}${b.throttles ? ` (${calls(b.throttlesByOperation)})` : ''}`, ...target(b.services, 200, '<= 5', b.throttles <= 5)],
    ['bump: first UpdateService answered after', b.firstUpdateSeconds === undefined ? '-' : `${b.firstUpdateSeconds} s`],
    ['bump: RegisterTaskDefinition / UpdateService answered', `${b.registered} / ${b.updated}`],
    ['bump: revisions beyond one per family / with another image', `${b.extraRevisions} / ${b.wrongImage}`, ...target(b.services, undefined, '0 / 0', b.extraRevisions === 0 && b.wrongImage === 0)],
  ];
}

function coldRows(c: ColdResult): Row[] {
  return [
    [`cold restart (SIGKILL) at x${c.scale}: listening / first full resync`, `${c.listeningSeconds} s / ${c.readySeconds} s`, ...target(c.services, 5000, '<= 60 s', c.readySeconds <= 60)],
    ['cold restart: AWS calls until ready', `${c.reads} reads (${calls(c.calls)}), ${c.writes} writes`],
    ['cold restart: throttles', `${c.throttles}${c.throttles ? ` (${calls(c.throttlesByOperation)})` : ''}`],
    ['cold restart: peak RSS until ready', `${c.peakRssMiB} MiB`],
  ];
}

export function formatReport(r: BenchResult): string {
  const n = r.options.services;
  const rows: Row[] = [
    ['services (one cluster; each its own family, 3 ACTIVE revisions)', `${n.toLocaleString('en')} (${r.setup.activeRevisions.toLocaleString('en')} ACTIVE revisions)`],
    ['machine', `${r.machine.cpus} CPUs, load average ${r.machine.loadAverageAtStart.map((x) => x.toFixed(1)).join(' ')} at start, ${r.machine.loadAverageAtEnd.map((x) => x.toFixed(1)).join(' ')} at end`],
    ['set-up: older revisions straight into moto / apply (pacing off)', `${s(r.setup.olderRevisionsMs)} / ${s(r.setup.applyMs)} (${r.setup.applyCalls.reads} reads, ${r.setup.applyCalls.writes} writes)`],
    ...(r.idle ? idleRows(n, r.idle, r.options) : []),
    ...(r.bump ? bumpRows(r.bump) : []),
    ...(r.cold ? coldRows(r.cold) : []),
  ];
  const w0 = Math.max(...rows.map((x) => x[0].length));
  const w1 = Math.min(70, Math.max(...rows.map((x) => x[1].length)));
  const lines = rows.map(([a, b, t, met]) => `${a.padEnd(w0)}  ${b.padEnd(w1)}${t ? `  target ${t}${met === undefined ? '' : met ? ': met' : ': NOT met'}` : ''}`);
  const profile = r.idle?.profile ? `\n\nProfile of ${r.options.profileWaves} idle resyncs after the measured ones (profiling slows the process: read shares, not times)\n${formatSummary(r.idle.profile)}` : '';
  return `\n${lines.join('\n')}${profile}\n`;
}
