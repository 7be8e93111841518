// The constraint rows AWS states in prose (src/kinds/<kind>/constraints.ts), one valid and one invalid
// case per row, through the loader: the invalid value is reported at its path, the valid one is not.
// Every row of every kind must have a case here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject, JsonValue, Kind } from '../../src/core/types.js';
import { KIND_REGISTRY } from '../../src/kinds/registry.js';
import { parsePointer } from '../../src/normalize/pointer.js';
import { load, TG_ARN } from './helpers.js';

const DELETE = Symbol('delete');
type Patch = Record<string, JsonValue | typeof DELETE>;

const container = (name: string, extra: JsonObject = {}): JsonObject => ({ name, image: 'nginx:1.27', memory: 256, ...extra });
const BASES: Record<string, { kind: Kind; spec: JsonObject }> = {
  ec2: { kind: 'TaskDefinition', spec: { containerDefinitions: [container('web', { portMappings: [{ containerPort: 80 }] })] } },
  fargate: {
    kind: 'TaskDefinition',
    spec: { requiresCompatibilities: ['FARGATE'], networkMode: 'awsvpc', cpu: '256', memory: '512', containerDefinitions: [{ name: 'web', image: 'nginx:1.27', portMappings: [{ containerPort: 80 }] }] },
  },
  service: { kind: 'Service', spec: { cluster: 'prod', taskDefinition: 'web:1', desiredCount: 1 } },
  cluster: { kind: 'Cluster', spec: {} },
  scaling: { kind: 'ServiceAutoScaling', spec: { service: 'web', minCapacity: 1, maxCapacity: 4 } },
};

interface Case {
  base: keyof typeof BASES;
  valid: Patch;
  invalid: Patch;
  /** Where the invalid case is reported. */
  at: string;
  message?: RegExp;
}

const C = '/spec/containerDefinitions/0';
const step = (config: JsonObject): Patch => ({ '/spec/policies': [{ policyName: 'p', policyType: 'StepScaling', stepScalingPolicyConfiguration: config }] });
const tracking = (config: JsonObject): Patch => ({ '/spec/policies': [{ policyName: 'p', policyType: 'TargetTrackingScaling', targetTrackingScalingPolicyConfiguration: config }] });
const cpu = (targetValue: number) => tracking({ targetValue, predefinedMetricSpecification: { predefinedMetricType: 'ECSServiceAverageCPUUtilization' } });
const alb = (resourceLabel: string | undefined, type = 'ALBRequestCountPerTarget') =>
  tracking({ targetValue: 100, predefinedMetricSpecification: { predefinedMetricType: type, ...(resourceLabel ? { resourceLabel } : {}) } });
const action = (fields: JsonObject): Patch => ({ '/spec/scheduledActions': [{ scheduledActionName: 'a', schedule: 'rate(1 hour)', scalableTargetAction: { minCapacity: 1 }, ...fields }] });
const steps = (adjustmentType: string, adjustments: JsonObject[]) => step({ adjustmentType, stepAdjustments: adjustments });
const listOf = (patch: Patch, pointer: string) => patch[pointer] as JsonValue[];
const LABEL = 'app/web/0123456789abcdef/targetgroup/web/0123456789abcdef';

const CASES: Record<string, Case> = {
  // TaskDefinition
  'family-format': { base: 'ec2', valid: { '/spec/family': 'web_2-x' }, invalid: { '/spec/family': 'web app' }, at: '/spec/family', message: /1-255 letters/ },
  'containers-count': { base: 'ec2', valid: {}, invalid: { '/spec/containerDefinitions': Array.from({ length: 11 }, (_, i) => container(`c${i}`)) }, at: '/spec/containerDefinitions', message: /at most 10 items, got 11/ },
  'container-names-unique': { base: 'ec2', valid: { '/spec/containerDefinitions/1': container('db') }, invalid: { '/spec/containerDefinitions/1': container('web') }, at: '/spec/containerDefinitions/1/name', message: /duplicate container name "web"/ },
  'container-name-required': { base: 'ec2', valid: {}, invalid: { [`${C}/name`]: DELETE }, at: `${C}/name`, message: /missing required field "name"/ },
  'container-name-format': { base: 'ec2', valid: { [`${C}/name`]: 'web_1' }, invalid: { [`${C}/name`]: 'web.1' }, at: `${C}/name` },
  'container-image-required': { base: 'ec2', valid: {}, invalid: { [`${C}/image`]: DELETE }, at: `${C}/image`, message: /missing required field "image"/ },
  'container-image-format': { base: 'ec2', valid: { [`${C}/image`]: '123456789012.dkr.ecr.us-east-1.amazonaws.com/web@sha256:0123abcd' }, invalid: { [`${C}/image`]: 'nginx latest' }, at: `${C}/image`, message: /image reference/ },
  'container-cpu-range': { base: 'ec2', valid: { [`${C}/cpu`]: 0 }, invalid: { [`${C}/cpu`]: -1 }, at: `${C}/cpu`, message: /must be >= 0, got -1/ },
  'container-memory-minimum': { base: 'ec2', valid: { [`${C}/memory`]: 6 }, invalid: { [`${C}/memory`]: 4 }, at: `${C}/memory`, message: /Docker 20\.10/ },
  'container-memory-reservation': { base: 'ec2', valid: { [`${C}/memoryReservation`]: 256 }, invalid: { [`${C}/memoryReservation`]: 512 }, at: `${C}/memoryReservation`, message: /memoryReservation 512 is greater than memory 256/ },
  'container-port-range': { base: 'ec2', valid: { [`${C}/portMappings/0/containerPort`]: 65535 }, invalid: { [`${C}/portMappings/0/containerPort`]: 0 }, at: `${C}/portMappings/0/containerPort`, message: /between 1 and 65535/ },
  'host-port-range': { base: 'ec2', valid: { [`${C}/portMappings/0/hostPort`]: 0 }, invalid: { [`${C}/portMappings/0/hostPort`]: 70000 }, at: `${C}/portMappings/0/hostPort` },
  'container-port-range-format': {
    base: 'ec2', valid: { [`${C}/portMappings/1`]: { containerPortRange: '8000-8080' } }, invalid: { [`${C}/portMappings/1`]: { containerPortRange: '8080-8000' } },
    at: `${C}/portMappings/1/containerPortRange`, message: /from < to/,
  },
  'port-mapping-name-format': { base: 'ec2', valid: { [`${C}/portMappings/0/name`]: 'http_1' }, invalid: { [`${C}/portMappings/0/name`]: '-Http' }, at: `${C}/portMappings/0/name` },
  'host-port-equals-container-port': { base: 'fargate', valid: { [`${C}/portMappings/0/hostPort`]: 80 }, invalid: { [`${C}/portMappings/0/hostPort`]: 8080 }, at: `${C}/portMappings/0/hostPort`, message: /must equal containerPort 80/ },
  'port-mappings-network-none': { base: 'ec2', valid: { '/spec/networkMode': 'none', [`${C}/portMappings`]: [] }, invalid: { '/spec/networkMode': 'none' }, at: `${C}/portMappings`, message: /not supported with networkMode none/ },
  'hostname-awsvpc': { base: 'ec2', valid: { [`${C}/hostname`]: 'web' }, invalid: { '/spec/networkMode': 'awsvpc', [`${C}/hostname`]: 'web' }, at: `${C}/hostname` },
  'extra-hosts-awsvpc': { base: 'ec2', valid: { [`${C}/extraHosts`]: [{ hostname: 'db', ipAddress: '10.0.0.1' }] }, invalid: { '/spec/networkMode': 'awsvpc', [`${C}/extraHosts`]: [{ hostname: 'db', ipAddress: '10.0.0.1' }] }, at: `${C}/extraHosts` },
  'links-bridge': { base: 'ec2', valid: { '/spec/containerDefinitions/1': container('db'), [`${C}/links`]: ['db'] }, invalid: { '/spec/networkMode': 'host', [`${C}/links`]: ['db'] }, at: `${C}/links` },
  'container-depends-on': {
    base: 'ec2', valid: { '/spec/containerDefinitions/1': container('db'), [`${C}/dependsOn`]: [{ containerName: 'db', condition: 'START' }] },
    invalid: { [`${C}/dependsOn`]: [{ containerName: 'db', condition: 'START' }] }, at: `${C}/dependsOn/0/containerName`, message: /names no container/,
  },
  'essential-container': { base: 'ec2', valid: { [`${C}/essential`]: true }, invalid: { [`${C}/essential`]: false }, at: '/spec/containerDefinitions', message: /at least one essential container/ },
  'health-check-interval': { base: 'ec2', valid: { [`${C}/healthCheck`]: { command: ['CMD', 'true'], interval: 5 } }, invalid: { [`${C}/healthCheck`]: { command: ['CMD', 'true'], interval: 4 } }, at: `${C}/healthCheck/interval` },
  'health-check-timeout': { base: 'ec2', valid: { [`${C}/healthCheck`]: { command: ['CMD', 'true'], timeout: 60 } }, invalid: { [`${C}/healthCheck`]: { command: ['CMD', 'true'], timeout: 61 } }, at: `${C}/healthCheck/timeout` },
  'health-check-retries': { base: 'ec2', valid: { [`${C}/healthCheck`]: { command: ['CMD', 'true'], retries: 10 } }, invalid: { [`${C}/healthCheck`]: { command: ['CMD', 'true'], retries: 0 } }, at: `${C}/healthCheck/retries` },
  'health-check-start-period': { base: 'ec2', valid: { [`${C}/healthCheck`]: { command: ['CMD', 'true'], startPeriod: 0 } }, invalid: { [`${C}/healthCheck`]: { command: ['CMD', 'true'], startPeriod: 301 } }, at: `${C}/healthCheck/startPeriod` },
  'health-check-command': { base: 'ec2', valid: { [`${C}/healthCheck`]: { command: ['CMD-SHELL', 'curl -f localhost'] } }, invalid: { [`${C}/healthCheck`]: { command: ['curl', '-f', 'localhost'] } }, at: `${C}/healthCheck/command`, message: /"CMD" or "CMD-SHELL"/ },
  'ephemeral-storage-size': { base: 'fargate', valid: { '/spec/ephemeralStorage': { sizeInGiB: 21 } }, invalid: { '/spec/ephemeralStorage': { sizeInGiB: 20 } }, at: '/spec/ephemeralStorage/sizeInGiB' },
  'task-placement-constraints-count': {
    base: 'ec2', valid: { '/spec/placementConstraints': Array.from({ length: 10 }, () => ({ type: 'memberOf', expression: 'attribute:x == y' })) },
    invalid: { '/spec/placementConstraints': Array.from({ length: 11 }, () => ({ type: 'memberOf', expression: 'attribute:x == y' })) }, at: '/spec/placementConstraints',
  },
  'volume-name-format': { base: 'ec2', valid: { '/spec/volumes': [{ name: 'data' }] }, invalid: { '/spec/volumes': [{ name: 'my data' }] }, at: '/spec/volumes/0/name' },
  'task-cpu-range': { base: 'ec2', valid: { '/spec/cpu': '.125 vCPU' }, invalid: { '/spec/cpu': '64' }, at: '/spec/cpu', message: /between 128 and 196608/ },
  'fargate-pid-mode': { base: 'fargate', valid: { '/spec/pidMode': 'task' }, invalid: { '/spec/pidMode': 'host' }, at: '/spec/pidMode', message: /must be "task" on Fargate, got "host"/ },
  'fargate-ipc-mode': { base: 'ec2', valid: { '/spec/ipcMode': 'host' }, invalid: { '/spec/requiresCompatibilities': ['FARGATE'], '/spec/cpu': '256', '/spec/memory': '512', '/spec/ipcMode': 'host' }, at: '/spec/ipcMode', message: /not supported on Fargate/ },
  'fargate-placement-constraints': { base: 'fargate', valid: {}, invalid: { '/spec/placementConstraints': [{ type: 'memberOf', expression: 'attribute:x == y' }] }, at: '/spec/placementConstraints', message: /not supported on Fargate/ },
  'fargate-privileged': { base: 'fargate', valid: { [`${C}/privileged`]: false }, invalid: { [`${C}/privileged`]: true }, at: `${C}/privileged` },
  'fargate-docker-security-options': { base: 'fargate', valid: { [`${C}/dockerSecurityOptions`]: [] }, invalid: { [`${C}/dockerSecurityOptions`]: ['no-new-privileges'] }, at: `${C}/dockerSecurityOptions` },
  'fargate-linux-devices': { base: 'fargate', valid: { [`${C}/linuxParameters`]: { initProcessEnabled: true } }, invalid: { [`${C}/linuxParameters`]: { devices: [{ hostPath: '/dev/fuse' }] } }, at: `${C}/linuxParameters/devices` },
  'fargate-linux-sharedMemorySize': { base: 'fargate', valid: {}, invalid: { [`${C}/linuxParameters`]: { sharedMemorySize: 64 } }, at: `${C}/linuxParameters/sharedMemorySize` },
  'fargate-linux-tmpfs': { base: 'fargate', valid: {}, invalid: { [`${C}/linuxParameters`]: { tmpfs: [{ containerPath: '/tmp', size: 64 }] } }, at: `${C}/linuxParameters/tmpfs` },
  'fargate-linux-maxSwap': { base: 'fargate', valid: {}, invalid: { [`${C}/linuxParameters`]: { maxSwap: 64 } }, at: `${C}/linuxParameters/maxSwap` },
  'fargate-linux-swappiness': { base: 'fargate', valid: {}, invalid: { [`${C}/linuxParameters`]: { swappiness: 10 } }, at: `${C}/linuxParameters/swappiness` },
  'fargate-capabilities': {
    base: 'fargate', valid: { [`${C}/linuxParameters`]: { capabilities: { add: ['SYS_PTRACE'], drop: ['ALL'] } } },
    invalid: { [`${C}/linuxParameters`]: { capabilities: { add: ['SYS_PTRACE', 'NET_ADMIN'] } } }, at: `${C}/linuxParameters/capabilities/add`, message: /only SYS_PTRACE.*got NET_ADMIN/,
  },
  'fargate-host-source-path': { base: 'fargate', valid: { '/spec/volumes': [{ name: 'scratch', host: {} }] }, invalid: { '/spec/volumes': [{ name: 'logs', host: { sourcePath: '/var/log' } }] }, at: '/spec/volumes/0/host/sourcePath' },
  'fargate-docker-volumes': { base: 'fargate', valid: { '/spec/volumes': [{ name: 'data', efsVolumeConfiguration: { fileSystemId: 'fs-1' } }] }, invalid: { '/spec/volumes': [{ name: 'data', dockerVolumeConfiguration: { scope: 'task' } }] }, at: '/spec/volumes/0/dockerVolumeConfiguration' },
  'fargate-stop-timeout': { base: 'fargate', valid: { [`${C}/stopTimeout`]: 120 }, invalid: { [`${C}/stopTimeout`]: 300 }, at: `${C}/stopTimeout`, message: /between 2 and 120 on Fargate, got 300/ },
  'fargate-start-timeout': { base: 'fargate', valid: { [`${C}/startTimeout`]: 2 }, invalid: { [`${C}/startTimeout`]: 1 }, at: `${C}/startTimeout` },
  'fargate-log-driver': { base: 'fargate', valid: { [`${C}/logConfiguration`]: { logDriver: 'splunk' } }, invalid: { [`${C}/logConfiguration`]: { logDriver: 'json-file' } }, at: `${C}/logConfiguration/logDriver` },
  'fargate-awslogs-stream-prefix': {
    base: 'fargate', valid: { [`${C}/logConfiguration`]: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/web', 'awslogs-stream-prefix': 'web' } } },
    invalid: { [`${C}/logConfiguration`]: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/web' } } }, at: `${C}/logConfiguration/options/awslogs-stream-prefix`, message: /for the awslogs driver on Fargate/,
  },
  // Service
  'service-name-format': { base: 'service', valid: { '/spec/serviceName': 'web-2' }, invalid: { '/spec/serviceName': 'web/2' }, at: '/spec/serviceName' },
  'cluster-reference-format': { base: 'service', valid: { '/spec/cluster': 'arn:aws:ecs:us-east-1:123456789012:cluster/prod' }, invalid: { '/spec/cluster': 'prod cluster' }, at: '/spec/cluster', message: /cluster name .* or a cluster ARN/ },
  'desired-count-range': { base: 'service', valid: { '/spec/desiredCount': 5000 }, invalid: { '/spec/desiredCount': 5001 }, at: '/spec/desiredCount', message: /between 0 and 5000, got 5001/ },
  'health-check-grace-range': { base: 'service', valid: { '/spec/healthCheckGracePeriodSeconds': 0 }, invalid: { '/spec/healthCheckGracePeriodSeconds': -1 }, at: '/spec/healthCheckGracePeriodSeconds' },
  'minimum-healthy-percent-range': { base: 'service', valid: { '/spec/deploymentConfiguration': { minimumHealthyPercent: 0 } }, invalid: { '/spec/deploymentConfiguration': { minimumHealthyPercent: -50 } }, at: '/spec/deploymentConfiguration/minimumHealthyPercent' },
  'maximum-percent-range': { base: 'service', valid: { '/spec/deploymentConfiguration': { maximumPercent: 200 } }, invalid: { '/spec/deploymentConfiguration': { maximumPercent: -1 } }, at: '/spec/deploymentConfiguration/maximumPercent' },
  'launch-type-or-strategy': {
    base: 'service', valid: { '/spec/launchType': 'EC2', '/spec/capacityProviderStrategy': [] }, invalid: { '/spec/launchType': 'FARGATE', '/spec/capacityProviderStrategy': [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }] },
    at: '/spec/launchType', message: /launchType and capacityProviderStrategy exclude each other/,
  },
  'capacity-provider-strategy-count': {
    base: 'service', valid: { '/spec/capacityProviderStrategy': [{ capacityProvider: 'FARGATE', weight: 1 }] },
    invalid: { '/spec/capacityProviderStrategy': Array.from({ length: 21 }, (_, i) => ({ capacityProvider: `cp${i}`, weight: 1 })) }, at: '/spec/capacityProviderStrategy',
  },
  'strategy-one-base': {
    base: 'service', valid: { '/spec/capacityProviderStrategy': ([{ capacityProvider: 'FARGATE', base: 1, weight: 1 }, { capacityProvider: 'FARGATE_SPOT', weight: 3 }]) },
    invalid: { '/spec/capacityProviderStrategy': ([{ capacityProvider: 'FARGATE', base: 1, weight: 1 }, { capacityProvider: 'FARGATE_SPOT', base: 2, weight: 3 }]) }, at: '/spec/capacityProviderStrategy', message: /only one capacity provider/,
  },
  'strategy-some-weight': {
    base: 'service', valid: { '/spec/capacityProviderStrategy': ([{ capacityProvider: 'FARGATE', base: 2 }]) },
    invalid: { '/spec/capacityProviderStrategy': ([{ capacityProvider: 'FARGATE', base: 2 }, { capacityProvider: 'FARGATE_SPOT', weight: 0 }]) }, at: '/spec/capacityProviderStrategy', message: /weight above 0/,
  },
  'platform-version-fargate': { base: 'service', valid: { '/spec/launchType': 'FARGATE', '/spec/platformVersion': '1.4.0', '/spec/networkConfiguration': { awsvpcConfiguration: { subnets: ['subnet-1'] } } }, invalid: { '/spec/launchType': 'EC2', '/spec/platformVersion': 'LATEST' }, at: '/spec/platformVersion', message: /not supported with launchType EC2/ },
  'daemon-not-on-fargate': { base: 'service', valid: { '/spec/launchType': 'EC2', '/spec/schedulingStrategy': 'DAEMON' }, invalid: { '/spec/launchType': 'FARGATE', '/spec/schedulingStrategy': 'DAEMON' }, at: '/spec/schedulingStrategy', message: /must be "REPLICA" with launchType FARGATE/ },
  'daemon-controller': { base: 'service', valid: { '/spec/schedulingStrategy': 'DAEMON' }, invalid: { '/spec/schedulingStrategy': 'DAEMON', '/spec/deploymentController': { type: 'CODE_DEPLOY' } }, at: '/spec/schedulingStrategy' },
  'circuit-breaker-controller': {
    base: 'service', valid: { '/spec/deploymentConfiguration': { deploymentCircuitBreaker: { enable: true, rollback: true } } },
    invalid: { '/spec/deploymentController': { type: 'EXTERNAL' }, '/spec/deploymentConfiguration': { deploymentCircuitBreaker: { enable: true, rollback: true } } }, at: '/spec/deploymentConfiguration/deploymentCircuitBreaker',
  },
  'placement-constraints-count': { base: 'service', valid: { '/spec/placementConstraints': [{ type: 'distinctInstance' }] }, invalid: { '/spec/placementConstraints': Array.from({ length: 11 }, () => ({ type: 'distinctInstance' })) }, at: '/spec/placementConstraints' },
  'placement-strategy-count': { base: 'service', valid: { '/spec/placementStrategy': [{ type: 'random' }] }, invalid: { '/spec/placementStrategy': Array.from({ length: 6 }, () => ({ type: 'random' })) }, at: '/spec/placementStrategy' },
  'service-registries-count': {
    base: 'service', valid: { '/spec/serviceRegistries': [{ registryArn: 'arn:aws:servicediscovery:us-east-1:123456789012:service/srv-1' }] },
    invalid: { '/spec/serviceRegistries': [{ registryArn: 'arn:aws:servicediscovery:us-east-1:123456789012:service/srv-1' }, { registryArn: 'arn:aws:servicediscovery:us-east-1:123456789012:service/srv-2' }] }, at: '/spec/serviceRegistries',
  },
  'target-groups-count': {
    base: 'service', valid: { '/spec/loadBalancers': [{ targetGroupArn: TG_ARN, containerName: 'web', containerPort: 80 }] },
    invalid: { '/spec/loadBalancers': Array.from({ length: 6 }, () => ({ targetGroupArn: TG_ARN, containerName: 'web', containerPort: 80 })) }, at: '/spec/loadBalancers',
  },
  'target-group-arn-format': {
    base: 'service', valid: { '/spec/loadBalancers': [{ targetGroupArn: TG_ARN, containerName: 'web', containerPort: 80 }] },
    invalid: { '/spec/loadBalancers': [{ targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/0123456789abcdef', containerName: 'web', containerPort: 80 }] },
    at: '/spec/loadBalancers/0/targetGroupArn', message: /a target group ARN/,
  },
  'load-balancer-name-or-target-group': {
    base: 'service', valid: { '/spec/loadBalancers': [{ loadBalancerName: 'classic', containerName: 'web', containerPort: 80 }] },
    invalid: { '/spec/loadBalancers': [{ targetGroupArn: TG_ARN, loadBalancerName: 'classic', containerName: 'web', containerPort: 80 }] }, at: '/spec/loadBalancers/0/targetGroupArn',
  },
  'role-needs-load-balancer': {
    base: 'service', valid: { '/spec/role': 'ecsServiceRole', '/spec/loadBalancers': [{ targetGroupArn: TG_ARN, containerName: 'web', containerPort: 80 }] },
    invalid: { '/spec/role': 'ecsServiceRole' }, at: '/spec/role', message: /role needs loadBalancers/,
  },
  'subnets-count': { base: 'service', valid: { '/spec/networkConfiguration': { awsvpcConfiguration: { subnets: ['subnet-1'] } } }, invalid: { '/spec/networkConfiguration': { awsvpcConfiguration: { subnets: [] } } }, at: '/spec/networkConfiguration/awsvpcConfiguration/subnets' },
  'security-groups-count': {
    base: 'service', valid: { '/spec/networkConfiguration': { awsvpcConfiguration: { subnets: ['subnet-1'], securityGroups: ['sg-1', 'sg-2', 'sg-3', 'sg-4', 'sg-5'] } } },
    invalid: { '/spec/networkConfiguration': { awsvpcConfiguration: { subnets: ['subnet-1'], securityGroups: ['sg-1', 'sg-2', 'sg-3', 'sg-4', 'sg-5', 'sg-6'] } } }, at: '/spec/networkConfiguration/awsvpcConfiguration/securityGroups',
  },
  // Cluster
  'cluster-name-format': { base: 'cluster', valid: { '/spec/clusterName': 'prod-eu_1' }, invalid: { '/spec/clusterName': 'prod:eu' }, at: '/spec/clusterName' },
  'container-insights-value': { base: 'cluster', valid: { '/spec/settings': [{ name: 'containerInsights', value: 'enhanced' }] }, invalid: { '/spec/settings': [{ name: 'containerInsights', value: 'on' }] }, at: '/spec/settings/0/value' },
  'default-strategy-one-base': {
    base: 'cluster', valid: { '/spec/capacityProviders': ['FARGATE', 'FARGATE_SPOT'], '/spec/defaultCapacityProviderStrategy': [{ capacityProvider: 'FARGATE', base: 1, weight: 1 }] },
    invalid: { '/spec/capacityProviders': ['FARGATE', 'FARGATE_SPOT'], '/spec/defaultCapacityProviderStrategy': [{ capacityProvider: 'FARGATE', base: 1, weight: 1 }, { capacityProvider: 'FARGATE_SPOT', base: 1, weight: 1 }] },
    at: '/spec/defaultCapacityProviderStrategy',
  },
  'default-strategy-some-weight': {
    base: 'cluster', valid: { '/spec/capacityProviders': ['FARGATE', 'FARGATE_SPOT'], '/spec/defaultCapacityProviderStrategy': [{ capacityProvider: 'FARGATE', weight: 1 }, { capacityProvider: 'FARGATE_SPOT' }] },
    invalid: { '/spec/capacityProviders': ['FARGATE', 'FARGATE_SPOT'], '/spec/defaultCapacityProviderStrategy': [{ capacityProvider: 'FARGATE' }, { capacityProvider: 'FARGATE_SPOT' }] },
    at: '/spec/defaultCapacityProviderStrategy',
  },
  // ServiceAutoScaling
  'min-capacity-range': { base: 'scaling', valid: { '/spec/minCapacity': 0 }, invalid: { '/spec/minCapacity': -1 }, at: '/spec/minCapacity' },
  'max-capacity-range': { base: 'scaling', valid: {}, invalid: { '/spec/minCapacity': -2, '/spec/maxCapacity': -1 }, at: '/spec/maxCapacity' },
  'min-not-above-max': { base: 'scaling', valid: { '/spec/minCapacity': 4 }, invalid: { '/spec/minCapacity': 5 }, at: '/spec/minCapacity', message: /minCapacity 5 is greater than maxCapacity 4/ },
  'max-capacity-quota': { base: 'scaling', valid: { '/spec/maxCapacity': 5000 }, invalid: { '/spec/maxCapacity': 6000 }, at: '/spec/maxCapacity', message: /5,000 tasks per service/ },
  'action-min-capacity-range': { base: 'scaling', valid: action({ scalableTargetAction: { minCapacity: 0 } }), invalid: action({ scalableTargetAction: { minCapacity: -1 } }), at: '/spec/scheduledActions/0/scalableTargetAction/minCapacity' },
  'action-max-capacity-range': { base: 'scaling', valid: action({ scalableTargetAction: { maxCapacity: 0 } }), invalid: action({ scalableTargetAction: { maxCapacity: -1 } }), at: '/spec/scheduledActions/0/scalableTargetAction/maxCapacity' },
  'action-min-not-above-max': { base: 'scaling', valid: action({ scalableTargetAction: { minCapacity: 2, maxCapacity: 2 } }), invalid: action({ scalableTargetAction: { minCapacity: 3, maxCapacity: 2 } }), at: '/spec/scheduledActions/0/scalableTargetAction/minCapacity' },
  'policies-count': { base: 'scaling', valid: {}, invalid: { '/spec/policies': Array.from({ length: 51 }, (_, i) => ({ policyName: `p${i}`, policyType: 'TargetTrackingScaling', targetTrackingScalingPolicyConfiguration: { targetValue: 50, predefinedMetricSpecification: { predefinedMetricType: 'ECSServiceAverageCPUUtilization' } } })) }, at: '/spec/policies' },
  'scheduled-actions-count': { base: 'scaling', valid: {}, invalid: { '/spec/scheduledActions': Array.from({ length: 201 }, (_, i) => ({ scheduledActionName: `a${i}`, schedule: 'rate(1 day)', scalableTargetAction: { minCapacity: 1 } })) }, at: '/spec/scheduledActions' },
  'policy-names-unique': { base: 'scaling', valid: cpu(50), invalid: { '/spec/policies': [...listOf(cpu(50), '/spec/policies'), ...listOf(cpu(60), '/spec/policies')] }, at: '/spec/policies/1/policyName', message: /duplicate policyName "p"/ },
  'action-names-unique': { base: 'scaling', valid: action({}), invalid: { '/spec/scheduledActions': [...listOf(action({}), '/spec/scheduledActions'), ...listOf(action({ schedule: 'rate(2 hours)' }), '/spec/scheduledActions')] }, at: '/spec/scheduledActions/1/scheduledActionName' },
  'schedule-required': { base: 'scaling', valid: action({}), invalid: { '/spec/scheduledActions': [{ scheduledActionName: 'a', scalableTargetAction: { minCapacity: 1 } }] }, at: '/spec/scheduledActions/0/schedule', message: /missing required field "schedule"/ },
  'schedule-format': { base: 'scaling', valid: action({ schedule: 'at(2030-01-01T00:00:00)' }), invalid: action({ schedule: 'cron(0 22 * * *)' }), at: '/spec/scheduledActions/0/schedule', message: /schedule must be cron/ },
  'timezone-iana': { base: 'scaling', valid: action({ schedule: 'cron(0 8 * * ? *)', timezone: 'Pacific/Tahiti' }), invalid: action({ schedule: 'cron(0 8 * * ? *)', timezone: 'CEST' }), at: '/spec/scheduledActions/0/timezone', message: /unknown time zone "CEST"/ },
  'target-value': { base: 'scaling', valid: cpu(100), invalid: cpu(150), at: '/spec/policies/0/targetTrackingScalingPolicyConfiguration/targetValue', message: /percentage/ },
  'scale-in-cooldown-range': { base: 'scaling', valid: tracking({ targetValue: 50, scaleInCooldown: 0, predefinedMetricSpecification: { predefinedMetricType: 'ECSServiceAverageCPUUtilization' } }), invalid: tracking({ targetValue: 50, scaleInCooldown: -60, predefinedMetricSpecification: { predefinedMetricType: 'ECSServiceAverageCPUUtilization' } }), at: '/spec/policies/0/targetTrackingScalingPolicyConfiguration/scaleInCooldown' },
  'scale-out-cooldown-range': { base: 'scaling', valid: tracking({ targetValue: 50, scaleOutCooldown: 60, predefinedMetricSpecification: { predefinedMetricType: 'ECSServiceAverageCPUUtilization' } }), invalid: tracking({ targetValue: 50, scaleOutCooldown: -1, predefinedMetricSpecification: { predefinedMetricType: 'ECSServiceAverageCPUUtilization' } }), at: '/spec/policies/0/targetTrackingScalingPolicyConfiguration/scaleOutCooldown' },
  'resource-label-format': { base: 'scaling', valid: alb(LABEL), invalid: alb('web-tg'), at: '/spec/policies/0/targetTrackingScalingPolicyConfiguration/predefinedMetricSpecification/resourceLabel' },
  'resource-label-alb-only': { base: 'scaling', valid: alb(LABEL), invalid: alb(LABEL, 'ECSServiceAverageCPUUtilization'), at: '/spec/policies/0/targetTrackingScalingPolicyConfiguration/predefinedMetricSpecification/resourceLabel' },
  'step-adjustment-type-required': { base: 'scaling', valid: steps('ChangeInCapacity', [{ scalingAdjustment: 1 }]), invalid: step({ stepAdjustments: [{ scalingAdjustment: 1 }] }), at: '/spec/policies/0/stepScalingPolicyConfiguration/adjustmentType' },
  'step-adjustments-count': { base: 'scaling', valid: steps('ChangeInCapacity', [{ scalingAdjustment: 1 }]), invalid: steps('ChangeInCapacity', []), at: '/spec/policies/0/stepScalingPolicyConfiguration/stepAdjustments' },
  'step-adjustments-required': { base: 'scaling', valid: steps('ChangeInCapacity', [{ scalingAdjustment: 1 }]), invalid: step({ adjustmentType: 'ChangeInCapacity' }), at: '/spec/policies/0/stepScalingPolicyConfiguration/stepAdjustments' },
  'step-cooldown-range': { base: 'scaling', valid: step({ adjustmentType: 'ChangeInCapacity', stepAdjustments: [{ scalingAdjustment: 1 }], cooldown: 0 }), invalid: step({ adjustmentType: 'ChangeInCapacity', stepAdjustments: [{ scalingAdjustment: 1 }], cooldown: -1 }), at: '/spec/policies/0/stepScalingPolicyConfiguration/cooldown' },
  'min-adjustment-magnitude': {
    base: 'scaling', valid: step({ adjustmentType: 'PercentChangeInCapacity', minAdjustmentMagnitude: 2, stepAdjustments: [{ scalingAdjustment: 25 }] }),
    invalid: step({ adjustmentType: 'ChangeInCapacity', minAdjustmentMagnitude: 2, stepAdjustments: [{ scalingAdjustment: 1 }] }), at: '/spec/policies/0/stepScalingPolicyConfiguration/minAdjustmentMagnitude', message: /applies only to adjustmentType PercentChangeInCapacity/,
  },
  'step-bounds-order': {
    base: 'scaling', valid: steps('ChangeInCapacity', [{ metricIntervalLowerBound: 0, metricIntervalUpperBound: 10, scalingAdjustment: 1 }]),
    invalid: steps('ChangeInCapacity', [{ metricIntervalLowerBound: 10, metricIntervalUpperBound: 10, scalingAdjustment: 1 }]), at: '/spec/policies/0/stepScalingPolicyConfiguration/stepAdjustments/0/metricIntervalLowerBound', message: /must be less than metricIntervalUpperBound 10/,
  },
  'exact-capacity-non-negative': {
    base: 'scaling', valid: steps('ChangeInCapacity', [{ scalingAdjustment: -1 }]), invalid: steps('ExactCapacity', [{ scalingAdjustment: -1 }]),
    at: '/spec/policies/0/stepScalingPolicyConfiguration/stepAdjustments/0/scalingAdjustment', message: /with adjustmentType ExactCapacity/,
  },
};

function patched(spec: JsonObject, patch: Patch): JsonObject {
  const out = structuredClone(spec);
  for (const [pointer, value] of Object.entries(patch)) {
    const segments = parsePointer(pointer).slice(1); // below /spec
    const last = segments.pop()!;
    let node: JsonValue = out;
    for (const s of segments) node = (node as JsonObject)[s] ??= {};
    if (value === DELETE) delete (node as JsonObject)[last];
    else (node as JsonObject)[last] = value;
  }
  return out;
}

function diagnosticsOf(baseName: keyof typeof BASES, patch: Patch) {
  const base = BASES[baseName]!;
  const docOf = (kind: Kind, name: string, spec: JsonObject) => JSON.stringify({ apiVersion: 'ecs-operator.dev/v1alpha1', kind, metadata: { name }, spec });
  const files: Record<string, string> = { 'a.json': docOf(base.kind, 'web', patched(base.spec, patch)) };
  if (base.kind === 'ServiceAutoScaling') files['b.json'] = docOf('Service', 'web', BASES.service!.spec);
  const result = load(files);
  return [...result.errors, ...result.warnings].filter((d) => d.file === 'a.json');
}

const rowsOf = (kind: Kind) => KIND_REGISTRY.rules.get(kind)!.constraints.map((row) => ({ kind, row }));
const ROWS = [...rowsOf('TaskDefinition'), ...rowsOf('Service'), ...rowsOf('Cluster'), ...rowsOf('ServiceAutoScaling')];

test('every constraint row has a case, and every case a row', () => {
  const ids = ROWS.map(({ row }) => row.id);
  assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), [], 'row ids are unique');
  assert.deepEqual(ids.filter((id) => !CASES[id]), [], 'rows without a case');
  assert.deepEqual(Object.keys(CASES).filter((id) => !ids.includes(id)), [], 'cases without a row');
  for (const { row } of ROWS) assert.ok(row.source.length > 10, `${row.id} names its source`);
});

for (const { kind, row } of ROWS) {
  test(`constraint ${kind} ${row.id}: valid passes, invalid is reported at ${CASES[row.id]?.at}`, () => {
    const c = CASES[row.id]!;
    assert.equal(BASES[c.base]!.kind, kind);
    assert.deepEqual(diagnosticsOf(c.base, c.valid).map((d) => `${d.path}: ${d.message}`), [], 'the valid case and the base have no finding at all');
    const found = diagnosticsOf(c.base, c.invalid).filter((d) => d.path === c.at);
    assert.equal(found.length, 1, `one finding at ${c.at}, got ${JSON.stringify(diagnosticsOf(c.base, c.invalid).map((d) => `${d.path}: ${d.message}`))}`);
    assert.equal(found[0]!.severity, row.severity ?? 'error');
    if (c.message) assert.match(found[0]!.message, c.message);
  });
}
