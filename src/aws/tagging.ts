// The tag calls every port that owns taggable resources has (ECS clusters and services, Application
// Auto Scaling's scalable targets), in the operator's flat form: a map of key to value.

export interface TaggingPort {
  /** The resource's tags as AWS has them now (ListTagsForResource). */
  listTags(arn: string): Promise<Record<string, string>>;
  /** Idempotent: sets these keys to these values. */
  tagResource(arn: string, tags: Record<string, string>): Promise<void>;
  /** Idempotent: removes these keys (a key already gone changes nothing). */
  untagResource(arn: string, keys: string[]): Promise<void>;
}
