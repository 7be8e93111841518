// Leases in memory with the conditions of the DynamoDB store (acquire when absent, lapsed or ours;
// renew and release only with the same holder and token), for the elector's unit tests on a
// simulated clock; the DynamoDB store itself is tested against moto. Each elector gets its own
// client, so that faults hit one process: `down` (every call fails before reaching the store) and
// `lostReply` (the next write is applied and its answer lost).
import type { LeaseRecord, LeaseStore, LeaseWrite } from '../../src/lease/lease-store.js';

export type Fault = 'down' | 'lostReply';

export class MemoryLeases {
  readonly records = new Map<string, LeaseRecord>();

  /** The store as one process sees it; `fault` is read at every call. */
  client(fault: () => Fault | undefined = () => undefined): LeaseStore & { clearLostReply(): void } {
    const records = this.records;
    let lostReplyUsed = false;
    const call = async <T>(write: boolean, apply: () => T): Promise<T> => {
      const f = fault();
      if (f === 'down') throw new Error('connect ETIMEDOUT');
      const out = apply();
      if (write && f === 'lostReply' && !lostReplyUsed) {
        lostReplyUsed = true;
        throw new Error('socket hang up');
      }
      return out;
    };
    const conditional = (lease: LeaseRecord, change: (current: LeaseRecord) => LeaseRecord) => call(true, (): LeaseWrite => {
      const current = records.get(lease.name);
      if (!current || current.holder !== lease.holder || current.token !== lease.token) return { ok: false, current };
      const next = change(current);
      records.set(lease.name, next);
      return { ok: true, lease: next };
    });
    return {
      description: 'memory',
      clearLostReply: () => (lostReplyUsed = false),
      prepare: async () => {},
      read: (name) => call(false, () => records.get(name)),
      acquire: (name, holder, now, durationMs) => call(true, (): LeaseWrite => {
        const current = records.get(name);
        if (current && !(current.expiresAt < now) && current.holder !== holder) return { ok: false, current };
        const lease = { name, holder, token: (current?.token ?? 0) + 1, expiresAt: now + durationMs, acquiredAt: now, renewedAt: now };
        records.set(name, lease);
        return { ok: true, lease };
      }),
      renew: (lease, now, durationMs) => conditional(lease, (current) => ({ ...current, expiresAt: now + durationMs, renewedAt: now })),
      release: (lease, now) => conditional(lease, (current) => ({ ...current, expiresAt: 0, renewedAt: now })),
    };
  }
}
