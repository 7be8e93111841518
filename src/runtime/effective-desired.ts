// The effective desired state of a resource: its manifest together with what each of its references
// resolves to (the task definition revision a Service runs, the service an auto scaling target
// scales, any dependency's outputs). "Did Git ask for this difference?" is decided on it, and it is
// what the applied-hash tag records on the resource, so that a change arriving through a reference
// is a Git change, before and after a restart. Pure.
import { canonicalJson, sha256Hex } from '../desired/values.js';
import type { DesiredResource, ResourceKey } from '../core/types.js';
import type { Difference } from '../diff/types.js';
import type { ResourceOutputs } from './kind-handler.js';

export interface EffectiveDesired {
  /**
   * The digest of the manifest and its references' outputs: what the applied-hash tag records. For
   * a resource that references nothing it is the manifest's own hash.
   */
  hash: string;
  /** The manifest's own hash (DesiredResource.hash). */
  manifestHash: string;
  /** What each dependency exposes now, as canonical JSON, by key (empty without dependencies). */
  references: Partial<Record<ResourceKey, string>>;
}

/** The effective desired state of `resource`, its dependencies' outputs read through `outputsOf`. */
export function effectiveDesired(
  resource: Pick<DesiredResource, 'hash' | 'dependsOn'>,
  outputsOf: (key: ResourceKey) => ResourceOutputs | undefined,
): EffectiveDesired {
  const references: Partial<Record<ResourceKey, string>> = {};
  for (const key of [...resource.dependsOn].sort()) references[key] = canonicalJson(outputsOf(key) ?? {});
  const hash = resource.dependsOn.length === 0 ? resource.hash : sha256Hex(canonicalJson([resource.hash, references]), 16);
  return { hash, manifestHash: resource.hash, references };
}

/**
 * Whether a recorded applied-hash stands for `effective`. A record that is the manifest's own hash
 * was written before records covered references (or for a resource without any): it counts as
 * current, so that an upgrade never mistakes drift for a Git change; the next write replaces it.
 */
export function recordMatches(recorded: string | undefined, effective: EffectiveDesired): boolean {
  return recorded === effective.hash || recorded === effective.manifestHash;
}

/**
 * Why Git asks for a change, in words, for the log and the CLI: the revision, and which dependency
 * now resolves to what (`TaskDefinition/web is now task-definition/web:3`) or that the manifest
 * itself changed. A dependency is named when its outputs changed since `previous` (what was last
 * applied, when known) or when one of its output values is what a difference asks for (so it is
 * named after a restart too).
 */
export function changeCause(
  previous: EffectiveDesired | undefined, current: EffectiveDesired, revision: string, differences: readonly Difference[] = [],
): string {
  const wanted = new Set(differences.map((d) => d.desired).filter((v): v is string => typeof v === 'string'));
  const parts: string[] = [];
  if (previous && previous.manifestHash !== current.manifestHash) parts.push('the manifest changed');
  for (const [key, text] of Object.entries(current.references) as Array<[ResourceKey, string]>) {
    const outputs = JSON.parse(text) as ResourceOutputs;
    const changed = previous ? previous.references[key] !== text : Object.values(outputs).some((v) => v !== undefined && wanted.has(v));
    if (changed) parts.push(`${key} is now ${outputs.arn ? shortArn(outputs.arn) : 'changed'}`);
  }
  if (parts.length === 0) parts.push(previous ? 'the manifest changed' : 'the manifest or what it references changed');
  return `${gitRevision(revision)}: ${parts.join(', ')}`;
}

/** Why a resource was created: the revision its manifest came with. */
export function creationCause(revision: string): string {
  return `${gitRevision(revision)}: created from the manifest`;
}

const gitRevision = (revision: string) => `Git revision ${revision.slice(0, 12)}`;

/** The resource part of an ARN (`task-definition/web:3`); anything else as it is. */
function shortArn(arn: string): string {
  const parts = arn.split(':');
  return parts[0] === 'arn' && parts.length > 5 ? parts.slice(5).join(':') : arn;
}
