// What IAM authorizes for one AWS call the operator makes: the call's own action on the resource it
// names (with the resource's tags and the request's tags as condition keys), and the authorizations
// AWS makes on the caller's behalf for it, each with the AWS documentation that says so:
// - ECS tag-on-create: a create with tags also needs ecs:TagResource with ecs:CreateAction
//   (ECS Developer Guide, "Grant permission to tag resources on creation").
// - ECS and Application Auto Scaling create their service-linked role on first use and need
//   iam:CreateServiceLinkedRole for it (each service's "Service-linked roles" page).
// - RegisterTaskDefinition passes its task and execution roles: iam:PassRole to ecs-tasks.amazonaws.com.
// - Application Auto Scaling checks the caller's own permissions on the target service (describe and
//   update the ECS service) and on CloudWatch for the alarms of scaling policies ("Permissions
//   validation for Application Auto Scaling API calls on target resources").
import type { AuthRequest } from './iam-policy.js';

/** One request as the proxy saw it: the signing service (the IAM prefix), the operation and its input. */
export interface RecordedCall {
  service: string;
  operation: string;
  input: Record<string, any>;
  region: string;
  account: string;
}

export interface ImpliedAuth extends AuthRequest {
  /** False for the call's own action, true for one AWS makes on the caller's behalf. */
  implied: boolean;
}

/** Reads of the live state the conditions need, made with other credentials than the operator's. */
export interface TagLookup {
  /** Tags of an ECS cluster, service or task definition ARN; undefined when it does not exist. */
  ecsTags(arn: string): Promise<Record<string, string> | undefined>;
  /** A scalable target's ARN and tags; undefined when it is not registered. */
  scalableTarget(namespace: string, resourceId: string, dimension: string): Promise<{ arn: string; tags: Record<string, string> } | undefined>;
  /** Tags of a scalable target by ARN. */
  aasTags(arn: string): Promise<Record<string, string> | undefined>;
}

const tagKeys = (prefix: 'aws:RequestTag' | 'aws:ResourceTag', tags: Record<string, string> | undefined) =>
  Object.fromEntries(Object.entries(tags ?? {}).map(([k, v]) => [`${prefix}/${k}`, v]));

const ecsTagMap = (list: Array<{ key: string; value?: string }> | undefined) =>
  Object.fromEntries((list ?? []).map((t) => [t.key, t.value ?? '']));

const lastPart = (nameOrArn: string) => nameOrArn.slice(nameOrArn.lastIndexOf('/') + 1);

const READS = /^(Describe|List|Get)/;

function ecsArns(call: RecordedCall) {
  const base = `arn:aws:ecs:${call.region}:${call.account}`;
  const clusterName = lastPart(String(call.input.cluster ?? call.input.clusterName ?? 'default'));
  const cluster = String(call.input.cluster ?? '').startsWith('arn:') ? String(call.input.cluster) : `${base}:cluster/${clusterName}`;
  const serviceName = String(call.input.service ?? call.input.serviceName ?? '');
  const service = serviceName.startsWith('arn:') ? serviceName : `${base}:service/${clusterName}/${serviceName}`;
  return { base, cluster, service };
}

function serviceLinkedRole(call: RecordedCall, servicePrincipal: string, roleName: string): ImpliedAuth {
  return {
    action: 'iam:CreateServiceLinkedRole', implied: true,
    resource: `arn:aws:iam::${call.account}:role/aws-service-role/${servicePrincipal}/${roleName}`,
    context: { 'iam:AWSServiceName': servicePrincipal },
  };
}

async function ecsAuth(call: RecordedCall, lookup: TagLookup): Promise<ImpliedAuth[]> {
  const { operation: op, input } = call;
  const action = `ecs:${op}`;
  const arns = ecsArns(call);
  if (READS.test(op)) return [{ action, resource: '*', context: {}, implied: false }];
  const own = async (resource: string, requestTags?: Record<string, string>): Promise<ImpliedAuth> => ({
    action, resource, implied: false,
    context: { ...tagKeys('aws:ResourceTag', await lookup.ecsTags(resource)), ...tagKeys('aws:RequestTag', requestTags) },
  });
  const tagOnCreate = (resource: string, tags: Record<string, string>): ImpliedAuth[] => (Object.keys(tags).length === 0 ? [] : [{
    action: 'ecs:TagResource', resource, implied: true, context: { 'ecs:CreateAction': op, ...tagKeys('aws:RequestTag', tags) },
  }]);
  switch (op) {
    case 'CreateCluster':
    case 'CreateService': {
      const resource = op === 'CreateCluster' ? arns.cluster : arns.service;
      const tags = ecsTagMap(input.tags);
      return [
        { action, resource, implied: false, context: tagKeys('aws:RequestTag', tags) },
        ...tagOnCreate(resource, tags),
        serviceLinkedRole(call, 'ecs.amazonaws.com', 'AWSServiceRoleForECS'),
      ];
    }
    case 'RegisterTaskDefinition': {
      const resource = `${arns.base}:task-definition/${input.family}:*`;
      const tags = ecsTagMap(input.tags);
      const roles = [input.taskRoleArn, input.executionRoleArn].filter((r): r is string => typeof r === 'string');
      return [
        { action, resource, implied: false, context: tagKeys('aws:RequestTag', tags) },
        ...tagOnCreate(resource, tags),
        ...roles.map((role) => ({ action: 'iam:PassRole', resource: role, implied: true, context: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } })),
      ];
    }
    case 'DeregisterTaskDefinition':
      return [{ action, resource: '*', context: {}, implied: false }];
    case 'TagResource': return [await own(String(input.resourceArn), ecsTagMap(input.tags))];
    case 'UntagResource': return [await own(String(input.resourceArn))];
    case 'UpdateService':
    case 'DeleteService': return [await own(arns.service)];
    default: return [await own(arns.cluster)];
  }
}

async function aasAuth(call: RecordedCall, lookup: TagLookup): Promise<ImpliedAuth[]> {
  const { operation: op, input } = call;
  const action = `application-autoscaling:${op}`;
  if (READS.test(op)) return [{ action, resource: '*', context: {}, implied: false }];
  if (op === 'TagResource' || op === 'UntagResource') {
    const resource = String(input.ResourceARN);
    const context = { ...tagKeys('aws:ResourceTag', await lookup.aasTags(resource)), ...(op === 'TagResource' ? tagKeys('aws:RequestTag', input.Tags) : {}) };
    return [{ action, resource, context, implied: false }];
  }
  const target = await lookup.scalableTarget(input.ServiceNamespace, input.ResourceId, input.ScalableDimension);
  const resource = target?.arn ?? `arn:aws:application-autoscaling:${call.region}:${call.account}:scalable-target/(${input.ResourceId})`;
  const out: ImpliedAuth[] = [{ action, resource, implied: false, context: { ...tagKeys('aws:ResourceTag', target?.tags), ...tagKeys('aws:RequestTag', input.Tags) } }];
  const cloudwatch = (...actions: string[]) => actions.map((a) => ({ action: `cloudwatch:${a}`, resource: '*', context: {}, implied: true }));
  if (op === 'RegisterScalableTarget') {
    out.push(serviceLinkedRole(call, 'ecs.application-autoscaling.amazonaws.com', 'AWSServiceRoleForApplicationAutoScaling_ECSService'));
    if (input.Tags && Object.keys(input.Tags).length > 0) {
      out.push({ action: 'application-autoscaling:TagResource', resource, implied: true, context: { ...tagKeys('aws:RequestTag', input.Tags) } });
    }
    if (input.RoleARN) out.push({ action: 'iam:PassRole', resource: input.RoleARN, implied: true, context: { 'iam:PassedToService': 'application-autoscaling.amazonaws.com' } });
    // service/<cluster>/<service>: the caller must be allowed to describe and update that service.
    const [, cluster, service] = String(input.ResourceId).split('/');
    const serviceArn = `arn:aws:ecs:${call.region}:${call.account}:service/${cluster}/${service}`;
    const context = tagKeys('aws:ResourceTag', await lookup.ecsTags(serviceArn));
    out.push({ action: 'ecs:DescribeServices', resource: serviceArn, context, implied: true });
    out.push({ action: 'ecs:UpdateService', resource: serviceArn, context, implied: true });
  }
  if (op === 'PutScalingPolicy') out.push(...cloudwatch('DescribeAlarms', ...(input.PolicyType === 'TargetTrackingScaling' ? ['PutMetricAlarm'] : [])));
  if (op === 'DeleteScalingPolicy') out.push(...cloudwatch('DescribeAlarms', 'DeleteAlarms'));
  return out;
}

/** Every authorization IAM makes for the call, its own first. Unknown services are reads of "*". */
export async function authorizationsOf(call: RecordedCall, lookup: TagLookup): Promise<ImpliedAuth[]> {
  switch (call.service) {
    case 'ecs': return ecsAuth(call, lookup);
    case 'application-autoscaling': return aasAuth(call, lookup);
    case 'dynamodb':
      return [{ action: `dynamodb:${call.operation}`, resource: `arn:aws:dynamodb:${call.region}:${call.account}:table/${call.input.TableName}`, context: {}, implied: false }];
    default: return [{ action: `${call.service}:${call.operation}`, resource: '*', context: {}, implied: false }];
  }
}
