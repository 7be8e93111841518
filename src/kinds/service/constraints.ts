// What CreateService (and Elastic Load Balancing, for target groups) enforces but the models state
// only in prose, one row per constraint (see src/desired/constraints.ts). The bindings that need the
// task definition manifest (containers, ports, awsvpc) are in manifest.ts.
import type { JsonObject } from '../../core/types.js';
import type { Condition, Constraint } from '../../desired/constraints.js';
import { object, text } from '../../desired/rule-helpers.js';
import { strategyConstraints } from '../cluster/constraints.js';
import { NAME } from '../task-definition/constraints.js';

const API = 'ECS CreateService';
const specOf = (doc: JsonObject): JsonObject => object(doc.spec);

function launchType(...types: string[]): Condition {
  return { says: `with launchType ${types.join(' or ')}`, test: (doc) => types.includes(text(specOf(doc).launchType) ?? '') };
}

function controller(...types: string[]): Condition {
  return { says: `with deploymentController ${types.join(' or ')}`, test: (doc) => types.includes(text(object(specOf(doc).deploymentController).type) ?? 'ECS') };
}

export const SERVICE_CONSTRAINTS: readonly Constraint[] = [
  { id: 'service-name-format', at: '/spec/serviceName', check: NAME, source: `${API} serviceName: "Up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens"` },
  {
    id: 'cluster-reference-format', at: '/spec/cluster',
    check: { format: /^(arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:cluster\/)?[A-Za-z0-9_-]{1,255}$/, says: 'a cluster name (1-255 letters, digits, "-" or "_") or a cluster ARN' },
    source: `${API} cluster: "The short name or full Amazon Resource Name (ARN) of the cluster"`,
  },
  { id: 'desired-count-range', at: '/spec/desiredCount', check: { range: { min: 0, max: 5000 } }, source: 'ECS service quotas: Tasks per service, 5,000; a count is never negative' },
  { id: 'health-check-grace-range', at: '/spec/healthCheckGracePeriodSeconds', check: { range: { min: 0, max: 2147483647 } }, source: `${API} healthCheckGracePeriodSeconds: "up to 2,147,483,647 seconds"` },
  { id: 'minimum-healthy-percent-range', at: '/spec/deploymentConfiguration/minimumHealthyPercent', check: { range: { min: 0 } }, source: 'ECS DeploymentConfiguration.minimumHealthyPercent: a percentage of desiredCount' },
  { id: 'maximum-percent-range', at: '/spec/deploymentConfiguration/maximumPercent', check: { range: { min: 0 } }, source: 'ECS DeploymentConfiguration.maximumPercent: a percentage of desiredCount' },
  { id: 'launch-type-or-strategy', at: '/spec/launchType', check: { excludes: 'capacityProviderStrategy' }, source: `${API} launchType: "If a launchType is specified, the capacityProviderStrategy parameter must be omitted"` },
  { id: 'capacity-provider-strategy-count', at: '/spec/capacityProviderStrategy', check: { items: { max: 20 } }, source: `${API} capacityProviderStrategy: "a maximum of 20 capacity providers"` },
  ...strategyConstraints('/spec/capacityProviderStrategy', 'strategy'),
  { id: 'platform-version-fargate', at: '/spec/platformVersion', check: { absent: true }, when: launchType('EC2', 'EXTERNAL', 'MANAGED_INSTANCES'), source: `${API} platformVersion: "A platform version is specified only for tasks using the Fargate launch type"` },
  { id: 'daemon-not-on-fargate', at: '/spec/schedulingStrategy', check: { oneOf: ['REPLICA'] }, when: launchType('FARGATE'), source: `${API} schedulingStrategy: "Tasks using the Fargate launch type... don't support the DAEMON scheduling strategy"` },
  { id: 'daemon-controller', at: '/spec/schedulingStrategy', check: { oneOf: ['REPLICA'] }, when: controller('CODE_DEPLOY', 'EXTERNAL'), source: `${API} schedulingStrategy: "the CODE_DEPLOY or EXTERNAL deployment controller types don't support the DAEMON scheduling strategy"` },
  { id: 'circuit-breaker-controller', at: '/spec/deploymentConfiguration/deploymentCircuitBreaker', check: { absent: true }, when: controller('CODE_DEPLOY', 'EXTERNAL'), source: 'ECS DeploymentConfiguration.deploymentCircuitBreaker: "can only be used for services using the rolling update (ECS) deployment type"' },
  { id: 'placement-constraints-count', at: '/spec/placementConstraints', check: { items: { max: 10 } }, source: `${API} placementConstraints: "a maximum of 10 constraints for each task"` },
  { id: 'placement-strategy-count', at: '/spec/placementStrategy', check: { items: { max: 5 } }, source: `${API} placementStrategy: "a maximum of 5 strategy rules for each service"` },
  { id: 'service-registries-count', at: '/spec/serviceRegistries', check: { items: { max: 1 } }, source: `${API} serviceRegistries: "Each service may be associated with one service registry"` },
  { id: 'target-groups-count', at: '/spec/loadBalancers', check: { items: { max: 5 } }, source: 'ECS service quotas: Target groups per service, 5' },
  {
    id: 'target-group-arn-format', at: '/spec/loadBalancers/*/targetGroupArn',
    check: { format: /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup\/[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?\/[0-9a-f]{16}$/, says: 'a target group ARN (arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<id>)' },
    source: 'ELBv2 CreateTargetGroup Name: "a maximum of 32 characters... alphanumeric characters or hyphens... must not begin or end with a hyphen"; TargetGroup.TargetGroupArn',
  },
  { id: 'load-balancer-name-or-target-group', at: '/spec/loadBalancers/*/targetGroupArn', check: { excludes: 'loadBalancerName' }, source: `${API} loadBalancers: "For Application Load Balancers and Network Load Balancers... The load balancer name parameter must be omitted"` },
  { id: 'role-needs-load-balancer', at: '/spec/role', check: { requires: 'loadBalancers' }, source: `${API} role: "If you specify the role parameter, you must also specify a load balancer object"` },
  { id: 'subnets-count', at: '/spec/networkConfiguration/awsvpcConfiguration/subnets', check: { items: { min: 1, max: 16 } }, source: 'ECS AwsVpcConfiguration.subnets: "There\'s a limit of 16 subnets"' },
  { id: 'security-groups-count', at: '/spec/networkConfiguration/awsvpcConfiguration/securityGroups', check: { items: { max: 5 } }, source: 'ECS AwsVpcConfiguration.securityGroups: "There\'s a limit of 5 security groups"' },
];
