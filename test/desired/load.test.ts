// Loading rules, one row each: the exact message and file:line:col a mistake produces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadRevision } from '../../src/desired/load.js';
import { doc, FARGATE_TD, lines, load } from './helpers.js';
import { KIND_REGISTRY } from '../../src/kinds/registry.js';

interface Row {
  name: string;
  files: Record<string, string>;
  errors: string[];
  warnings?: string[];
}

const rows: Row[] = [
  {
    name: 'unknown field with a suggestion, and no second error for the required field it misspells',
    files: { 'a.yaml': doc('TaskDefinition', 'td', 'memory: "512"\ncontianerDefinitions: []') },
    errors: ['a.yaml:7:3: unknown field "contianerDefinitions" (did you mean "containerDefinitions"?) (at /spec/contianerDefinitions)'],
  },
  {
    name: 'unknown top-level field (and not also the missing one it misspells)',
    files: { 'a.yaml': 'apiVersion: ecs-operator.dev/v1alpha1\nkind: Cluster\nmetadata: {name: c}\nspecs: {}\n' },
    errors: ['a.yaml:4:1: unknown field "specs" (did you mean "spec"?) (at /specs)'],
  },
  {
    name: 'Application Auto Scaling member written PascalCase',
    files: { 'a.yaml': doc('ServiceAutoScaling', 's', 'service: s\nminCapacity: 1\nmaxCapacity: 2\npolicies:\n  - PolicyName: cpu'), 'b.yaml': doc('Service', 's', 'desiredCount: 1') },
    errors: [
      // Every rule runs in the same pass: the policy also has no configuration.
      'a.yaml:10:7: policyType StepScaling (the default) needs stepScalingPolicyConfiguration (at /spec/policies/0/stepScalingPolicyConfiguration)',
      'a.yaml:10:7: unknown field "PolicyName" (did you mean "policyName"?) (at /spec/policies/0/PolicyName)',
    ],
  },
  {
    name: 'wrong types',
    files: { 'a.yaml': doc('Service', 'web', 'desiredCount: "2"\ncluster: 5\nenableExecuteCommand: 1.5') },
    errors: [
      'a.yaml:6:3: must be an integer, got string (at /spec/desiredCount)',
      'a.yaml:7:3: must be a string, got number (quote it: "5") (at /spec/cluster)',
      'a.yaml:8:3: must be a boolean, got number (at /spec/enableExecuteCommand)',
    ],
  },
  {
    name: 'integer expected, fraction given',
    files: { 'a.yaml': doc('Service', 'web', 'desiredCount: 1.5') },
    errors: ['a.yaml:6:3: must be an integer, got 1.5 (at /spec/desiredCount)'],
  },
  {
    name: 'enum with a suggestion, on an array item',
    files: { 'a.yaml': doc('TaskDefinition', 'td', 'memory: "512"\nrequiresCompatibilities: [FARGAT]\ncontainerDefinitions: [{name: a, image: x}]') },
    errors: ['a.yaml:7:29: must be one of EC2, FARGATE, EXTERNAL, MANAGED_INSTANCES; got "FARGAT" (did you mean "FARGATE"?) (at /spec/requiresCompatibilities/0)'],
  },
  {
    name: 'a wrong type is one error, not also an enum error',
    files: { 'a.yaml': doc('Service', 'web', 'launchType: 5\nnetworkConfiguration: none') },
    errors: [
      'a.yaml:6:3: must be a string, got number (quote it: "5") (at /spec/launchType)',
      'a.yaml:7:3: must be an object, got string (at /spec/networkConfiguration)',
    ],
  },
  {
    name: 'out of range',
    files: { 'a.yaml': doc('Cluster', 'c', 'capacityProviders: [FARGATE]\ndefaultCapacityProviderStrategy:\n  - capacityProvider: FARGATE\n    weight: 5000') },
    errors: ['a.yaml:9:7: must be between 0 and 1000, got 5000 (at /spec/defaultCapacityProviderStrategy/0/weight)'],
  },
  {
    name: 'too long',
    files: { 'a.yaml': doc('Cluster', 'c', `tags:\n  - key: ${'k'.repeat(130)}\n    value: v`) },
    errors: ['a.yaml:7:7: must be at most 128 characters long, got 130 (at /spec/tags/0/key)'],
  },
  {
    name: 'too many items',
    files: { 'a.yaml': doc('Cluster', 'c', `tags: [${Array.from({ length: 51 }, (_, i) => `{key: k${i}}`).join(', ')}]`) },
    errors: ['a.yaml:6:3: must have at most 50 items, got 51 (at /spec/tags)'],
  },
  {
    name: 'missing required field, at the parent',
    files: { 'a.yaml': doc('TaskDefinition', 'td', 'cpu: "256"\nmemory: "512"') },
    errors: ['a.yaml:5:1: missing required field "containerDefinitions" (at /spec/containerDefinitions)'],
  },
  {
    name: 'missing required field in a list item, at the item',
    files: { 'a.yaml': doc('TaskDefinition', 'td', 'memory: "512"\ncontainerDefinitions:\n  - name: app\n    image: app\n    secrets:\n      - name: DB_PASSWORD') },
    errors: ['a.yaml:11:11: missing required field "valueFrom" (at /spec/containerDefinitions/0/secrets/0/valueFrom)'],
  },
  {
    name: 'null means absent, anywhere in spec',
    files: { 'a.yaml': doc('Service', 's', 'desiredCount: null\ncluster: ~\nplatformVersion:\ndeploymentConfiguration: {maximumPercent: null}') },
    errors: [],
  },
  {
    name: 'metadata.name: letters, digits, - and _',
    files: { 'a.yaml': doc('Cluster', 'my cluster', 'settings: []') },
    errors: ['a.yaml:4:3: must be 1-255 letters, digits, "-" or "_", got "my cluster" (at /metadata/name)'],
  },
  {
    name: 'labels and annotations are string maps; metadata is closed',
    files: { 'a.yaml': doc('Cluster', 'c', 'settings: []', '  labels: {a: 1, b: true}\n  owner: me\n') },
    errors: [
      'a.yaml:5:12: must be a string, got number (quote it: "1") (at /metadata/labels/a)',
      'a.yaml:5:18: must be a string, got boolean (quote it: "true") (at /metadata/labels/b)',
      'a.yaml:6:3: unknown field "owner" (at /metadata/owner)',
    ],
  },
  {
    name: 'apiVersion',
    files: { 'a.yaml': 'apiVersion: v1\nkind: Cluster\nmetadata: {name: a}\nspec: {}\n' },
    errors: ['a.yaml:1:1: must be "ecs-operator.dev/v1alpha1", got "v1" (at /apiVersion)'],
  },
  {
    name: 'unknown kind with a suggestion (and apiVersion still checked)',
    files: { 'a.yaml': 'apiVersion: ecs-operator.dev/v1\nkind: Servce\nmetadata: {name: a}\nspec: {}\n' },
    errors: [
      'a.yaml:1:1: must be "ecs-operator.dev/v1alpha1", got "ecs-operator.dev/v1" (at /apiVersion)',
      'a.yaml:2:1: must be one of Cluster, TaskDefinition, Service, ServiceAutoScaling; got "Servce" (did you mean "Service"?) (at /kind)',
    ],
  },
  {
    name: 'missing kind',
    files: { 'a.yaml': 'apiVersion: ecs-operator.dev/v1alpha1\nmetadata: {name: a}\nspec: {}\n' },
    errors: ['a.yaml:1:1: missing required field "kind" (at /kind)'],
  },
  {
    name: 'a document that is not a mapping',
    files: { 'a.yaml': '- a\n- b\n' },
    errors: ['a.yaml:1:1: a manifest must be a mapping with apiVersion, kind, metadata and spec; got array'],
  },
  {
    name: 'empty documents are skipped in a file that holds another',
    files: { 'a.yaml': `# nothing here\n---\n---\n${doc('Cluster', 'c', 'settings: []')}---\n` },
    errors: [],
  },
  {
    name: 'a file with no document at all is an error (0 bytes, blank, comments only, --- only, JSON too)',
    files: { 'a.yaml': '', 'b.yml': ' \n\n', 'c.yaml': '# web service, moved\n# to another file\n', 'd.yaml': '---\n---\n', 'e.json': '' },
    errors: [
      'a.yaml:1:1: the file is empty: not a manifest; to remove its resources, delete the file',
      'b.yml:1:1: the file is empty: not a manifest; to remove its resources, delete the file',
      'c.yaml:1:1: the file holds no document (only comments, blank lines or ---): not a manifest; to remove its resources, delete the file',
      'd.yaml:1:1: the file holds no document (only comments, blank lines or ---): not a manifest; to remove its resources, delete the file',
      'e.json:1:1: the file is empty: not a manifest; to remove its resources, delete the file',
    ],
  },
  {
    name: 'YAML syntax error: the first one only, the other documents still checked',
    files: { 'a.yaml': `${doc('Cluster', 'c', 'settings: [1, 2')}---\n${doc('Cluster', 'd', 'tagz: []')}` },
    errors: [
      'a.yaml:7:1: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
      'a.yaml:13:3: unknown field "tagz" (did you mean "tags"?) (at /spec/tagz)',
    ],
  },
  {
    name: 'duplicate keys, in YAML and JSON',
    files: {
      'a.yaml': doc('Cluster', 'c', 'tags: []\nsettings: []\ntags: []'),
      'b.json': '{\n  "apiVersion": "ecs-operator.dev/v1alpha1",\n  "kind": "Cluster",\n  "metadata": {"name": "b"},\n  "spec": {"clusterName": "b", "clusterName": "d"}\n}\n',
    },
    errors: ['a.yaml:8:3: duplicate key "tags"', 'b.json:5:32: duplicate key "clusterName"'],
  },
  {
    name: 'a syntax error in a .json file is a JSON syntax error, at its line and column',
    files: {
      'a.json': '{"kind": "Cluster",, }',
      'b.json': '{\n  "kind": "Cluster",\n  "metadata": {"name": "c"},\n}\n',
      'c.json': '{\n  // a comment\n  "kind": "Cluster"\n}',
      'd.json': '{"kind": "Cluster", "spec": {"clusterName": "c}}',
      'e.json': 'kind: Cluster\n',
      'f.yaml': 'kind: Cluster\nspec: {a: 1,, }\n',
    },
    errors: [
      'a.json:1:20: JSON syntax error: a property name in double quotes expected',
      'b.json:4:1: JSON syntax error: a property name in double quotes expected',
      'c.json:2:3: JSON syntax error: a comment (JSON has none)',
      'd.json:1:45: JSON syntax error: an unterminated string',
      'e.json:1:1: JSON syntax error: an unexpected character',
      'f.yaml:2:13: YAML syntax error: Unexpected , in flow map',
    ],
  },
  {
    name: 'fields only AWS sets: a warning each, then dropped',
    files: { 'a.yaml': doc('Service', 's', 'serviceArn: arn:aws:ecs:us-east-1:123456789012:service/prod/s\nrunningCount: 2\ndesiredCount: 2') },
    errors: [],
    warnings: [
      'a.yaml:6:3: warning: serviceArn is set by AWS, not by a manifest: ignored (at /spec/serviceArn)',
      'a.yaml:7:3: warning: runningCount is set by AWS, not by a manifest: ignored (at /spec/runningCount)',
    ],
  },
  {
    name: 'an unresolved YAML tag is a warning',
    files: { 'a.yaml': doc('Cluster', 'c', 'clusterName: !Ref Name') },
    errors: [],
    warnings: ['a.yaml:6:16: warning: Unresolved tag: !Ref'],
  },
  {
    name: 'ecs-operator.dev annotations',
    files: {
      'a.yaml': doc('Service', 's', 'desiredCount: 1', [
        '  annotations:',
        '    ecs-operator.dev/drift: warn',
        '    ecs-operator.dev/prune: "no"',
        '    ecs-operator.dev/ignore-differences: "/desiredCont, desiredCount, /loadBalancers/x/containerPort, /tags/*/value"',
        '    ecs-operator.dev/drfit: heal',
        '    example.com/anything: goes',
        '',
      ].join('\n')),
    },
    errors: [
      'a.yaml:6:29: ecs-operator.dev/drift must be heal, alert or ignore; got "warn" (at /metadata/annotations/ecs-operator.dev~1drift)',
      'a.yaml:7:29: ecs-operator.dev/prune must be "true" or "false", got "no" (at /metadata/annotations/ecs-operator.dev~1prune)',
      'a.yaml:8:42: ecs-operator.dev/ignore-differences: "/desiredCont" names no field of the Service spec (did you mean "desiredCount"?) (at /metadata/annotations/ecs-operator.dev~1ignore-differences)',
      'a.yaml:8:42: ecs-operator.dev/ignore-differences: "/loadBalancers/x/containerPort" is not valid: "x" must be an array index or "*" (at /metadata/annotations/ecs-operator.dev~1ignore-differences)',
      'a.yaml:8:42: ecs-operator.dev/ignore-differences: "desiredCount" is not a JSON pointer into spec (it must start with "/") (at /metadata/annotations/ecs-operator.dev~1ignore-differences)',
      'a.yaml:9:5: unknown annotation "ecs-operator.dev/drfit" (did you mean "ecs-operator.dev/drift"?) (at /metadata/annotations/ecs-operator.dev~1drfit)',
    ],
  },
];

for (const row of rows) {
  test(`loading rule: ${row.name}`, () => {
    const result = load(row.files);
    assert.deepEqual(lines(result.errors), row.errors);
    if (row.warnings) assert.deepEqual(lines(result.warnings), row.warnings);
    assert.equal(result.state === undefined, row.errors.length > 0, 'a state exactly when there is no error');
  });
}

test('annotations become the policy; defaults otherwise', () => {
  const annotated = doc('TaskDefinition', 'a', FARGATE_TD, [
    '  annotations:',
    '    ecs-operator.dev/drift: alert',
    '    ecs-operator.dev/prune: "false"',
    '    ecs-operator.dev/ignore-differences: " /containerDefinitions/*/image ,/tags ,"',
    '',
  ].join('\n'));
  const state = load({ 'a.yaml': annotated, 'b.yaml': doc('TaskDefinition', 'b', FARGATE_TD) }).state!;
  assert.deepEqual(state.resources.get('TaskDefinition/a')!.policy, { drift: 'alert', ignoreDifferences: ['/containerDefinitions/*/image', '/tags'], prune: false });
  assert.deepEqual(state.resources.get('TaskDefinition/b')!.policy, { drift: undefined, ignoreDifferences: [], prune: true });
});

test('identity fields default to metadata.name; a spec is then the AWS input', () => {
  const state = load({
    'a.yaml': [
      doc('Cluster', 'prod', 'settings: []'),
      doc('TaskDefinition', 'web', `family: web-prod\n${FARGATE_TD}`),
      doc('Service', 'web', 'cluster: prod\ndesiredCount: 0'),
      doc('ServiceAutoScaling', 'web', 'service: web\nminCapacity: 1\nmaxCapacity: 2'),
    ].join('---\n'),
  }).state!;
  assert.equal(state.resources.get('Cluster/prod')!.manifest.spec.clusterName, 'prod');
  assert.equal(state.resources.get('TaskDefinition/web')!.manifest.spec.family, 'web-prod', 'written wins');
  assert.equal(state.resources.get('Service/web')!.manifest.spec.serviceName, 'web');
  assert.deepEqual(Object.keys(state.resources.get('ServiceAutoScaling/web')!.manifest.spec), ['service', 'minCapacity', 'maxCapacity']);
});

test('hash: 16 hex of kind, name and spec, independent of key order and of metadata', () => {
  const a = load({ 'a.yaml': doc('Cluster', 'c', 'settings: [{name: containerInsights, value: enabled}]\ntags: [{key: a, value: b}]') }).state!;
  const b = load({ 'b.yaml': doc('Cluster', 'c', 'tags: [{value: b, key: a}]\nsettings: [{value: enabled, name: containerInsights}]', '  labels: {x: y}\n') }).state!;
  const c = load({ 'c.yaml': doc('Cluster', 'c', 'tags: [{key: a, value: c}]') }).state!;
  const hash = (s: typeof a) => s.resources.get('Cluster/c')!.hash;
  assert.match(hash(a), /^[0-9a-f]{16}$/);
  assert.equal(hash(a), hash(b));
  assert.notEqual(hash(a), hash(c));
});

test('source is where the document starts', () => {
  const state = load({ 'a.yaml': `# clusters\n${doc('Cluster', 'a', 'settings: []')}---\n${doc('Cluster', 'b', 'settings: []')}` }).state!;
  assert.deepEqual(state.resources.get('Cluster/a')!.source, { file: 'a.yaml', line: 2, col: 1 });
  assert.deepEqual(state.resources.get('Cluster/b')!.source, { file: 'a.yaml', line: 9, col: 1 });
});

test('unreadable files of the revision are errors', () => {
  const unreadable = [{ file: 'big.yaml', line: 1, col: 1, severity: 'error' as const, path: '', message: 'file is 2 MiB, over the 1 MiB limit: not read' }];
  const result = loadRevision({ info: { id: 'x', source: 'x' }, files: new Map(), unreadable }, KIND_REGISTRY.rules);
  assert.equal(result.state, undefined);
  assert.deepEqual(lines(result.errors), ['big.yaml:1:1: file is 2 MiB, over the 1 MiB limit: not read']);
});
