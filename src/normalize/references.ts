// References written either as a name or as an ARN: the operator compares what they name, not how
// they are spelled. Parsing only, no lookups: anything that needs AWS to resolve stays with callers.
import type { JsonObject } from '../core/types.js';
import { asObject } from './common.js';

/** Where an ARN's resource part starts (after the fifth colon), or -1 when `value` is not an ARN. */
function resourceStart(value: string): number {
  if (!value.startsWith('arn:') || value[4] === ':') return -1;
  let at = 3;
  for (let colons = 1; colons < 5; colons++) {
    at = value.indexOf(':', at + 1);
    if (at < 0) return -1;
  }
  return at + 1 < value.length ? at + 1 : -1;
}

/** Whether `value` is an ARN (`arn:partition:service:region:account:resource`). */
export function isArn(value: string): boolean {
  return resourceStart(value) >= 0;
}

/** The resource part of an ARN (`cluster/prod`), or the value itself when it is not an ARN. */
export function arnResource(value: string): string {
  const start = resourceStart(value);
  return start < 0 ? value : value.slice(start);
}

/** The cluster ECS uses when a request names none. */
export const DEFAULT_CLUSTER = 'default';

/**
 * The name of an ECS cluster given as a name or an ARN: `arn:aws:ecs:us-east-1:123:cluster/prod`
 * and `prod` both give `prod`.
 */
export function clusterName(value: string): string {
  const resource = arnResource(value);
  return isArn(value) && resource.startsWith('cluster/') ? resource.slice('cluster/'.length) : resource;
}

/**
 * The name of an IAM role given as a name, `/path/name` or an ARN. IAM role names are unique in an
 * account whatever their path, so the last segment identifies the role: `ecsServiceRole`,
 * `/ecs/ecsServiceRole` and `arn:aws:iam::123:role/ecs/ecsServiceRole` all give `ecsServiceRole`.
 */
export function roleName(value: string): string {
  const resource = arnResource(value);
  const slash = resource.lastIndexOf('/');
  return slash >= 0 ? resource.slice(slash + 1) : resource;
}

/**
 * Cloud Map namespaces: inputs take a name or an ARN, AWS returns the ARN, and its last segment is
 * the namespace ID (`ns-...`), not the name, so a name cannot be matched to an ARN without a Cloud
 * Map lookup. When the desired `<member>.namespace` is a name and the live one an ARN, the live copy
 * returned here carries the desired name: the pair is treated as equal (the normal shape of a
 * namespace written by name). ARN against ARN and name against name compare exactly, so callers that
 * resolve names to ARNs first (as they do for task definitions) also catch a change of namespace.
 */
export function alignNamespace(desired: JsonObject, live: JsonObject, member: string): JsonObject {
  const want = asObject(desired[member])?.namespace;
  const have = asObject(live[member]);
  const got = have?.namespace;
  if (typeof want !== 'string' || typeof got !== 'string' || isArn(want) || !isArn(got)) return live;
  return { ...live, [member]: { ...have, namespace: want } };
}
