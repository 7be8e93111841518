// Validation in one pass: the kinds' rules run on documents with schema errors too, report what the
// schema cannot see, never repeat or contradict a schema error, and never throw on a value of the
// wrong type, wherever it is written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { JsonValue } from '../../src/core/types.js';
import { isObject } from '../../src/normalize/common.js';
import { EXAMPLES } from '../support/examples.js';
import { doc, FARGATE_TD, lines, load } from './helpers.js';

test('a schema error and a cpu/memory rule error in one document are both reported', () => {
  const td = doc('TaskDefinition', 'web', FARGATE_TD.replace('memory: "512"', 'memory: "4 GB"').replace('networkMode: awsvpc', 'networkMode: awsvpc\nfamly: web'));
  assert.deepEqual(lines(load({ 'a.yaml': td }).errors), [
    'a.yaml:8:3: unknown field "famly" (did you mean "family"?) (at /spec/famly)',
    'a.yaml:10:3: memory 4096 MiB does not fit cpu 256 on Fargate: use 512, 1024 or 2048 MiB (at /spec/memory)',
  ]);
});

test('rules and constraints run on every document: a negative count, a missing image, a bad schedule at once', () => {
  const service = doc('Service', 'web', 'desiredCount: -1\nlaunchType: FARGATE\ncapacityProviderStrategy: [{capacityProvider: FARGATE_SPOT, weight: 1}]\ncluster: 7');
  const td = doc('TaskDefinition', 'api', 'containerDefinitions:\n  - name: api\n    memory: 256\n    memoryReservation: 512');
  assert.deepEqual(lines(load({ 'a.yaml': service, 'b.yaml': td }).errors), [
    'a.yaml:5:1: launchType FARGATE uses networkMode awsvpc: networkConfiguration.awsvpcConfiguration (subnets, securityGroups) is required (at /spec/networkConfiguration/awsvpcConfiguration)',
    'a.yaml:6:3: must be between 0 and 5000, got -1 (at /spec/desiredCount)',
    'a.yaml:7:3: launchType and capacityProviderStrategy exclude each other: write one or the other (at /spec/launchType)',
    'a.yaml:9:3: must be a string, got number (quote it: "7") (at /spec/cluster)',
    'b.yaml:7:7: missing required field "image" (at /spec/containerDefinitions/0/image)',
    'b.yaml:9:7: memoryReservation 512 is greater than memory 256 (at /spec/containerDefinitions/0/memoryReservation)',
  ]);
});

test('a rule finding on a field the schema already reports is dropped: one mistake, one message', () => {
  // cpu as a number: the schema's type error; the cpu rule ("cannot read 256 as cpu") would repeat it.
  const td = doc('TaskDefinition', 't', FARGATE_TD.replace('cpu: "256"', 'cpu: 256'));
  assert.deepEqual(lines(load({ 'a.yaml': td }).errors), ['a.yaml:8:3: must be a string, got number (quote it: "256") (at /spec/cpu)']);
  // A misspelt required member: "unknown field" with a suggestion, not also "image is required".
  const typo = doc('TaskDefinition', 't', 'containerDefinitions:\n  - {name: a, imgae: nginx, memory: 128}');
  assert.deepEqual(lines(load({ 'a.yaml': typo }).errors), ['a.yaml:7:17: unknown field "imgae" (did you mean "image"?) (at /spec/containerDefinitions/0/imgae)']);
  // A policyType of the wrong type: no guess at which configuration it needs.
  const scaling = doc('ServiceAutoScaling', 's', 'service: web\nminCapacity: 1\nmaxCapacity: 2\npolicies: [{policyName: p, policyType: 7}]');
  assert.deepEqual(lines(load({ 'a.yaml': scaling, 'b.yaml': doc('Service', 'web', 'desiredCount: 1') }).errors), [
    'a.yaml:9:30: must be a string, got number (quote it: "7") (at /spec/policies/0/policyType)',
  ]);
});

/** Every pointer into the spec of a value. */
function pointers(value: JsonValue, at = '/spec'): string[] {
  const children: Array<[string, JsonValue]> = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : isObject(value) ? Object.entries(value) : [];
  return [at, ...children.flatMap(([key, child]) => pointers(child, `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`))];
}

function replaced(document: Record<string, JsonValue>, pointer: string, value: JsonValue): Record<string, JsonValue> {
  const copy = structuredClone(document);
  const segments = pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = segments.pop()!;
  let node: JsonValue = copy;
  for (const s of segments) node = (node as Record<string, JsonValue>)[s]!;
  (node as Record<string, JsonValue>)[last] = value;
  return copy;
}

function files(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) Object.assign(out, files(path));
    else if (/\.(ya?ml|json)$/.test(entry)) out[path] = readFileSync(path, 'utf8');
  }
  return out;
}

/** The example manifests as loaded (defaults applied), one per resource. */
function exampleDocuments(dir: string): Array<Record<string, JsonValue>> {
  const { errors, state } = load(files(dir));
  assert.deepEqual(errors, []);
  return [...state!.resources.values()].map((r) => structuredClone(r.manifest) as unknown as Record<string, JsonValue>);
}

test('no rule throws on a value of the wrong type, wherever it is written', () => {
  const WRONG: JsonValue[] = [-1, 'x', [1, 'a'], { a: { b: 1 } }];
  const documents = exampleDocuments(EXAMPLES);
  assert.ok(documents.length >= 6, 'the examples cover every kind');
  let runs = 0;
  for (const document of documents) {
    // The other documents stay: rules that read another manifest (bindings, DAEMON) see a valid one.
    const others = documents.filter((d) => d !== document).map((d) => JSON.stringify(d));
    for (const pointer of pointers(document.spec!)) {
      for (const value of WRONG) {
        const mutated = JSON.stringify(replaced(document, pointer, value));
        const files = Object.fromEntries([mutated, ...others].map((text, i) => [`m${i}.json`, text]));
        assert.doesNotThrow(() => load(files), `${document.kind} ${pointer} = ${JSON.stringify(value)}`);
        runs++;
      }
    }
  }
  assert.ok(runs > 300, `${runs} mutations`);
});
