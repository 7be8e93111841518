// Fields and enum values the installed AWS SDK (@aws-sdk/client-ecs 3.1164, client-application-auto-scaling
// 3.1141) accepts that the Smithy snapshot in vendor/aws-models (2025-04-02) does not have yet. The SDK's
// types win: without these, a manifest using a newer API field would be rejected as an unknown field.
// Only what a manifest can reach is listed (the inputs of CreateCluster, RegisterTaskDefinition,
// CreateService, RegisterScalableTarget, PutScalingPolicy, PutScheduledAction), plus UpdateService's new
// members because x-create-only is derived from it. Deep new structures whose details the SDK keeps in
// unions or documents are typed as documents (validated no deeper). When the snapshot catches up,
// applyOverrides() fails on the duplicate, and the entry is deleted here.
import type { AddedMember, ModelOverrides, SmithyMember, SmithyShape } from './smithy-model.js';

const ecs = (name: string) => `com.amazonaws.ecs#${name}`;
const STRING = 'smithy.api#String';
const INTEGER = 'smithy.api#Integer';
const DOUBLE = 'smithy.api#Double';
const BOOLEAN = 'smithy.api#Boolean';
const DOCUMENT = 'smithy.api#Document';

type Members = Record<string, string | { target: string; required: true }>;

function structure(documentation: string, members: Members, type = 'structure'): SmithyShape {
  const out: Record<string, SmithyMember> = {};
  for (const [name, m] of Object.entries(members)) {
    out[name] = typeof m === 'string' ? { target: m } : { target: m.target, traits: { 'smithy.api#required': {} } };
  }
  return { type, members: out, traits: { 'smithy.api#documentation': documentation } };
}

function enumeration(values: string[]): SmithyShape {
  const members: Record<string, SmithyMember> = {};
  for (const value of values) members[value] = { target: 'smithy.api#Unit', traits: { 'smithy.api#enumValue': value } };
  return { type: 'enum', members };
}

const list = (target: string): SmithyShape => ({ type: 'list', member: { target } });
const required = (target: string) => ({ target, required: true as const });

const shapes: Record<string, SmithyShape> = {
  // CreateService/UpdateService gatewayConnectors
  [ecs('GatewayConnectorList')]: list(ecs('GatewayConnector')),
  [ecs('GatewayConnector')]: structure('A port of the service exposed through an ECS gateway.', {
    portName: required(STRING), healthCheck: ecs('GatewayConnectorHealthCheck'), filters: ecs('GatewayConnectorFilters'),
  }),
  [ecs('GatewayConnectorHealthCheck')]: structure('How the gateway checks the health of the targets.', {
    healthCheckProtocol: ecs('GatewayConnectorHealthCheckProtocol'), healthCheckPort: INTEGER, healthCheckPath: STRING,
    healthCheckTimeoutSeconds: INTEGER, healthCheckIntervalSeconds: INTEGER, healthyThresholdCount: INTEGER,
    unhealthyThresholdCount: INTEGER, matcher: ecs('GatewayConnectorHealthCheckMatcher'),
  }),
  [ecs('GatewayConnectorHealthCheckProtocol')]: enumeration(['HTTP', 'HTTPS']),
  [ecs('GatewayConnectorHealthCheckMatcher')]: structure('The codes a healthy target answers with.', { httpCode: STRING, grpcCode: STRING }),
  [ecs('GatewayConnectorFilters')]: structure('Which access types the connector serves.', { accessTypes: ecs('AccessTypeList') }),
  [ecs('AccessTypeList')]: list(ecs('AccessType')),
  [ecs('AccessType')]: enumeration(['PRIVATE', 'PUBLIC']),
  // CreateService/UpdateService monitoring
  [ecs('MonitoringConfiguration')]: structure('Metric collection for the service.', { metricConfigurations: ecs('MetricConfigurationList') }),
  [ecs('MetricConfigurationList')]: list(ecs('MetricConfiguration')),
  [ecs('MetricConfiguration')]: structure('Metrics to collect (CPUUtilization, MemoryUtilization) and their resolution (20 or 60 seconds).', {
    metricNames: required(ecs('StringList')), resolutionSeconds: required(INTEGER),
  }),
  // DeploymentConfiguration: blue/green, linear and canary deployments, lifecycle hooks
  [ecs('DeploymentStrategy')]: enumeration(['BLUE_GREEN', 'CANARY', 'LINEAR', 'ROLLING']),
  [ecs('DeploymentLifecycleHookList')]: list(ecs('DeploymentLifecycleHook')),
  [ecs('DeploymentLifecycleHook')]: structure('A hook run at chosen stages of a deployment.', {
    targetType: ecs('DeploymentLifecycleHookTargetType'), hookTargetArn: STRING, roleArn: STRING,
    lifecycleStages: ecs('DeploymentLifecycleHookStageList'), hookDetails: DOCUMENT,
    timeoutConfiguration: ecs('DeploymentLifecycleHookTimeoutConfiguration'),
  }),
  [ecs('DeploymentLifecycleHookTargetType')]: enumeration(['AWS_LAMBDA', 'PAUSE']),
  [ecs('DeploymentLifecycleHookStageList')]: list(ecs('DeploymentLifecycleHookStage')),
  [ecs('DeploymentLifecycleHookStage')]: enumeration([
    'RECONCILE_SERVICE', 'PRE_SCALE_UP', 'POST_SCALE_UP', 'TEST_TRAFFIC_SHIFT', 'POST_TEST_TRAFFIC_SHIFT',
    'PRODUCTION_TRAFFIC_SHIFT', 'PRE_PRODUCTION_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT',
  ]),
  [ecs('DeploymentLifecycleHookTimeoutConfiguration')]: structure('What happens when a lifecycle hook does not answer in time.', {
    timeoutInMinutes: INTEGER, action: ecs('DeploymentLifecycleHookAction'),
  }),
  [ecs('DeploymentLifecycleHookAction')]: enumeration(['CONTINUE', 'ROLLBACK']),
  [ecs('LinearConfiguration')]: structure('Traffic shifted in equal steps during a linear deployment.', { stepPercent: DOUBLE, stepBakeTimeInMinutes: INTEGER }),
  [ecs('CanaryConfiguration')]: structure('Traffic shifted to the new revision during the canary phase.', { canaryPercent: DOUBLE, canaryBakeTimeInMinutes: INTEGER }),
  [ecs('DeploymentEarlySuccessCriteria')]: structure('When a deployment may be declared successful before it fully stabilizes.', {
    enable: required(BOOLEAN), healthyPercent: INTEGER, sourceServiceRevisionCleanup: ecs('ServiceRevisionCleanup'),
  }),
  [ecs('ServiceRevisionCleanup')]: enumeration(['BLOCKING', 'DEFERRED']),
  [ecs('ThresholdConfiguration')]: structure('How many failed tasks trip the circuit breaker.', { type: required(ecs('ThresholdType')), value: required(INTEGER) }),
  [ecs('ThresholdType')]: enumeration(['BOUNDED_PERCENT', 'COUNT', 'UNBOUNDED_PERCENT']),
  // Blue/green traffic routing for load balancers and VPC Lattice
  [ecs('AdvancedConfiguration')]: structure('The alternate target group and listener rules of a blue/green deployment.', {
    alternateTargetGroupArn: STRING, productionListenerRule: STRING, testListenerRule: STRING, roleArn: STRING,
  }),
  [ecs('VpcLatticeAdvancedConfiguration')]: structure('The alternate target group and listener rules of a blue/green deployment.', {
    alternateTargetGroupArn: STRING, productionListenerRule: STRING, testListenerRule: STRING,
  }),
  // Service Connect access logs, proxy log level and test traffic
  [ecs('ServiceConnectAccessLogConfiguration')]: structure('Access logs of the Service Connect proxy.', {
    format: required(ecs('ServiceConnectAccessLoggingFormat')), includeQueryParameters: ecs('ServiceConnectIncludeQueryParameters'),
  }),
  [ecs('ServiceConnectAccessLoggingFormat')]: enumeration(['TEXT', 'JSON']),
  [ecs('ServiceConnectIncludeQueryParameters')]: enumeration(['DISABLED', 'ENABLED']),
  [ecs('ServiceConnectContainerConfigurationList')]: list(ecs('ServiceConnectContainerConfiguration')),
  [ecs('ServiceConnectContainerConfiguration')]: structure('Settings of the Service Connect proxy container.', { logLevel: ecs('ServiceConnectContainerLogLevel') }, 'union'),
  [ecs('ServiceConnectContainerLogLevel')]: enumeration(['debug', 'info']),
  [ecs('ServiceConnectTestTrafficRules')]: structure('Which requests are test traffic during a blue/green deployment.', {
    header: required(ecs('ServiceConnectTestTrafficHeaderRules')),
  }),
  [ecs('ServiceConnectTestTrafficHeaderRules')]: structure('A header that marks test traffic.', {
    name: required(STRING), value: ecs('ServiceConnectTestTrafficHeaderMatchRules'),
  }),
  [ecs('ServiceConnectTestTrafficHeaderMatchRules')]: structure('The header value that marks test traffic.', { exact: required(STRING) }),
  // Task definition: GPU sharing and S3 Files volumes
  [ecs('SharingStrategy')]: structure('How a GPU is shared between containers.', { nvidiaMps: DOCUMENT }, 'union'),
  [ecs('S3FilesVolumeConfiguration')]: structure('An Amazon S3 Files file system mounted as a volume.', {
    fileSystemArn: required(STRING), rootDirectory: STRING, transitEncryptionPort: INTEGER, accessPointArn: STRING,
  }),
};

const member = (shape: string, name: string, target: string, documentation: string): AddedMember => ({
  shape: ecs(shape), member: name, target, documentation,
});

const members: AddedMember[] = [
  member('CreateServiceRequest', 'gatewayConnectors', ecs('GatewayConnectorList'), 'Ports of the service exposed through an ECS gateway.'),
  member('CreateServiceRequest', 'monitoring', ecs('MonitoringConfiguration'), 'Metric collection for the service.'),
  member('UpdateServiceRequest', 'deploymentController', ecs('DeploymentController'), 'The deployment controller to use for the service.'),
  member('UpdateServiceRequest', 'gatewayConnectors', ecs('GatewayConnectorList'), 'Ports of the service exposed through an ECS gateway.'),
  member('UpdateServiceRequest', 'monitoring', ecs('MonitoringConfiguration'), 'Metric collection for the service.'),
  member('DeploymentConfiguration', 'strategy', ecs('DeploymentStrategy'), 'The deployment strategy: ROLLING (the default), BLUE_GREEN, LINEAR or CANARY.'),
  member('DeploymentConfiguration', 'bakeTimeInMinutes', INTEGER, 'Minutes both revisions run side by side before the old one is removed.'),
  member('DeploymentConfiguration', 'lifecycleHooks', ecs('DeploymentLifecycleHookList'), 'Hooks run at chosen stages of a deployment.'),
  member('DeploymentConfiguration', 'linearConfiguration', ecs('LinearConfiguration'), 'Settings of a LINEAR deployment.'),
  member('DeploymentConfiguration', 'canaryConfiguration', ecs('CanaryConfiguration'), 'Settings of a CANARY deployment.'),
  member('DeploymentConfiguration', 'earlySuccessCriteria', ecs('DeploymentEarlySuccessCriteria'), 'When a deployment may be declared successful early.'),
  member('DeploymentCircuitBreaker', 'resetOnHealthyTask', BOOLEAN, 'Whether a healthy task resets the failed task count.'),
  member('DeploymentCircuitBreaker', 'thresholdConfiguration', ecs('ThresholdConfiguration'), 'How many failed tasks trip the circuit breaker.'),
  member('LoadBalancer', 'advancedConfiguration', ecs('AdvancedConfiguration'), 'Blue/green routing for this load balancer.'),
  member('VpcLatticeConfiguration', 'advancedConfiguration', ecs('VpcLatticeAdvancedConfiguration'), 'Blue/green routing for this VPC Lattice target group.'),
  member('ServiceConnectConfiguration', 'accessLogConfiguration', ecs('ServiceConnectAccessLogConfiguration'), 'Access logs of the Service Connect proxy.'),
  member('ServiceConnectConfiguration', 'containerConfigurations', ecs('ServiceConnectContainerConfigurationList'), 'Settings of the Service Connect proxy container.'),
  member('ServiceConnectClientAlias', 'testTrafficRules', ecs('ServiceConnectTestTrafficRules'), 'Which requests are test traffic during a blue/green deployment.'),
  member('ServiceManagedEBSVolumeConfiguration', 'volumeInitializationRate', INTEGER, 'The rate, in MiB/s, at which data is fetched from the snapshot.'),
  member('ResourceRequirement', 'sharingStrategy', ecs('SharingStrategy'), 'How a GPU is shared between containers.'),
  member('Volume', 's3filesVolumeConfiguration', ecs('S3FilesVolumeConfiguration'), 'An Amazon S3 Files file system mounted as a volume.'),
];

export const SCHEMA_OVERRIDES: ModelOverrides = {
  shapes,
  members,
  enumValues: [
    { shape: ecs('LaunchType'), values: ['MANAGED_INSTANCES'] },
    { shape: ecs('Compatibility'), values: ['MANAGED_INSTANCES'] },
    { shape: ecs('ResourceType'), values: ['NeuronDevice'] },
    { shape: ecs('OSFamily'), values: ['WINDOWS_SERVER_2025_CORE', 'WINDOWS_SERVER_2025_FULL'] },
    {
      shape: 'com.amazonaws.applicationautoscaling#MetricType',
      values: ['ECSServiceAverageCPUUtilizationHighResolution', 'ECSServiceAverageMemoryUtilizationHighResolution'],
    },
  ],
};
