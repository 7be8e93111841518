// ECS's tag calls on one client, for the ports whose resources carry tags. Each port keeps its own
// cached descriptions' tags true after these (retag), so that no re-read is needed.
import { ListTagsForResourceCommand, TagResourceCommand, UntagResourceCommand, type ECSClient, type Tag } from '@aws-sdk/client-ecs';
import { awsCall } from '../errors.js';
import type { TaggingPort } from '../tagging.js';

/** How a cached description's tags change: the tags read, or the keys set or removed. */
export type TagChange = (tags: Tag[]) => Tag[];

/** ECS's flat tag list ({key, value}) as a map. */
export function tagMap(tags: readonly Tag[]): Record<string, string> {
  return Object.fromEntries(tags.filter((t) => t.key !== undefined).map((t) => [t.key!, t.value ?? '']));
}

/** TaggingPort on an ECS client; every read and write is also told to `retag` (the port's cache). */
export abstract class EcsTagged implements TaggingPort {
  constructor(protected readonly client: ECSClient) {}

  /** Applies a tag read or write to the cached description of `arn`, if there is one. */
  protected abstract retag(arn: string, change: TagChange): void;

  async listTags(arn: string): Promise<Record<string, string>> {
    const out = await awsCall('ListTagsForResource', () => this.client.send(new ListTagsForResourceCommand({ resourceArn: arn })));
    const tags = out.tags ?? [];
    this.retag(arn, () => tags);
    return tagMap(tags);
  }

  async tagResource(arn: string, tags: Record<string, string>): Promise<void> {
    // Idempotent: it sets these keys to these values.
    const list = Object.entries(tags).map(([key, value]) => ({ key, value }));
    await awsCall('TagResource', () => this.client.send(new TagResourceCommand({ resourceArn: arn, tags: list })));
    this.retag(arn, (current) => [...current.filter((t) => t.key === undefined || !(t.key in tags)), ...list]);
  }

  async untagResource(arn: string, keys: string[]): Promise<void> {
    // Idempotent: removing a key that is gone changes nothing.
    await awsCall('UntagResource', () => this.client.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: keys })));
    this.retag(arn, (current) => current.filter((t) => t.key === undefined || !keys.includes(t.key)));
  }
}
