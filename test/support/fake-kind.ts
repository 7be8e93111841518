// A small in-memory kind for runtime unit tests: live state is a map, plan compares top-level fields.
import type { DesiredResource, DesiredState, Kind, JsonObject, ResourceKey } from '../../src/core/types.js';
import { API_VERSION, resourceKey } from '../../src/core/types.js';
import pino from 'pino';
import type { KindHandler, Observation, OwnedResource, Plan, ReconcileContext } from '../../src/runtime/kind-handler.js';
import { ownershipTags, type Origin } from '../../src/core/tags.js';
import type { Difference } from '../../src/diff/types.js';
import { StalledError } from '../../src/core/errors.js';

export interface FakeLive {
  spec: JsonObject;
  tags: Record<string, string>;
  health?: 'Healthy' | 'Progressing' | 'Degraded';
}

export class FakeKind implements KindHandler {
  readonly live = new Map<string, FakeLive>();
  readonly calls: string[] = [];
  /** Fields the fake "AWS" silently ignores on write (like an emulator that drops a field). */
  ignoreOnWrite = new Set<string>();
  createOnly = new Set<string>();
  failApply: Error | undefined;

  constructor(readonly kind: Kind = 'Cluster') {}

  async observe(resource: DesiredResource): Promise<Observation> {
    this.calls.push(`observe ${resource.name}`);
    const live = this.live.get(resource.name);
    return live ? { exists: true, arn: `arn:fake:${resource.name}`, live, tags: live.tags } : { exists: false };
  }

  plan(resource: DesiredResource, observation: Observation): Plan {
    const live = (observation.live as FakeLive | undefined)?.spec ?? {};
    const desired = resource.manifest.spec;
    const differences: Difference[] = [];
    for (const key of new Set([...Object.keys(desired), ...Object.keys(live)])) {
      if (JSON.stringify(desired[key]) !== JSON.stringify(live[key])) {
        differences.push({ path: `/${key}`, desired: desired[key], live: live[key] });
      }
    }
    if (!observation.exists) return { differences: [], requiresReplacement: [] };
    const requiresReplacement = differences.filter((d) => this.createOnly.has(d.path.slice(1)));
    return { differences: differences.filter((d) => !requiresReplacement.includes(d)), requiresReplacement };
  }

  async apply(resource: DesiredResource, observation: Observation) {
    if (this.failApply) throw this.failApply;
    const spec = Object.fromEntries(Object.entries(resource.manifest.spec).filter(([k]) => !this.ignoreOnWrite.has(k)));
    const before = this.live.get(resource.name);
    const live: FakeLive = { spec: observation.exists ? { ...before!.spec, ...spec } : spec, tags: before?.tags ?? {}, health: before?.health ?? 'Healthy' };
    this.live.set(resource.name, live);
    const action = observation.exists ? 'updated' : 'created';
    this.calls.push(`${action} ${resource.name}`);
    return { action, writes: 1, observation: { exists: true, arn: `arn:fake:${resource.name}`, live, tags: live.tags } };
  }

  assess(_r: DesiredResource, observation: Observation) {
    return { health: (observation.live as FakeLive).health ?? 'Healthy' };
  }

  outputs(_r: DesiredResource, observation: Observation) {
    return observation.exists ? { arn: observation.arn } : {};
  }

  readonly removed: string[] = [];
  /** Names whose removal reports "not yet" (like a cluster with services). */
  notYetGone = new Set<string>();

  async discoverOwned(): Promise<OwnedResource[]> {
    return [...this.live].filter(([, l]) => l.tags['ecs-operator.dev/managed-by'] === 'default').map(([name, l]) => ({
      key: `${this.kind}/${name}` as OwnedResource['key'],
      observation: { exists: true, arn: `arn:fake:${name}`, live: l, tags: l.tags },
    }));
  }

  async remove(owned: OwnedResource) {
    const name = owned.key.slice(owned.key.indexOf('/') + 1);
    if (this.notYetGone.has(name)) return { action: 'waiting', writes: 0, gone: false, message: 'not empty yet' };
    this.live.delete(name);
    this.removed.push(owned.key);
    return { action: 'deleted', writes: 1, gone: true };
  }

  /** Holds every observe of `name` until the returned function is called (a pass in flight). */
  hold(name: string): () => void {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const observe = this.observe.bind(this);
    this.observe = async (r) => {
      if (r.name === name) await gate;
      return observe(r);
    };
    return release;
  }

  /** A live resource as this operator instance would have tagged it: created by it, unless `origin` says otherwise. */
  own(name: string, spec: JsonObject = {}, extraTags: Record<string, string> = {}, origin: Origin | undefined = 'created'): void {
    this.live.set(name, { spec, tags: { ...ownershipTags('default', this.kind, name, origin ? { origin } : {}), ...extraTags }, health: 'Healthy' });
  }

  writes(): number {
    return this.calls.filter((c) => !c.startsWith('observe')).length;
  }
}

export function fakeResource(kind: Kind, name: string, spec: JsonObject, extra: Partial<DesiredResource> = {}): DesiredResource {
  return {
    key: resourceKey(kind, name),
    kind,
    name,
    manifest: { apiVersion: API_VERSION, kind, metadata: { name }, spec },
    source: { file: `${name}.yaml`, line: 1, col: 1 },
    dependsOn: [],
    policy: { drift: undefined, ignoreDifferences: [], prune: true },
    hash: JSON.stringify(spec),
    ...extra,
  };
}

export function fakeState(resources: DesiredResource[], revision = 'r1'): DesiredState {
  const map = new Map<ResourceKey, DesiredResource>(resources.map((r) => [r.key, r]));
  return { revision: { id: revision, source: 'test' }, resources: map, order: resources.map((r) => r.key), warnings: [] };
}

/** A reconcile context for calling a kind's functions directly: instance `default`, drift heal, time 0. */
export function fakeContext(overrides: Partial<ReconcileContext> = {}): ReconcileContext {
  const desired = overrides.desired ?? fakeState([]);
  return {
    now: 0, notBefore: 0, mode: 'run', instance: 'default', adopt: true, driftDefault: 'heal', revision: desired.revision, desired,
    outputsOf: () => undefined, log: pino({ level: 'silent' }), signal: new AbortController().signal, ...overrides,
  };
}
