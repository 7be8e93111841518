// Two kinds the product does not have (Widget, and Gadget which references a Widget), over one tiny
// in-memory "API", given to the operator through a kind registry alone: the loader validates them
// with their own schema and rules, the order of creation and prune comes from their declared
// dependency, and the real `run` term (controller, pruner, manager, a directory source, the status
// store and its query) reconciles and prunes them end to end. Nothing in src/ names them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { API_VERSION, resourceKey, type DesiredResource, type JsonObject, type Kind } from '../../src/core/types.js';
import { ownedBy } from '../../src/core/tags.js';
import type { KindRules } from '../../src/desired/kind-rules.js';
import { loadRevision } from '../../src/desired/load.js';
import { creationOrder, KindRegistry, type KindModule } from '../../src/kinds/kind-module.js';
import { creationOwnershipTags, ownedResource } from '../../src/kinds/ownership.js';
import { KIND_ORDER } from '../../src/kinds/registry.js';
import { createTerm, PassRelay } from '../../src/operator/run-term.js';
import type { JsonSchema } from '../../src/normalize/schema.js';
import type { KindHandler, Observation } from '../../src/runtime/kind-handler.js';
import { DirectorySource } from '../../src/sources/directory.js';
import { parseStatusQuery } from '../../src/status/query.js';
import { StatusStore } from '../../src/status/store.js';

/** The tiny API both kinds live in: things by kind and name, each with a spec and tags. */
class ThingApi {
  readonly things = new Map<string, { spec: JsonObject; tags: Record<string, string> }>();
  readonly calls: string[] = [];
  put(key: string, spec: JsonObject, tags?: Record<string, string>): void {
    this.calls.push(`put ${key}`);
    this.things.set(key, { spec, tags: tags ?? this.things.get(key)?.tags ?? {} });
  }
  delete(key: string): void {
    this.calls.push(`delete ${key}`);
    this.things.delete(key);
  }
}

interface ThingPorts {
  things: ThingApi;
}

interface ThingLive {
  spec: JsonObject;
}

function schemaFor(kind: Kind, spec: JsonSchema): JsonSchema {
  const strings = { type: 'object', additionalProperties: { type: 'string' } };
  return {
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    additionalProperties: false,
    properties: {
      apiVersion: { const: API_VERSION },
      kind: { const: kind },
      metadata: { type: 'object', required: ['name'], additionalProperties: false, properties: { name: { type: 'string' }, labels: strings, annotations: strings } },
      spec,
    },
  };
}

/** A KindHandler over ThingApi, typed by its own live state. */
function thingHandler(kind: Kind, api: ThingApi): KindHandler<ThingLive, undefined> {
  const observationOf = (key: string): Observation<ThingLive, undefined> => {
    const thing = api.things.get(key);
    return thing ? { exists: true, arn: `thing:${key}`, live: { spec: thing.spec }, tags: thing.tags } : { exists: false };
  };
  return {
    kind,
    observe: async (resource) => observationOf(resource.key),
    plan: (resource, observation) => {
      const live = observation.live?.spec ?? {};
      const differences = Object.keys({ ...resource.manifest.spec, ...live })
        .filter((k) => JSON.stringify(resource.manifest.spec[k]) !== JSON.stringify(live[k]))
        .map((k) => ({ path: `/${k}`, desired: resource.manifest.spec[k], live: live[k] }));
      return { differences: observation.exists ? differences : [], requiresReplacement: [] };
    },
    apply: async (resource: DesiredResource, observation, _plan, ctx) => {
      api.put(resource.key, resource.manifest.spec, observation.exists ? undefined : creationOwnershipTags(resource, ctx));
      return { action: observation.exists ? 'updated' : 'created', writes: 1, observation: observationOf(resource.key) };
    },
    assess: () => ({ health: 'Healthy' }),
    outputs: (resource, observation) => (observation.exists ? { arn: observation.arn, name: resource.name } : {}),
    discoverOwned: async (ctx) => [...api.things.keys()].filter((key) => key.startsWith(`${kind}/`))
      .flatMap((key) => {
        const owned = ownedResource(kind, observationOf(key), ctx.instance);
        return owned ? [owned] : [];
      }),
    remove: async (owned) => {
      api.delete(owned.key);
      return { action: 'deleted', writes: 1, gone: true };
    },
  };
}

function rules(kind: Kind, spec: JsonSchema, references: KindRules['references'] = () => []): KindRules {
  const schema = schemaFor(kind, spec);
  return { kind, schema: () => schema, readOnlyFields: [], references, constraints: [], check: () => [] };
}

const widgetModule: KindModule<ThingPorts> = {
  kind: 'Widget',
  createdAfter: [],
  rules: rules('Widget', { type: 'object', required: ['size'], additionalProperties: false, properties: { size: { type: 'integer', minimum: 1 }, color: { type: 'string', enum: ['red', 'blue'] } } }),
  handler: ({ things }) => thingHandler('Widget', things),
};

const gadgetModule: KindModule<ThingPorts> = {
  kind: 'Gadget',
  createdAfter: ['Widget'],
  rules: rules(
    'Gadget',
    { type: 'object', required: ['widget'], additionalProperties: false, properties: { widget: { type: 'string' } } },
    (spec) => (typeof spec.widget === 'string' ? [{ path: '/spec/widget', kind: 'Widget', name: spec.widget, byIdentity: false, external: () => false }] : []),
  ),
  handler: ({ things }) => thingHandler('Gadget', things),
};

// Written dependents first, to show the record's order does not matter.
const registry = new KindRegistry<ThingPorts>({ Gadget: gadgetModule, Widget: widgetModule });

const WIDGET = `apiVersion: ${API_VERSION}\nkind: Widget\nmetadata:\n  name: w1\nspec:\n  size: 3\n  color: red\n`;
const GADGET = `apiVersion: ${API_VERSION}\nkind: Gadget\nmetadata:\n  name: g1\nspec:\n  widget: w1\n`;

test('the creation order comes from the declared dependencies, ties by name, whatever the record order', () => {
  assert.deepEqual(registry.kinds, ['Widget', 'Gadget']);
  assert.deepEqual([...registry.rules.keys()], ['Widget', 'Gadget']);
  assert.deepEqual(registry.handlers({ things: new ThingApi() }).map((h) => h.kind), ['Widget', 'Gadget']);
  assert.deepEqual(KIND_ORDER, ['Cluster', 'TaskDefinition', 'Service', 'ServiceAutoScaling']);
  const node = (kind: string, createdAfter: string[] = []) => ({ kind, createdAfter });
  assert.deepEqual(creationOrder({ B: node('B'), A: node('A'), C: node('C', ['B']) }), ['A', 'B', 'C']);
  assert.throws(() => creationOrder({ A: node('A', ['Nope']) }), /A is created after Nope, which is not a registered kind/);
  assert.throws(() => creationOrder({ A: node('A', ['B']), B: node('B', ['A']) }), /A, B are created after one another in a cycle/);
  assert.throws(() => creationOrder({ A: node('B') }), /the module filed as A is kind B/);
});

test('the loader knows the test kinds by their rules alone: schema errors, references, unknown kinds', () => {
  const load = (files: Record<string, string>) => loadRevision({ info: { id: 't', source: 't' }, files: new Map(Object.entries(files)) }, registry.rules);
  const good = load({ 'w.yaml': WIDGET, 'g.yaml': GADGET });
  assert.deepEqual(good.errors, []);
  assert.deepEqual(good.state?.order, ['Widget/w1', 'Gadget/g1']);
  assert.deepEqual(good.state?.resources.get('Gadget/g1')?.dependsOn, ['Widget/w1']);
  const bad = load({ 'w.yaml': WIDGET.replace('size: 3', 'size: big'), 'g.yaml': GADGET.replace('w1', 'w2'), 's.yaml': `apiVersion: ${API_VERSION}\nkind: Service\nmetadata: {name: s}\nspec: {}\n` });
  assert.deepEqual(bad.errors.map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`), [
    'g.yaml:6:3: reference to nothing: no Widget manifest named "w2" (did you mean "w1"?)',
    's.yaml:2:1: must be one of Widget, Gadget; got "Service"',
    'w.yaml:6:3: must be an integer, got string',
  ]);
});

test('the run term reconciles and prunes the test kinds through the registry: created in order, pruned in reverse', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'test-kind-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'gadget.yaml'), GADGET);
  await writeFile(join(dir, 'widget.yaml'), WIDGET);
  const api = new ThingApi();
  const status = new StatusStore(registry.kinds);
  const term = createTerm({
    flags: { instance: 'default', adopt: true, drift: 'heal', concurrency: 4, resyncInterval: 60_000, shutdownGrace: 1_000, prune: true, pruneMax: 5, pruneAllowEmpty: true, pruneAdopted: false },
    app: { handlers: registry.handlers({ things: api }), rules: registry.rules },
    source: new DirectorySource(dir, { debounceMs: 50 }), status, log: pino({ level: 'silent' }), passes: new PassRelay(),
    cutoff: new AbortController(), processStopping: () => true,
  });
  const stop = new AbortController();
  const running = term.run(stop.signal);
  const until = async (what: string, ok: () => boolean) => {
    for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(ok(), what);
  };
  try {
    await until('ready with both resources Synced and Healthy', () => term.manager.ready && status.list().length === 2 && status.list().every((s) => s.sync === 'Synced' && s.health === 'Healthy'));
    assert.deepEqual(api.calls, ['put Widget/w1', 'put Gadget/g1']);
    assert.ok(ownedBy(api.things.get('Gadget/g1')?.tags, 'default', resourceKey('Gadget', 'g1')), 'created with the ownership tags');
    assert.deepEqual(status.list().map((s) => s.key), ['Widget/w1', 'Gadget/g1'], 'the status lists kinds in creation order');
    const page = status.query(parseStatusQuery(new URLSearchParams('kind=Gadget'), status.kinds));
    assert.deepEqual([page.matched, page.totals.kinds], [1, { Widget: 1, Gadget: 1 }]);
    assert.throws(() => parseStatusQuery(new URLSearchParams('kind=Service'), status.kinds), /kind: unknown value "Service"; one or more \(comma-separated\) of Widget, Gadget/);

    await unlink(join(dir, 'widget.yaml'));
    await unlink(join(dir, 'gadget.yaml'));
    await until('both pruned', () => api.things.size === 0 && status.list().length === 0);
    assert.deepEqual(api.calls.slice(2), ['delete Gadget/g1', 'delete Widget/w1']);
  } finally {
    stop.abort();
    await running;
  }
});
