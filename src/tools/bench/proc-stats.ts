// What Linux says about a process (/proc/PID): its peak and current resident memory and the CPU time
// it has used. The benchmark reads the operator from outside, as `top` would, so nothing in the
// operator has to cooperate and nothing it does is left out (the SDK, the GC, native memory).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

/** Clock ticks per second of utime/stime (getconf CLK_TCK; 100 on nearly every Linux). */
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    const out = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
    ticksPerSecond = Number(out.stdout.trim()) || 100;
  }
  return ticksPerSecond;
}

/** User plus system CPU time the process has used, in milliseconds (10 ms resolution at 100 ticks/s). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) is in parentheses and may hold spaces: count fields after its end.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / clockTicks();
}

/**
 * Milliseconds the main thread (the event loop) has been running or waiting for a CPU
 * (/proc/PID/schedstat). Unlike CPU time it does not drop when other processes take the CPUs, so a
 * rise of it by nearly the wall time means "busy", however loaded the machine is.
 */
export function demandMs(pid: number): number {
  const [run, wait] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(' ').map(Number);
  return ((run ?? 0) + (wait ?? 0)) / 1e6;
}

/** Peak (VmHWM) and current (VmRSS) resident set size, in bytes. */
export function memory(pid: number): { peakRss: number; rss: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { peakRss: kb('VmHWM'), rss: kb('VmRSS') };
}

/**
 * Starts a new peak: VmHWM falls back to the current RSS (Linux clear_refs, value 5), so a later
 * reading is the peak of what came after, e.g. of idle resyncs rather than of start-up.
 */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

export const MiB = 1024 * 1024;
