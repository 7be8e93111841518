// What the loader needs to know about Service manifests: serviceName is the identity, describe-services'
// status fields are dropped, cluster and taskDefinition may name other manifests, and the bindings
// CreateService checks against the task definition (load balancer and service registry containers and
// ports, awsvpc) are checked early.
import type { JsonObject, Manifest } from '../../core/types.js';
import type { Finding, KindRules } from '../../desired/kind-rules.js';
import { didYouMean, named } from '../../desired/messages.js';
import { movedUnder, type DropIn } from '../../desired/drop-ins.js';
import { num, object, objects, text } from '../../desired/rule-helpers.js';
import { isObject } from '../../normalize/common.js';
import { clusterName, DEFAULT_CLUSTER } from '../../normalize/references.js';
import { effectiveNetworkMode } from '../task-definition/constraints.js';
import { SERVICE_CONSTRAINTS } from './constraints.js';
import { schemaDocument } from '../../normalize/schema.js';

/** `family:revision` or an ARN: a task definition named outside the manifests. */
export function isExternalTaskDefinition(ref: string): boolean {
  return ref.startsWith('arn:') || /^[A-Za-z0-9_-]{1,255}:\d+$/.test(ref);
}

/**
 * Each binding of `member` (loadBalancers, serviceRegistries) names a container of the task definition
 * and, when it gives a containerPort, one of that container's port mappings.
 */
function bindingFindings(spec: JsonObject, member: string, td: Manifest): Finding[] {
  const findings: Finding[] = [];
  const containers = objects(td.spec.containerDefinitions);
  const tdName = named('TaskDefinition', td.metadata.name);
  objects(spec[member]).forEach((binding, index) => {
    const containerName = text(binding.containerName);
    if (containerName === undefined) return;
    const container = containers.find((c) => c.name === containerName);
    const path = `/spec/${member}/${index}`;
    if (!container) {
      const names = containers.map((c) => String(c.name));
      findings.push({ path: `${path}/containerName`, message: `${tdName} has no container ${JSON.stringify(containerName)}${didYouMean(containerName, names)}` });
      return;
    }
    const ports = objects(container.portMappings).map((p) => num(p.containerPort)).filter((p) => p !== undefined);
    const port = num(binding.containerPort);
    if (port !== undefined && !ports.includes(port)) {
      const maps = ports.length > 0 ? `it maps ${ports.join(', ')}` : 'it maps no ports';
      findings.push({
        path: `${path}/containerPort`,
        message: `container ${JSON.stringify(containerName)} of ${tdName} has no port mapping for containerPort ${port} (${maps})`,
      });
    }
  });
  return findings;
}

/** A target group binding routes to one container port: ECS refuses it without containerName and containerPort. */
function targetGroupBindingFindings(spec: JsonObject): Finding[] {
  return objects(spec.loadBalancers).flatMap((lb, index) => {
    if (lb.targetGroupArn === undefined) return [];
    return (['containerName', 'containerPort'] as const).filter((m) => lb[m] === undefined).map((m) => ({
      path: `/spec/loadBalancers/${index}/${m}`,
      at: 'missing' as const,
      message: `a target group binding needs ${m}: the container and port the load balancer sends traffic to`,
    }));
  });
}

function networkFindings(spec: JsonObject, td: Manifest | undefined): Finding[] {
  const findings: Finding[] = [];
  const mode = td ? effectiveNetworkMode(td.spec) : undefined;
  if (spec.launchType === 'FARGATE' && td && mode !== 'awsvpc') {
    findings.push({
      path: '/spec/launchType',
      message: `launchType FARGATE needs networkMode awsvpc, but ${named('TaskDefinition', td.metadata.name)} uses ${JSON.stringify(mode)}`,
    });
  }
  // Fargate always runs awsvpc, so without a manifest to read, the launch type says it.
  const awsvpc = td ? mode === 'awsvpc' : spec.launchType === 'FARGATE';
  if (awsvpc && object(spec.networkConfiguration).awsvpcConfiguration === undefined) {
    const why = td ? `${named('TaskDefinition', td.metadata.name)} uses networkMode awsvpc` : 'launchType FARGATE uses networkMode awsvpc';
    findings.push({
      path: '/spec/networkConfiguration/awsvpcConfiguration',
      at: 'missing',
      message: `${why}: networkConfiguration.awsvpcConfiguration (subnets, securityGroups) is required`,
    });
  }
  return findings;
}

/**
 * The name of the cluster a Service spec runs in: the clusterName of the Cluster manifest its
 * `cluster` names (`clusterSpec` finds that manifest's spec), else the name written or an ARN's
 * name; the default cluster when `cluster` is absent.
 */
export function serviceClusterName(spec: JsonObject, clusterSpec: (name: string) => JsonObject | undefined): string {
  const ref = text(spec.cluster) ?? DEFAULT_CLUSTER;
  return text(clusterSpec(ref)?.clusterName) ?? clusterName(ref);
}

/**
 * A `describe-services` output (`{"services": [...], "failures": []}`) holding one service is that
 * service; one holding several is an error (a manifest holds one service). In a service as
 * DescribeServices returns it, clusterArn stands for cluster: read as the cluster's name, so it
 * names a Cluster manifest like a name written by hand.
 */
function describeOutput(spec: JsonObject): DropIn | undefined {
  const wrapped = Array.isArray(spec.services) && Object.keys(spec).every((key) => key === 'services' || key === 'failures');
  if (wrapped) {
    const services = spec.services as unknown[];
    const failures = Array.isArray(spec.failures) ? spec.failures.length : 0;
    if (services.length !== 1 || !isObject(services[0]) || failures > 0) {
      const what = failures > 0 ? `${failures} failure(s)` : `${services.length} services`;
      return { spec: {}, findings: [{ path: '/spec/services', message: `a describe-services output with ${what}: a Service manifest holds exactly one service` }] };
    }
  }
  const service = wrapped ? (spec.services as JsonObject[])[0]! : spec;
  const findings: Finding[] = wrapped ? [{ path: '/spec/services', severity: 'warning', message: 'a describe-services output: its one service is the spec' }] : [];
  const written = wrapped ? movedUnder('/services/0') : (pointer: string) => pointer;
  const arn = text(service.clusterArn);
  if (arn === undefined || service.cluster !== undefined) return wrapped ? { spec: service, written, findings } : undefined;
  const { clusterArn: _, ...rest } = service;
  findings.push({ path: written('/spec/clusterArn'), severity: 'warning', message: `clusterArn is set by AWS: read as cluster ${JSON.stringify(clusterName(arn))}` });
  return { spec: { ...rest, cluster: clusterName(arn) }, written: (pointer) => written(pointer === '/spec/cluster' ? '/spec/clusterArn' : pointer), findings };
}

export const serviceManifest: KindRules = {
  kind: 'Service',
  schema: () => schemaDocument('Service'),
  identityField: 'serviceName',
  // DescribeServices' Service members that CreateService does not take (the last three: newer than the
  // model snapshot, known to the SDK).
  readOnlyFields: [
    'serviceArn', 'clusterArn', 'status', 'runningCount', 'pendingCount', 'platformFamily', 'taskSets',
    'deployments', 'roleArn', 'events', 'createdAt', 'createdBy',
    'currentServiceDeployment', 'currentServiceRevisions', 'resourceManagementType',
  ],
  constraints: SERVICE_CONSTRAINTS,
  dropIn: describeOutput,
  references(spec) {
    return [
      // Absent: the default cluster, which a Cluster manifest may manage.
      { path: '/spec/cluster', kind: 'Cluster', name: text(spec.cluster) ?? DEFAULT_CLUSTER, byIdentity: true, external: () => true },
      ...(text(spec.taskDefinition) === undefined ? [] : [{
        path: '/spec/taskDefinition',
        kind: 'TaskDefinition' as const,
        name: text(spec.taskDefinition)!,
        byIdentity: true,
        external: isExternalTaskDefinition,
        hint: 'for a task definition not managed here, write family:revision or its ARN',
      }]),
    ];
  },
  managedResource: (manifest, ctx) =>
    `serviceName ${JSON.stringify(manifest.spec.serviceName)} in cluster ${JSON.stringify(serviceClusterName(manifest.spec, (name) => ctx.find('Cluster', name)?.spec))}`,
  check(manifest, ctx) {
    const spec = manifest.spec;
    const ref = text(spec.taskDefinition);
    const td = ref === undefined ? undefined : ctx.find('TaskDefinition', ref);
    const bindings = td ? [...bindingFindings(spec, 'loadBalancers', td), ...bindingFindings(spec, 'serviceRegistries', td)] : [];
    return [...targetGroupBindingFindings(spec), ...bindings, ...networkFindings(spec, td)];
  },
};
