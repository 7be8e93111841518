// What AWS publishes about its listings, as the AWS-faithful proxy pages them. Its request budgets,
// which the proxy enforces, are the product's table (src/aws/published-buckets.ts), which the
// operator's pacing follows: one transcription of the published figures, checked against them by
// test/aws/published-buckets.test.ts.
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
