// The status of the source and of every resource, in memory: what /api/v1/status, the status page,
// metrics, alerts and the CLI read. Listeners see each change with the status before and after.
// Everything stored is masked first (core/redact.ts): whoever reads a status never sees a secret,
// whichever message (an AWS error, a git error) carried it in.
import { maskStrings } from '../core/redact.js';
import { KINDS, type ResourceKey } from '../core/types.js';
import type { PruneStatus, ResourceStatus, SourceStatus } from './types.js';

export interface StatusChange {
  key: ResourceKey;
  previous: ResourceStatus | undefined;
  current: ResourceStatus | undefined;
}

export interface StatusSnapshot {
  source?: SourceStatus;
  /** Present once prune (--prune) has run. */
  prune?: PruneStatus;
  resources: ResourceStatus[];
}

export class StatusStore {
  private readonly resources = new Map<ResourceKey, ResourceStatus>();
  private sourceStatus: SourceStatus | undefined;
  private pruneStatus: PruneStatus | undefined;
  private readonly listeners = new Set<(change: StatusChange) => void>();
  private readonly sourceListeners = new Set<(previous: SourceStatus | undefined, current: SourceStatus) => void>();

  get(key: ResourceKey): ResourceStatus | undefined {
    return this.resources.get(key);
  }

  set(unmasked: ResourceStatus): void {
    const status = maskStrings(unmasked);
    const previous = this.resources.get(status.key);
    this.resources.set(status.key, status);
    for (const listener of this.listeners) listener({ key: status.key, previous, current: status });
  }

  delete(key: ResourceKey): void {
    const previous = this.resources.get(key);
    if (!previous) return;
    this.resources.delete(key);
    for (const listener of this.listeners) listener({ key, previous, current: undefined });
  }

  /** Every resource, in kind order then by name. */
  list(): ResourceStatus[] {
    return [...this.resources.values()].sort(
      (a, b) => KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind) || a.name.localeCompare(b.name),
    );
  }

  get source(): SourceStatus | undefined {
    return this.sourceStatus;
  }

  setSource(unmasked: SourceStatus): void {
    const status = maskStrings(unmasked);
    const previous = this.sourceStatus;
    this.sourceStatus = status;
    for (const listener of this.sourceListeners) listener(previous, status);
  }

  get prune(): PruneStatus | undefined {
    return this.pruneStatus;
  }

  setPrune(status: PruneStatus): void {
    this.pruneStatus = maskStrings(status);
  }

  onChange(listener: (change: StatusChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onSourceChange(listener: (previous: SourceStatus | undefined, current: SourceStatus) => void): () => void {
    this.sourceListeners.add(listener);
    return () => this.sourceListeners.delete(listener);
  }

  snapshot(): StatusSnapshot {
    return {
      ...(this.sourceStatus ? { source: this.sourceStatus } : {}),
      ...(this.pruneStatus ? { prune: this.pruneStatus } : {}),
      resources: this.list(),
    };
  }
}
