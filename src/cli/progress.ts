// Progress lines of `apply`: a resource's line is printed only when it says something new (a rollout
// polled every few seconds prints once, not every poll), each with the time since the start, and
// while nothing changes a heartbeat says what is still awaited, at most every 30 s.
export interface ProgressOptions {
  /** Where lines go. */
  say: (line: string) => void;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
  /** Quiet time after which a heartbeat is printed. Default 30 s. */
  heartbeatMs?: number;
}

/** Elapsed time as `12s`, `1m05s`: the `[...]` at the end of every line. */
export function elapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const rest = s % 60;
  return `${Math.floor(s / 60)}m${String(rest).padStart(2, '0')}s`;
}

export class Progress {
  private readonly started: number;
  private readonly last = new Map<string, string>();
  private lastPrinted: number;
  private readonly now: () => number;
  private readonly heartbeatMs: number;

  constructor(private readonly options: ProgressOptions) {
    this.now = options.now ?? Date.now;
    this.heartbeatMs = options.heartbeatMs ?? 30_000;
    this.started = this.now();
    this.lastPrinted = this.started;
  }

  /** Prints `line` about `key` unless it is what was last printed about it. Returns whether it printed. */
  update(key: string, line: string): boolean {
    if (this.last.get(key) === line) return false;
    this.last.set(key, line);
    this.print(line);
    return true;
  }

  /** Any line (a summary, a prune): printed with the elapsed time at its end, so it still starts with its mark. */
  print(line: string): void {
    this.lastPrinted = this.now();
    this.options.say(`${line} [${elapsed(this.lastPrinted - this.started)}]`);
  }

  /**
   * Call often (every few seconds): when nothing was printed for the heartbeat interval, prints what
   * is still awaited, as `awaited()` describes it (nothing when it returns an empty list).
   */
  tick(awaited: () => string[]): void {
    if (this.now() - this.lastPrinted < this.heartbeatMs) return;
    const waiting = awaited();
    if (waiting.length === 0) return;
    const shown = waiting.slice(0, 5).join('; ');
    this.print(`… still waiting for ${waiting.length} resource(s): ${shown}${waiting.length > 5 ? `; and ${waiting.length - 5} more` : ''}`);
  }
}
