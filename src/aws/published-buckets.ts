// The request token buckets AWS publishes, per account and Region: the one table the operator's
// pacing (pacing.ts) follows and the AWS-faithful proxy (tools/aws-proxy) enforces. Burst is the
// bucket's maximum capacity, refill the tokens added per second; every action of a category draws
// from the category's one bucket.
//
// ECS: "Request throttling for the Amazon ECS API", "Request Token Bucket Sizes and Refill Rates",
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/request-throttling.html (the page spells
// the last cluster resource action UpdateContainerInstancesStates; the API's name is without the s).
// ELBv2: "Request throttling for the Elastic Load Balancing API", "Request token bucket sizes and
// refill rates", https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/elb-api-throttling.html.
// ELB also keeps one account-level bucket of 40 / 10 that every ELB action draws from as well; it is
// not modelled: the operator calls only non-mutating ELBv2 actions, whose bucket has the same size
// and sees the same requests. Application Auto Scaling publishes no such table.
import type { AwsApi } from './stats.js';

export interface BucketSpec {
  burst: number;
  /** Tokens added per second. */
  refill: number;
}

export interface Category extends BucketSpec {
  actions: string[];
}

/** The ECS categories of the published table, each one bucket. */
export const ECS_CATEGORIES: Record<string, Category> = {
  'cluster-modify': { burst: 20, refill: 1, actions: ['CreateCluster', 'DeleteCluster', 'PutClusterCapacityProviders', 'UpdateCluster', 'UpdateClusterSettings'] },
  'cluster-read': { burst: 50, refill: 20, actions: ['DescribeClusters', 'ListClusters'] },
  'task-definition-modify': { burst: 20, refill: 1, actions: ['DeregisterTaskDefinition', 'RegisterTaskDefinition'] },
  'task-definition-read': { burst: 50, refill: 20, actions: ['DescribeTaskDefinition', 'ListTaskDefinitions', 'ListTaskDefinitionFamilies'] },
  'task-definition-delete': { burst: 5, refill: 1, actions: ['DeleteTaskDefinitions'] },
  'capacity-provider-modify': { burst: 10, refill: 1, actions: ['CreateCapacityProvider', 'DeleteCapacityProvider', 'UpdateCapacityProvider'] },
  'capacity-provider-read': { burst: 50, refill: 20, actions: ['DescribeCapacityProviders'] },
  'tag-modify': { burst: 20, refill: 10, actions: ['TagResource', 'UntagResource'] },
  'tag-read': { burst: 50, refill: 20, actions: ['ListTagsForResource'] },
  'setting-modify': { burst: 10, refill: 1, actions: ['DeleteAccountSetting', 'PutAccountSetting', 'PutAccountSettingDefault'] },
  'setting-read': { burst: 50, refill: 20, actions: ['ListAccountSettings'] },
  'cluster-resource-modify': { burst: 100, refill: 40, actions: ['DeleteAttributes', 'DeregisterContainerInstance', 'ExecuteCommand', 'PutAttributes', 'RunTask', 'StartTask', 'StopTask', 'UpdateContainerAgent', 'UpdateContainerInstancesState'] },
  'cluster-resource-read': { burst: 100, refill: 20, actions: ['DescribeContainerInstances', 'DescribeTasks', 'ListAttributes', 'ListContainerInstances', 'ListTasks'] },
  'agent-modify': { burst: 200, refill: 120, actions: ['RegisterContainerInstance', 'SubmitAttachmentStateChanges', 'SubmitContainerStateChange', 'SubmitTaskStateChange'] },
  'service-modify': { burst: 50, refill: 5, actions: ['CreateService', 'DeleteService', 'UpdateService'] },
  'service-read': { burst: 100, refill: 20, actions: ['DescribeServices', 'ListServices'] },
  'service-deployment': { burst: 50, refill: 20, actions: ['DescribeServiceDeployments', 'ListServiceDeployments'] },
  'service-revision': { burst: 50, refill: 20, actions: ['DescribeServiceRevisions'] },
  'task-protection': { burst: 200, refill: 80, actions: ['UpdateTaskProtection', 'GetTaskProtection'] },
  'cluster-service-resource-read': { burst: 10, refill: 1, actions: ['ListServicesByNamespace'] },
};

/** The ELBv2 categories of the published table, and its uncategorized buckets (the trust store ones). */
export const ELBV2_CATEGORIES: Record<string, Category> = {
  'resource-intensive': { burst: 10, refill: 0.2, actions: ['CreateLoadBalancer', 'SetSubnets'] },
  'registration': { burst: 20, refill: 4, actions: ['RegisterTargets', 'DeregisterTargets'] },
  'non-mutating': { burst: 40, refill: 10, actions: [
    'DescribeAccountLimits', 'DescribeCapacityReservation', 'DescribeListenerAttributes', 'DescribeListenerCertificates', 'DescribeListeners',
    'DescribeLoadBalancerAttributes', 'DescribeLoadBalancers', 'DescribeRules', 'DescribeSSLPolicies', 'DescribeTags',
    'DescribeTargetGroupAttributes', 'DescribeTargetGroups', 'DescribeTargetHealth'] },
  'mutating': { burst: 20, refill: 3, actions: [
    'AddListenerCertificates', 'AddTags', 'CreateListener', 'CreateRule', 'CreateTargetGroup', 'DeleteListener', 'DeleteLoadBalancer',
    'DeleteRule', 'DeleteTargetGroup', 'ModifyCapacityReservation', 'ModifyIpPools', 'ModifyListener', 'ModifyListenerAttributes',
    'ModifyLoadBalancerAttributes', 'ModifyRule', 'ModifyTargetGroup', 'ModifyTargetGroupAttributes', 'RemoveListenerCertificates',
    'RemoveTags', 'SetIpAddressType', 'SetRulePriorities', 'SetSecurityGroups'] },
  'create-trust-store': { burst: 10, refill: 0.2, actions: ['CreateTrustStore'] },
  'modify-trust-store': { burst: 10, refill: 0.2, actions: ['AddTrustStoreRevocations', 'DeleteSharedTrustStoreAssociation', 'DeleteTrustStore', 'ModifyTrustStore', 'RemoveTrustStoreRevocations'] },
  'get-trust-store': { burst: 20, refill: 4, actions: ['GetResourcePolicy', 'GetTrustStoreCaCertificatesBundle', 'GetTrustStoreRevocationContent'] },
  'describe-trust-store': { burst: 40, refill: 10, actions: ['DescribeTrustStoreAssociations', 'DescribeTrustStoreRevocations', 'DescribeTrustStores'] },
};

const TABLES: Partial<Record<AwsApi, Record<string, Category>>> = { ecs: ECS_CATEGORIES, elbv2: ELBV2_CATEGORIES };

const BUCKET_OF = new Map<string, { name: string; spec: Category }>(
  Object.entries(TABLES).flatMap(([api, table]) => Object.entries(table).flatMap(([name, spec]) =>
    spec.actions.map((action) => [`${api}:${action}`, { name: `${api}:${name}`, spec }] as const))),
);

/** The bucket an operation draws from (`ecs:service-read`), or undefined when AWS publishes none for it. */
export function publishedBucket(api: AwsApi, operation: string): { name: string; spec: BucketSpec } | undefined {
  return BUCKET_OF.get(`${api}:${operation}`);
}
