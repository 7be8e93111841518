// Which ACTIVE revision a TaskDefinition manifest uses when the family's latest is not what it asks
// for: the newest other ACTIVE revision equal to it, so that a `git revert` to the content of an
// older revision registers nothing and its services move back to that revision. Found cheaply: the
// family's ACTIVE revisions are listed (one call a page) only when the latest differs, each
// candidate's description comes from the cache when it has been seen (descriptions are cached
// forever by ARN), and its content-hash tag spares a field-by-field comparison. The answer is kept
// while the family's latest and the manifest stay the same, so the passes after a rollback read no
// more than the passes before it.
import type { DesiredResource } from '../../core/types.js';
import type { TaskDefinitionPort } from '../../aws/ecs/task-definitions.js';
import { familyRevisionOf } from '../../aws/ecs/task-definition-cache.js';
import { TAG_CONTENT_HASH } from '../../core/tags.js';
import { taskDefinitionContentHash } from './normalize.js';
import { taskDefinitionObservation, type EqualRevision, type TaskDefinitionObservation } from './observe.js';

/** Whether an observed revision is what the manifest asks for (the kind's plan decides). */
export type EqualsManifest = (resource: DesiredResource, observation: TaskDefinitionObservation) => boolean;

interface Found {
  latestArn: string;
  manifestHash: string;
  arn: string;
}

export class RevisionReuse implements EqualRevision {
  /** By family: the revision reused, and what it was found for. */
  private readonly found = new Map<string, Found>();

  constructor(private readonly port: TaskDefinitionPort, readonly equals: EqualsManifest) {}

  /**
   * The newest ACTIVE revision of `family` other than `latestArn` that equals the manifest, if any.
   * Revisions the operator registered carry their content hash: a tag equal to the manifest's means
   * equal; any other revision (registered elsewhere, or with other tags) is compared in full.
   */
  async equalRevision(resource: DesiredResource, family: string, latestArn: string): Promise<TaskDefinitionObservation | undefined> {
    const known = this.found.get(family);
    if (known && known.latestArn === latestArn && known.manifestHash === resource.hash) {
      // Nothing was registered since, and the manifest is the same: the same answer, unless the
      // operator itself deregistered that revision meanwhile (the cached status follows it).
      const kept = taskDefinitionObservation(await this.port.describeTaskDefinition(known.arn));
      if (kept.exists && kept.live?.status === 'ACTIVE') return kept;
    }
    this.found.delete(family);
    const revision = (arn: string) => familyRevisionOf(arn).revision ?? 0;
    const candidates = (await this.port.listTaskDefinitionArns(family, 'ACTIVE'))
      .filter((arn) => arn !== latestArn)
      .sort((a, b) => revision(b) - revision(a));
    const contentHash = taskDefinitionContentHash(resource.manifest.spec);
    for (const arn of candidates) {
      const observation = taskDefinitionObservation(await this.port.describeTaskDefinition(arn));
      if (!observation.exists) continue;
      if (observation.tags?.[TAG_CONTENT_HASH] === contentHash || this.equals(resource, observation)) {
        this.found.set(family, { latestArn, manifestHash: resource.hash, arn });
        return observation;
      }
    }
    return undefined;
  }
}
