// Task definitions: every normalization rule against the shape DescribeTaskDefinition returns, and the
// real changes it must never hide.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../src/core/types.js';
import { compareTaskDefinition, diffTaskDefinition } from '../../src/kinds/task-definition/diff.js';
import { liveTaskDefinitionSpec, normalizeTaskDefinitionSpec } from '../../src/kinds/task-definition/normalize.js';
import { setSpecSchemaForTesting } from '../../src/normalize/schema.js';
import { fixture } from './aws-fixtures.js';

const described = (name: string) => fixture(name).taskDefinition as JsonObject;
const live = (name: string) => liveTaskDefinitionSpec(described(name));

/** The TaskDefinition manifest of DESIGN.md, family filled from metadata.name. */
const webManifest: JsonObject = {
  family: 'web',
  requiresCompatibilities: ['FARGATE'],
  networkMode: 'awsvpc',
  cpu: '256',
  memory: '512',
  containerDefinitions: [{ name: 'web', image: 'public.ecr.aws/nginx/nginx:1.27', portMappings: [{ containerPort: 80 }] }],
};

const OUTPUT_ONLY = ['taskDefinitionArn', 'revision', 'status', 'requiresAttributes', 'compatibilities', 'registeredAt', 'registeredBy', 'deregisteredAt'];

test('liveTaskDefinitionSpec: output-only fields dropped, with the generated schema and without it', () => {
  for (const useSchema of [true, false]) {
    if (!useSchema) setSpecSchemaForTesting('TaskDefinition', undefined);
    for (const name of ['describe-task-definition-fargate-web', 'describe-task-definition-ec2-bridge', 'describe-task-definition-full-defaults']) {
      const spec = live(name);
      for (const key of OUTPUT_ONLY) assert.equal(spec[key], undefined, `${name}: ${key} (schema: ${useSchema})`);
      assert.equal(spec.family, described(name).family);
      assert.deepEqual(spec.containerDefinitions, described(name).containerDefinitions);
    }
    setSpecSchemaForTesting('TaskDefinition');
  }
});

test('the DESIGN.md manifest equals the revision AWS describes for it', () => {
  const result = compareTaskDefinition(webManifest, live('describe-task-definition-fargate-web'));
  assert.deepEqual(result.differences, []);
  assert.deepEqual(result.desired, result.live);
});

test('a revision registered out of band with AWS defaults written out in full equals the short manifest', () => {
  const short: JsonObject = { ...webManifest, cpu: '0.25 vCPU', memory: '0.5 GB' };
  assert.deepEqual(diffTaskDefinition(short, live('describe-task-definition-full-defaults')), []);
});

test('an EC2 bridge-mode manifest written the short way equals its described revision', () => {
  const manifest: JsonObject = {
    family: 'orders-api',
    taskRoleArn: 'arn:aws:iam::123456789012:role/orders-api-task',
    executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
    requiresCompatibilities: ['EC2'],
    memory: '1 GB',
    placementConstraints: [{ type: 'memberOf', expression: 'attribute:ecs.instance-type =~ m6i.*' }],
    volumes: [{ name: 'certs', host: { sourcePath: '/etc/pki/ca-trust/extracted/pem' } }, { name: 'tmp' }],
    tags: [{ key: 'team', value: 'platform' }],
    containerDefinitions: [
      { name: 'statsd', image: 'public.ecr.aws/docker/library/statsd:0.10.2', cpu: 64, memory: 128, essential: false },
      {
        name: 'orders-api',
        image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders-api:2.4.1',
        cpu: 512,
        memoryReservation: 768,
        links: ['statsd'],
        portMappings: [{ containerPort: 8125, protocol: 'udp' }, { containerPort: 8080 }],
        command: ['java', '-XX:MaxRAMPercentage=75', '-jar', '/app/orders.jar'],
        environment: [
          { name: 'DB_HOST', value: 'orders.cluster-c1a2b3c4d5e6.eu-west-1.rds.amazonaws.com' },
          { name: 'LOG_LEVEL', value: 'info' },
          { name: 'SPRING_PROFILES_ACTIVE', value: 'prod' },
        ],
        secrets: [
          { name: 'API_KEY', valueFrom: 'arn:aws:ssm:eu-west-1:123456789012:parameter/orders/api-key' },
          { name: 'DB_PASSWORD', valueFrom: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders/db-AbCdEf:password::' },
        ],
        mountPoints: [
          { sourceVolume: 'certs', containerPath: '/etc/ssl/certs', readOnly: true },
          { sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false },
        ],
        dockerLabels: { team: 'checkout', 'com.datadoghq.ad.check_names': '["orders"]' },
        ulimits: [{ name: 'nofile', softLimit: 65536, hardLimit: 65536 }],
        logConfiguration: {
          logDriver: 'awslogs',
          options: { 'awslogs-group': '/ecs/orders-api', 'awslogs-region': 'eu-west-1', 'awslogs-stream-prefix': 'ecs' },
        },
        healthCheck: { command: ['CMD-SHELL', 'curl -fs http://localhost:8080/actuator/health || exit 1'], startPeriod: 60 },
      },
    ],
  };
  assert.deepEqual(diffTaskDefinition(manifest, live('describe-task-definition-ec2-bridge')), []);
});

/** One container, Fargate: the base every rule case patches. */
function taskWith(container: JsonObject, task: JsonObject = {}): JsonObject {
  return { family: 'f', requiresCompatibilities: ['FARGATE'], networkMode: 'awsvpc', cpu: '256', memory: '512', containerDefinitions: [{ name: 'c', image: 'i', ...container }], ...task };
}

test('normalization rules: each AWS-returned shape equals the manifest shape', () => {
  const cases: Array<{ rule: string; desired: JsonObject; live: JsonObject }> = [
    { rule: 'essential defaults to true', desired: taskWith({}), live: taskWith({ essential: true, cpu: 0 }) },
    { rule: 'awsvpc: hostPort = containerPort, protocol tcp', desired: taskWith({ portMappings: [{ containerPort: 8080 }] }), live: taskWith({ portMappings: [{ containerPort: 8080, hostPort: 8080, protocol: 'tcp' }] }) },
    { rule: 'host mode: hostPort = containerPort', desired: taskWith({ portMappings: [{ containerPort: 53, protocol: 'udp' }] }, { networkMode: 'host', requiresCompatibilities: ['EC2'] }), live: taskWith({ portMappings: [{ containerPort: 53, hostPort: 53, protocol: 'udp' }] }, { networkMode: 'host', requiresCompatibilities: ['EC2'] }) },
    { rule: 'bridge: hostPort 0 (dynamic)', desired: taskWith({ portMappings: [{ containerPort: 80 }] }, { networkMode: 'bridge', requiresCompatibilities: ['EC2'] }), live: taskWith({ portMappings: [{ containerPort: 80, hostPort: 0, protocol: 'tcp' }] }, { networkMode: 'bridge', requiresCompatibilities: ['EC2'] }) },
    { rule: 'networkMode bridge when absent on EC2', desired: taskWith({}, { networkMode: null, requiresCompatibilities: ['EC2'] }), live: taskWith({}, { networkMode: 'bridge', requiresCompatibilities: ['EC2'] }) },
    { rule: 'networkMode bridge when no compatibilities at all', desired: taskWith({}, { networkMode: null, requiresCompatibilities: null }), live: taskWith({}, { networkMode: 'bridge', requiresCompatibilities: [] }) },
    { rule: 'healthCheck interval 30, timeout 5, retries 3', desired: taskWith({ healthCheck: { command: ['CMD', 'true'] } }), live: taskWith({ healthCheck: { command: ['CMD', 'true'], interval: 30, timeout: 5, retries: 3 } }) },
    { rule: 'healthCheck startPeriod 0 is off', desired: taskWith({ healthCheck: { command: ['CMD', 'true'], startPeriod: 0 } }), live: taskWith({ healthCheck: { command: ['CMD', 'true'] } }) },
    { rule: 'task cpu in vCPU, memory in GB', desired: taskWith({}, { cpu: '1 vCPU', memory: '2GB' }), live: taskWith({}, { cpu: '1024', memory: '2048' }) },
    { rule: 'task cpu/memory as numbers', desired: taskWith({}, { cpu: 512, memory: 1024 }), live: taskWith({}, { cpu: '512', memory: '1024' }) },
    { rule: 'null and empty equal absent', desired: taskWith({ environment: null, command: [], dockerLabels: {} }, { volumes: null }), live: taskWith({ environment: [], mountPoints: [], volumesFrom: [], linuxParameters: { capabilities: { add: [], drop: [] } } }, { volumes: [], placementConstraints: [] }) },
    { rule: 'tags are not part of a revision', desired: taskWith({}, { tags: [{ key: 'team', value: 'a' }] }), live: taskWith({}, { tags: [{ key: 'team', value: 'b' }, { key: 'ecs-operator.dev/managed-by', value: 'x' }] }) },
    { rule: 'requiresCompatibilities is a set', desired: taskWith({}, { requiresCompatibilities: ['FARGATE', 'EC2'] }), live: taskWith({}, { requiresCompatibilities: ['EC2', 'FARGATE'] }) },
    { rule: 'Fargate runs LINUX/X86_64 by default', desired: taskWith({}), live: taskWith({}, { runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: 'X86_64' } }) },
    { rule: 'Fargate runtimePlatform members default independently', desired: taskWith({}, { runtimePlatform: { cpuArchitecture: 'ARM64' } }), live: taskWith({}, { runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: 'ARM64' } }) },
    { rule: 'false booleans equal absent', desired: taskWith({}), live: taskWith({ privileged: false, readonlyRootFilesystem: false, interactive: false, pseudoTerminal: false, disableNetworking: false }, { enableFaultInjection: false }) },
    { rule: 'versionConsistency enabled is the default', desired: taskWith({}), live: taskWith({ versionConsistency: 'enabled' }) },
    { rule: 'readOnly false equals absent', desired: taskWith({ mountPoints: [{ sourceVolume: 'v', containerPath: '/v' }], volumesFrom: [{ sourceContainer: 'x' }] }), live: taskWith({ mountPoints: [{ sourceVolume: 'v', containerPath: '/v', readOnly: false }], volumesFrom: [{ sourceContainer: 'x', readOnly: false }] }) },
    { rule: 'EFS root "/" and transit encryption DISABLED are defaults', desired: taskWith({}, { volumes: [{ name: 'efs', efsVolumeConfiguration: { fileSystemId: 'fs-1' } }] }), live: taskWith({}, { volumes: [{ name: 'efs', efsVolumeConfiguration: { fileSystemId: 'fs-1', rootDirectory: '/', transitEncryption: 'DISABLED' } }] }) },
    { rule: 'Docker volumes: task scope, local driver', desired: taskWith({}, { volumes: [{ name: 'scratch', dockerVolumeConfiguration: { driverOpts: { type: 'tmpfs' } } }, { name: 'cache', dockerVolumeConfiguration: { scope: 'shared', autoprovision: true } }] }), live: taskWith({}, { volumes: [{ name: 'scratch', dockerVolumeConfiguration: { scope: 'task', driver: 'local', driverOpts: { type: 'tmpfs' } } }, { name: 'cache', dockerVolumeConfiguration: { scope: 'shared', autoprovision: true, driver: 'local' } }] }) },
    { rule: 'restartPolicy restartAttemptPeriod 300', desired: taskWith({ restartPolicy: { enabled: true } }), live: taskWith({ restartPolicy: { enabled: true, restartAttemptPeriod: 300 } }) },
    { rule: 'initProcessEnabled false equals absent', desired: taskWith({}), live: taskWith({ linuxParameters: { initProcessEnabled: false, capabilities: {} } }) },
    { rule: 'family defaults to metadata.name (absent in the manifest)', desired: taskWith({}, { family: null }), live: taskWith({}) },
  ];
  for (const c of cases) assert.deepEqual(diffTaskDefinition(c.desired, c.live), [], c.rule);
});

test('order-insensitive lists are sorted by their key', () => {
  const two = (a: JsonObject, b: JsonObject) => [a, b];
  const cases: Array<{ list: string; first: JsonObject; second: JsonObject; task?: boolean }> = [
    { list: 'containerDefinitions', first: { name: 'a', image: 'i' }, second: { name: 'b', image: 'i' }, task: true },
    { list: 'volumes', first: { name: 'a' }, second: { name: 'b' }, task: true },
    { list: 'placementConstraints', first: { type: 'memberOf', expression: 'a' }, second: { type: 'memberOf', expression: 'b' }, task: true },
    { list: 'environment', first: { name: 'A', value: '1' }, second: { name: 'B', value: '2' } },
    { list: 'secrets', first: { name: 'A', valueFrom: 'x' }, second: { name: 'B', valueFrom: 'y' } },
    { list: 'portMappings', first: { containerPort: 80 }, second: { containerPort: 443 } },
    { list: 'mountPoints', first: { sourceVolume: 'a', containerPath: '/a' }, second: { sourceVolume: 'b', containerPath: '/b' } },
    { list: 'volumesFrom', first: { sourceContainer: 'a' }, second: { sourceContainer: 'b' } },
    { list: 'ulimits', first: { name: 'core', softLimit: 0, hardLimit: 0 }, second: { name: 'nofile', softLimit: 1, hardLimit: 1 } },
    { list: 'systemControls', first: { namespace: 'net.core.somaxconn', value: '1024' }, second: { namespace: 'net.ipv4.tcp_keepalive_time', value: '60' } },
    { list: 'dependsOn', first: { containerName: 'a', condition: 'START' }, second: { containerName: 'b', condition: 'HEALTHY' } },
    { list: 'extraHosts', first: { hostname: 'a', ipAddress: '10.0.0.1' }, second: { hostname: 'b', ipAddress: '10.0.0.2' } },
  ];
  for (const c of cases) {
    const wrap = (items: JsonObject[]) => (c.task ? taskWith({}, { [c.list]: items }) : taskWith({ [c.list]: items }));
    assert.deepEqual(diffTaskDefinition(wrap(two(c.first, c.second)), wrap(two(c.second, c.first))), [], c.list);
  }
  assert.deepEqual(diffTaskDefinition(taskWith({ links: ['b', 'a'] }), taskWith({ links: ['a', 'b'] })), [], 'links');
});

test('ordered lists keep their order: a reordering is a real change', () => {
  for (const list of ['command', 'entryPoint', 'dnsServers', 'dnsSearchDomains']) {
    const differences = diffTaskDefinition(taskWith({ [list]: ['a', 'b'] }), taskWith({ [list]: ['b', 'a'] }));
    assert.deepEqual(differences, [{ path: `/containerDefinitions/0/${list}`, desired: ['a', 'b'], live: ['b', 'a'] }], list);
  }
  const files = (a: string, b: string) => taskWith({ environmentFiles: [{ value: a, type: 's3' }, { value: b, type: 's3' }] });
  assert.equal(diffTaskDefinition(files('arn:aws:s3:::b/1.env', 'arn:aws:s3:::b/2.env'), files('arn:aws:s3:::b/2.env', 'arn:aws:s3:::b/1.env')).length, 2);
});

test('real changes are still detected', () => {
  const base = live('describe-task-definition-ec2-bridge');
  const containers = base.containerDefinitions as JsonObject[];
  const api = containers[0]!;
  const edit = (change: (api: JsonObject) => void) => {
    const copy = structuredClone(base);
    change((copy.containerDefinitions as JsonObject[])[0]!);
    return copy;
  };
  const cases: Array<{ change: string; desired: JsonObject; path: string }> = [
    { change: 'image', desired: edit((c) => (c.image = 'orders-api:2.4.2')), path: '/containerDefinitions/0/image' },
    { change: 'removed environment variable', desired: edit((c) => (c.environment = (api.environment as JsonObject[]).filter((e) => e.name !== 'LOG_LEVEL'))), path: '/containerDefinitions/0/environment/' },
    { change: 'secret source', desired: edit((c) => ((c.secrets as JsonObject[])[0]!.valueFrom = 'arn:aws:ssm:eu-west-1:123456789012:parameter/other')), path: '/containerDefinitions/0/secrets/' },
    { change: 'container cpu', desired: edit((c) => (c.cpu = 1024)), path: '/containerDefinitions/0/cpu' },
    { change: 'health check interval', desired: edit((c) => ((c.healthCheck as JsonObject).interval = 10)), path: '/containerDefinitions/0/healthCheck/interval' },
    { change: 'essential turned off', desired: edit((c) => (c.essential = false)), path: '/containerDefinitions/0/essential' },
    { change: 'host port pinned', desired: edit((c) => ((c.portMappings as JsonObject[])[0]!.hostPort = 8080)), path: '/containerDefinitions/0/portMappings/' },
    { change: 'task memory', desired: { ...base, memory: '2 GB' }, path: '/memory' },
    { change: 'added container', desired: { ...base, containerDefinitions: [...containers, { name: 'xray', image: 'amazon/aws-xray-daemon' }] }, path: '/containerDefinitions/' },
  ];
  for (const c of cases) {
    const differences = diffTaskDefinition(c.desired, base);
    assert.ok(differences.length > 0 && differences.every((d) => d.path.startsWith(c.path)), `${c.change}: ${JSON.stringify(differences)}`);
  }
  assert.equal(normalizeTaskDefinitionSpec(taskWith({}, { networkMode: null })).networkMode, undefined, 'no bridge default on Fargate');
  const windows = { networkMode: null, requiresCompatibilities: ['EC2'], runtimePlatform: { operatingSystemFamily: 'WINDOWS_SERVER_2022_CORE' } };
  assert.equal(normalizeTaskDefinitionSpec(taskWith({}, windows)).networkMode, undefined, 'no bridge default on Windows');
  assert.deepEqual(diffTaskDefinition(taskWith({}, windows), taskWith({}, { ...windows, networkMode: 'default' })), [], 'what AWS reports for Windows is not compared');
});

test('ignore-differences pointers, with *', () => {
  const desired = taskWith({ image: 'new', environment: [{ name: 'A', value: '1' }] });
  const current = taskWith({ image: 'old', environment: [{ name: 'A', value: '2' }] });
  assert.equal(diffTaskDefinition(desired, current).length, 2);
  assert.deepEqual(diffTaskDefinition(desired, current, ['/containerDefinitions/*/image', '/containerDefinitions/*/environment']), []);
  assert.deepEqual(diffTaskDefinition(desired, current, ['/containerDefinitions/0/image']).map((d) => d.path), ['/containerDefinitions/0/environment/0/value']);
});

test('normalizeTaskDefinitionSpec does not change its input and is idempotent', () => {
  const input = live('describe-task-definition-ec2-bridge');
  const before = structuredClone(input);
  const once = normalizeTaskDefinitionSpec(input);
  assert.deepEqual(input, before);
  assert.deepEqual(normalizeTaskDefinitionSpec(once), once);
});
