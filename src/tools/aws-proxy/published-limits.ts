// What AWS publishes about its listings and its request budgets, as the AWS-faithful proxy enforces it.
// Kept here on purpose rather than shared with the operator's own pacing (src/aws/pacing.ts): an
// instrument that measured the operator against the operator's own figures could not catch them wrong.
//
// Page sizes (maxResults range and the size of a page when maxResults is absent), from the API
// references, which the Smithy models in vendor/aws-models carry word for word:
// | API / operation                          | items field        | max | default | source                                    |
// |------------------------------------------|--------------------|-----|---------|-------------------------------------------|
// | ecs ListTaskDefinitions                  | taskDefinitionArns | 100 | 100     | ECS API Reference, ListTaskDefinitions    |
// | ecs ListTaskDefinitionFamilies           | families           | 100 | 100     | ECS API Reference, ListTaskDefinitionFamilies |
// | ecs ListServices                         | serviceArns        | 100 | **10**  | ECS API Reference, ListServices           |
// | ecs ListClusters                         | clusterArns        | 100 | 100     | ECS API Reference, ListClusters           |
// | application-autoscaling DescribeScalableTargets  | ScalableTargets  | 50 | 50 | AAS API Reference, DescribeScalableTargets |
// | application-autoscaling DescribeScalingPolicies  | ScalingPolicies  | **10** | **10** | AAS API Reference, DescribeScalingPolicies |
// | application-autoscaling DescribeScheduledActions | ScheduledActions | 50 | 50 | AAS API Reference, DescribeScheduledActions |
// DescribeScalingPolicies pages by 10, not 50: "This value can be between 1 and 10. The default value
// is 10." (application-auto-scaling-2016-02-06.json, DescribeScalingPoliciesRequest.MaxResults).
// ELBv2 is not paged here: the operator names the target groups it describes (DescribeTargetGroups
// with TargetGroupArns, DescribeTargetHealth per group), which AWS answers in full on one page.
//
// Token buckets, per account and Region (burst = bucket maximum capacity, refill = tokens per second),
// from "Request throttling for the Amazon ECS API",
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/request-throttling.html ("Request Token
// Bucket Sizes and Refill Rates"). All actions of a category share one bucket. Application Auto Scaling
// and ELBv2 publish no such table, so the proxy counts their calls without throttling them.

export interface PagedOperation {
  /** The field of the answer that holds the items. */
  items: string;
  /** Names of the paging members: ECS writes them lowerCamelCase, Application Auto Scaling PascalCase. */
  maxField: 'maxResults' | 'MaxResults';
  tokenField: 'nextToken' | 'NextToken';
  max: number;
  /** Page size when maxResults is absent. */
  defaultSize: number;
}

const ecsPage = (items: string, defaultSize = 100): PagedOperation =>
  ({ items, maxField: 'maxResults', tokenField: 'nextToken', max: 100, defaultSize });
const aasPage = (items: string, max: number): PagedOperation =>
  ({ items, maxField: 'MaxResults', tokenField: 'NextToken', max, defaultSize: max });

/** Paged listings by `api:Operation` (api = the SigV4 signing name). */
export const PAGED: Record<string, PagedOperation> = {
  'ecs:ListTaskDefinitions': ecsPage('taskDefinitionArns'),
  'ecs:ListTaskDefinitionFamilies': ecsPage('families'),
  'ecs:ListServices': ecsPage('serviceArns', 10),
  'ecs:ListClusters': ecsPage('clusterArns'),
  'application-autoscaling:DescribeScalableTargets': aasPage('ScalableTargets', 50),
  'application-autoscaling:DescribeScalingPolicies': aasPage('ScalingPolicies', 10),
  'application-autoscaling:DescribeScheduledActions': aasPage('ScheduledActions', 50),
};

export interface BucketSpec {
  burst: number;
  /** Tokens added per second, before any scale. */
  refill: number;
}

interface Category extends BucketSpec {
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

const ECS_BUCKET_OF = new Map<string, string>(
  Object.entries(ECS_CATEGORIES).flatMap(([name, c]) => c.actions.map((action) => [action, name] as [string, string])),
);

/** The bucket an ECS operation draws from (`ecs:service-read`), or undefined when none is published. */
export function bucketOf(api: string, operation: string): { name: string; spec: BucketSpec } | undefined {
  if (api !== 'ecs') return undefined;
  const name = ECS_BUCKET_OF.get(operation);
  return name ? { name: `ecs:${name}`, spec: ECS_CATEGORIES[name]! } : undefined;
}
