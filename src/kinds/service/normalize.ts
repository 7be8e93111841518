// The canonical form of a service, applied to the manifest spec and to DescribeServices' answer
// alike: AWS's defaults written in, references reduced to what they name, sets sorted.
import type { JsonObject } from '../../core/types.js';
import { asList, asObject, isObject, pruneInPlace, pruneObject } from '../../normalize/common.js';
import { eachObject, fillDefaults, sortList, withObject } from '../../normalize/defaults.js';
import { clusterName, DEFAULT_CLUSTER, roleName } from '../../normalize/references.js';
import { projectSpec } from '../../normalize/schema.js';
import { normalizeTags } from '../../normalize/tags.js';

/** CreateService's input members: the projection used when the generated schema is missing. */
export const SERVICE_INPUT_MEMBERS = [
  'cluster', 'serviceName', 'taskDefinition', 'availabilityZoneRebalancing', 'loadBalancers', 'serviceRegistries',
  'desiredCount', 'clientToken', 'launchType', 'capacityProviderStrategy', 'platformVersion', 'role',
  'deploymentConfiguration', 'placementConstraints', 'placementStrategy', 'networkConfiguration',
  'healthCheckGracePeriodSeconds', 'schedulingStrategy', 'deploymentController', 'tags', 'enableECSManagedTags',
  'propagateTags', 'enableExecuteCommand', 'serviceConnectConfiguration', 'volumeConfigurations',
  'vpcLatticeConfigurations',
];

/** Inputs DescribeServices reports only on deployments, not on the service itself. */
const DEPLOYMENT_MEMBERS = ['serviceConnectConfiguration', 'volumeConfigurations', 'vpcLatticeConfigurations'];

/**
 * A DescribeServices `services[]` item as a CreateService input: clusterArn becomes `cluster` (the
 * cluster's name), roleArn becomes `role`; serviceConnectConfiguration, volumeConfigurations and
 * vpcLatticeConfigurations come from the PRIMARY deployment (the configuration the service is
 * converging to); status, counts, events, deployments, ARNs and timestamps are dropped.
 */
export function liveServiceSpec(live: JsonObject): JsonObject {
  // Renamed and deployment-only members are projected apart: copying `live` to add them first
  // makes every service's projection several times slower.
  const extra: JsonObject = {};
  if (typeof live.clusterArn === 'string') extra.cluster = clusterName(live.clusterArn);
  if (typeof live.roleArn === 'string') extra.role = live.roleArn;
  const primary = asObject((asList(live.deployments) ?? []).find((d) => isObject(d) && d.status === 'PRIMARY'));
  for (const key of DEPLOYMENT_MEMBERS) {
    if (live[key] === undefined && primary?.[key] !== undefined) extra[key] = primary[key]!;
  }
  return { ...projectSpec('Service', live, SERVICE_INPUT_MEMBERS), ...projectSpec('Service', extra, SERVICE_INPUT_MEMBERS) };
}

export interface ServiceNormalizeOptions {
  /** A ServiceAutoScaling manages desiredCount: it is neither compared nor sent. */
  autoscaled: boolean;
}

const REPLICA_PERCENTS: JsonObject = { maximumPercent: 200, minimumHealthyPercent: 100 };
const DAEMON_PERCENTS: JsonObject = { maximumPercent: 100, minimumHealthyPercent: 0 };
const OFF: JsonObject = { enable: false, rollback: false };
const FARGATE_PROVIDERS = new Set(['FARGATE', 'FARGATE_SPOT']);
/** Filled when absent; DescribeServices returns each of them for a service created without them. */
const SERVICE_DEFAULTS: JsonObject = {
  schedulingStrategy: 'REPLICA',
  deploymentController: { type: 'ECS' },
  propagateTags: 'NONE',
  enableECSManagedTags: false,
  enableExecuteCommand: false,
  healthCheckGracePeriodSeconds: 0,
};

/**
 * The canonical service for comparison (a new object; `spec` is not changed):
 * - null, [] and {} mean absent; `clientToken` is dropped (idempotency only, never returned);
 * - `cluster` is the cluster's name (an ARN is reduced; absent means `default`); `role` is the role's
 *   name (name, /path/name and ARN compare equal); `taskDefinition` is compared as is (callers resolve
 *   manifest references to the ARN first);
 * - defaults: schedulingStrategy REPLICA, deploymentController ECS, propagateTags NONE,
 *   enableECSManagedTags false, enableExecuteCommand false, healthCheckGracePeriodSeconds 0;
 *   deploymentConfiguration 200/100 (REPLICA) or 100/0 (DAEMON), and with the ECS controller the
 *   circuit breaker and the alarms {enable false, rollback false}; assignPublicIp DISABLED;
 *   platformVersion LATEST on Fargate (launch type or an all-Fargate provider strategy);
 *   capacity provider weight 0 and base 0; service connect discoveryName = portName;
 * - desiredCount removed when autoscaled and for DAEMON services (ECS computes it);
 * - tags sorted by key without ownership (ecs-operator.dev/) and AWS (aws:) tags;
 * - sets sorted: subnets, security groups, load balancers, service registries, placement constraints,
 *   provider strategy, alarm names, service connect services and aliases, volume and VPC Lattice
 *   configurations; placementStrategy keeps its order (it is applied in order).
 */
export function normalizeServiceSpec(spec: JsonObject, options: ServiceNormalizeOptions): JsonObject {
  const s = pruneObject(spec);
  delete s.clientToken;
  s.cluster = clusterName(typeof s.cluster === 'string' ? s.cluster : DEFAULT_CLUSTER);
  if (typeof s.role === 'string') s.role = roleName(s.role);
  const tags = normalizeTags(s.tags);
  if (tags) s.tags = tags;
  else delete s.tags;
  fillDefaults(s, SERVICE_DEFAULTS);
  const daemon = s.schedulingStrategy === 'DAEMON';
  if (options.autoscaled || daemon) delete s.desiredCount;
  const ecsController = asObject(s.deploymentController)?.type === 'ECS';
  const deployment = fillDefaults(asObject(s.deploymentConfiguration) ?? {}, daemon ? DAEMON_PERCENTS : REPLICA_PERCENTS);
  if (ecsController) {
    deployment.deploymentCircuitBreaker = fillDefaults(asObject(deployment.deploymentCircuitBreaker) ?? {}, OFF);
    deployment.alarms = fillDefaults(asObject(deployment.alarms) ?? {}, OFF);
    sortList(asObject(deployment.alarms), 'alarmNames');
  }
  s.deploymentConfiguration = deployment;
  withObject(asObject(s.networkConfiguration), 'awsvpcConfiguration', (vpc) => {
    vpc.assignPublicIp ??= 'DISABLED';
    sortList(vpc, 'subnets');
    sortList(vpc, 'securityGroups');
  });
  eachObject(s, 'capacityProviderStrategy', (item) => fillDefaults(item, { weight: 0, base: 0 }));
  if (s.platformVersion === undefined && runsOnFargate(s)) s.platformVersion = 'LATEST';
  normalizeServiceConnect(s);
  sortServiceLists(s);
  return pruneInPlace(s);
}

function runsOnFargate(s: JsonObject): boolean {
  if (s.launchType !== undefined) return s.launchType === 'FARGATE';
  const providers = (asList(s.capacityProviderStrategy) ?? []).map((i) => asObject(i)?.capacityProvider);
  return providers.length > 0 && providers.every((p) => typeof p === 'string' && FARGATE_PROVIDERS.has(p));
}

/** `{enabled: false}` alone is how AWS reports "no service connect": equal to absent. */
function normalizeServiceConnect(s: JsonObject): void {
  const sc = asObject(s.serviceConnectConfiguration);
  if (!sc) return;
  if (sc.enabled === false && Object.keys(sc).length === 1) {
    delete s.serviceConnectConfiguration;
    return;
  }
  eachObject(sc, 'services', (service) => {
    if (service.discoveryName === undefined && service.portName !== undefined) service.discoveryName = service.portName;
    sortList(service, 'clientAliases', 'port', 'dnsName');
  });
  sortList(sc, 'services', 'portName', 'discoveryName');
  withObject(sc, 'logConfiguration', (l) => sortList(l, 'secretOptions', 'name'));
}

function sortServiceLists(s: JsonObject): void {
  sortList(s, 'loadBalancers', 'targetGroupArn', 'loadBalancerName', 'containerName', 'containerPort');
  sortList(s, 'serviceRegistries', 'registryArn', 'containerName', 'containerPort', 'port');
  sortList(s, 'placementConstraints', 'type', 'expression');
  sortList(s, 'capacityProviderStrategy', 'capacityProvider');
  sortList(s, 'volumeConfigurations', 'name');
  sortList(s, 'vpcLatticeConfigurations', 'targetGroupArn', 'portName');
}
