// Leader election on a lease store: a standby looks at the lease and takes it when it is free; the
// leader renews it every renew interval and is the leader only until its write deadline (timing.ts),
// renewed or not. It is also the write fence of the AWS clients: writes go out only while this
// process is the leader and the deadline is ahead. Clocks are injected (wall time for what is written
// to the store, a monotonic clock for the deadline, so that a wall clock step cannot lengthen it).
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { systemClock, type Clock } from '../core/clock.js';
import type { LeaseRecord, LeaseStore } from './lease-store.js';
import type { Leadership, LeadershipStatus, LeaseView } from './leadership.js';
import { DEFAULT_TIMING, failureDelay, isFree, standbyDelay, writeDeadline, type LeaseTiming } from './timing.js';

export interface ElectorOptions {
  store: LeaseStore;
  /** The lease's name: by default the --instance value, so that each instance elects its own leader. */
  name: string;
  /** This process's id in the store. Default holderId(). */
  holder?: string;
  timing?: LeaseTiming;
  log: Logger;
  /** Wall time (what is written to the store) and timers. Default the system clock. */
  clock?: Clock;
  /** Monotonic milliseconds, for the write deadline. Default performance.now(). */
  monotonic?: () => number;
}

type State =
  | { role: 'standby'; seen: LeaseRecord | undefined }
  | { role: 'leader'; lease: LeaseRecord; deadline: number };

/**
 * A unique id for this process: the ECS task's id when the container metadata names it (the last
 * segment of ECS_CONTAINER_METADATA_URI_V4), else the host name, then random hex.
 */
export function holderId(env: NodeJS.ProcessEnv = process.env): string {
  const task = env.ECS_CONTAINER_METADATA_URI_V4?.split('/').filter(Boolean).pop();
  return `${task ?? hostname()}-${randomBytes(4).toString('hex')}`;
}

export class LeaderElector implements Leadership {
  readonly holder: string;
  private readonly timing: LeaseTiming;
  private readonly clock: Clock;
  private readonly monotonic: () => number;
  private state: State = { role: 'standby', seen: undefined };
  private deadlineTimer: unknown;
  private readonly listeners = new Set<(leader: boolean) => void>();
  /** Writes let through by the fence that have not settled yet, and who waits for none to be left. */
  private writing = 0;
  private readonly drained: Array<() => void> = [];

  constructor(private readonly options: ElectorOptions) {
    this.holder = options.holder ?? holderId();
    this.timing = options.timing ?? DEFAULT_TIMING;
    this.clock = options.clock ?? systemClock;
    this.monotonic = options.monotonic ?? (() => performance.now());
  }

  get isLeader(): boolean {
    return this.state.role === 'leader';
  }

  onChange(listener: (leader: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The write fence (aws/write-fence.ts): undefined while this process may write. */
  refusal(): string | undefined {
    const { state } = this;
    if (state.role === 'standby') {
      const by = state.seen && !isFree(state.seen, this.clock.now()) ? `it is held by ${state.seen.holder}` : 'it is free';
      return `this process is a standby: it does not hold the lease ${this.options.name} (${by})`;
    }
    if (this.monotonic() >= state.deadline) return `the lease ${this.options.name} was not renewed in time: this process stops writing before it lapses`;
    return undefined;
  }

  /** The fence's count of writes in flight (aws/write-fence.ts). */
  inFlight(): () => void {
    this.writing += 1;
    let settled = false;
    return () => {
      if (settled) return;
      settled = true;
      this.writing -= 1;
      if (this.writing === 0) this.drained.splice(0).forEach((resolve) => resolve());
    };
  }

  status(): LeadershipStatus {
    const { state } = this;
    const record = state.role === 'leader' ? state.lease : state.seen;
    const lease: LeaseView = { store: this.options.store.description, name: this.options.name, self: this.holder, held: false };
    if (record && !isFree(record, this.clock.now())) {
      Object.assign(lease, { held: true, holder: record.holder, token: record.token, since: iso(record.acquiredAt), expiresAt: iso(record.expiresAt) });
      if (record.renewedAt) lease.renewedAt = iso(record.renewedAt);
    }
    return { leader: this.isLeader, lease };
  }

  /** Campaigns, then renews, until `signal` aborts. Never throws: store failures are logged and retried. */
  async run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      let delay: number;
      try {
        delay = this.state.role === 'leader' ? await this.renew() : await this.campaign();
        failures = 0;
      } catch (err) {
        failures += 1;
        delay = failureDelay(failures, this.timing);
        if (this.state.role === 'leader' && this.monotonic() >= this.state.deadline) this.lose(this.state.lease, 'not renewed before its write deadline');
        if (this.state.role === 'leader') delay = Math.min(delay, this.state.deadline - this.monotonic());
        this.options.log.warn({ err: (err as Error).message, lease: this.options.name, retryInMs: delay }, this.isLeader ? 'lease renewal failed' : 'lease read failed');
      }
      await this.sleep(delay, signal);
    }
  }

  /**
   * Lets go of the lease, if held, so that a standby takes over at its next look rather than when it
   * lapses. The fence closes first, and the writes already on their way get up to `settleMs` to
   * land: nothing this process sends afterwards is a write. Call it once run() has returned, so that
   * no renewal in flight can land after the release.
   */
  async release(settleMs = 5_000): Promise<void> {
    if (this.state.role !== 'leader') return;
    const lease = this.state.lease;
    this.lose({ ...lease, expiresAt: 0 }, 'released');
    if (this.writing > 0) {
      let timer: unknown;
      await Promise.race([
        new Promise<void>((resolve) => this.drained.push(resolve)),
        new Promise<void>((resolve) => (timer = this.clock.setTimeout(resolve, settleMs))),
      ]);
      this.clock.clearTimeout(timer);
    }
    try {
      const out = await this.options.store.release(lease, this.clock.now());
      if (out.ok) this.options.log.info({ lease: lease.name, token: lease.token }, 'lease released');
      else this.options.log.warn({ lease: lease.name, holder: out.current?.holder }, 'lease not released: it was no longer ours');
    } catch (err) {
      this.options.log.warn({ err: (err as Error).message, lease: lease.name }, 'lease release failed: a standby takes over when it lapses');
    }
  }

  /** A standby's turn: read the lease, take it when free (or ours), say when to look again. */
  private async campaign(): Promise<number> {
    const { store, name } = this.options;
    const current = await store.read(name);
    this.state = { role: 'standby', seen: current };
    if (!isFree(current, this.clock.now()) && current!.holder !== this.holder) return standbyDelay(current, this.clock.now(), this.timing);
    const sentAt = this.monotonic();
    const out = await store.acquire(name, this.holder, this.clock.now(), this.timing.durationMs);
    if (!out.ok) {
      this.state = { role: 'standby', seen: out.current };
      return standbyDelay(out.current, this.clock.now(), this.timing);
    }
    this.lead(out.lease, sentAt);
    this.options.log.info({ lease: name, holder: this.holder, token: out.lease.token }, 'lease acquired: this process is the leader');
    return this.untilNextRenewal(sentAt);
  }

  /** The leader's turn: renew, or learn that the lease is someone else's. */
  private async renew(): Promise<number> {
    const state = this.state as Extract<State, { role: 'leader' }>;
    const sentAt = this.monotonic();
    const out = await this.options.store.renew(state.lease, this.clock.now(), this.timing.durationMs);
    // Lost meanwhile (the deadline passed while the request was out): a standby's next look decides.
    if (this.state !== state) return 0;
    if (!out.ok) {
      this.lose(out.current, `taken by ${out.current?.holder ?? 'nobody (the record is gone)'}`);
      return standbyDelay(out.current, this.clock.now(), this.timing);
    }
    this.lead(out.lease, sentAt);
    return this.untilNextRenewal(sentAt);
  }

  private lead(lease: LeaseRecord, sentAt: number): void {
    const wasLeader = this.isLeader;
    const deadline = writeDeadline(sentAt, this.monotonic() - sentAt, this.timing);
    const state: State = { role: 'leader', lease, deadline };
    this.state = state;
    this.clock.clearTimeout(this.deadlineTimer);
    // Each renewal replaces the state and this timer: if it fires, no renewal came in time.
    this.deadlineTimer = this.clock.setTimeout(() => {
      if (this.state === state) this.lose(lease, 'not renewed before its write deadline');
    }, Math.max(0, deadline - this.monotonic()));
    if (!wasLeader) this.notify(true);
  }

  private lose(seen: LeaseRecord | undefined, why: string): void {
    if (this.state.role !== 'leader') return;
    this.clock.clearTimeout(this.deadlineTimer);
    this.state = { role: 'standby', seen };
    if (why !== 'released') this.options.log.warn({ lease: this.options.name, why }, 'lease lost: this process is a standby now');
    this.notify(false);
  }

  private untilNextRenewal(sentAt: number): number {
    return Math.max(0, sentAt + this.timing.renewIntervalMs - this.monotonic());
  }

  private notify(leader: boolean): void {
    for (const listener of this.listeners) listener(leader);
  }

  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.clock.clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = this.clock.setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
