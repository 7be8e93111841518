// The vocabulary shared by every stage: kinds, resource keys, manifests, diagnostics and revisions.
// Nothing here does I/O; every other module may import it.

export const API_VERSION = 'ecs-operator.dev/v1alpha1';
export const ANNOTATION_PREFIX = 'ecs-operator.dev/';

/**
 * A kind's name (`Cluster`, `Service`...). Which kinds there are, and in which order they are created,
 * is the kind registry's (src/kinds/registry.ts) alone: each stage is handed the kinds it serves.
 */
export type Kind = string;

/** `Kind/name`: the only thing the work queue holds. */
export type ResourceKey = `${Kind}/${string}`;

export function resourceKey(kind: Kind, name: string): ResourceKey {
  return `${kind}/${name}`;
}

/** Whether `value` has the shape of a resource key (`Kind/name`: a kind, a slash and a name). */
export function isResourceKey(value: string): value is ResourceKey {
  const slash = value.indexOf('/');
  return slash > 0 && slash < value.length - 1;
}

export function parseResourceKey(key: ResourceKey): { kind: Kind; name: string } {
  const slash = key.indexOf('/');
  return { kind: key.slice(0, slash), name: key.slice(slash + 1) };
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface ObjectReference {
  kind: Kind;
  name: string;
}

export interface ManifestMetadata {
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  dependsOn?: ObjectReference[];
}

/** A manifest as written, after YAML/JSON parsing, null removal and read-only field stripping. */
export interface Manifest {
  apiVersion: typeof API_VERSION;
  kind: Kind;
  metadata: ManifestMetadata;
  spec: JsonObject;
}

/** Where something was written: 1-based line and column. */
export interface SourcePosition {
  file: string;
  line: number;
  col: number;
}

export type Severity = 'error' | 'warning';

/** One finding about the manifests, printed as `file:line:col: message (at path)`. */
export interface Diagnostic extends SourcePosition {
  severity: Severity;
  /** JSON pointer into the document (`/spec/containerDefinitions/0/image`), or '' for the whole file. */
  path: string;
  message: string;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = `${d.file}:${d.line}:${d.col}`;
  const at = d.path ? ` (at ${d.path})` : '';
  const level = d.severity === 'warning' ? 'warning: ' : '';
  return `${where}: ${level}${d.message}${at}`;
}

/** What to do with a live change that Git did not ask for. */
export type DriftPolicy = 'heal' | 'alert' | 'ignore';

/** The drift policy in force for a resource: its annotation, else the operator-wide default. */
export function effectiveDriftPolicy(resource: Pick<DesiredResource, 'policy'>, operatorDefault: DriftPolicy): DriftPolicy {
  return resource.policy.drift ?? operatorDefault;
}

/** Per-resource behaviour read from annotations, with defaults applied. */
export interface ResourcePolicy {
  drift: DriftPolicy | undefined; // undefined: use the operator-wide default
  /** JSON pointers into spec that are never compared. */
  ignoreDifferences: string[];
  /** false: never deleted, even when the manifest is removed and prune is on. */
  prune: boolean;
  /** The prune annotation says "true": deleted when its manifest is removed even if it was adopted. */
  pruneAdopted?: boolean;
}

/** One validated resource of a revision. */
export interface DesiredResource {
  key: ResourceKey;
  kind: Kind;
  name: string;
  manifest: Manifest;
  /** Where the document starts. */
  source: SourcePosition;
  /** Keys this resource must wait for: references in spec plus metadata.dependsOn. */
  dependsOn: ResourceKey[];
  policy: ResourcePolicy;
  /** Stable digest of kind, name and spec: what is applied (annotations change behaviour, not AWS). */
  hash: string;
}

/** A fully valid revision: every resource, references resolved, in dependency order. */
export interface DesiredState {
  revision: RevisionInfo;
  resources: Map<ResourceKey, DesiredResource>;
  /** Topological order: dependencies first. */
  order: ResourceKey[];
  warnings: Diagnostic[];
}

/** Where a revision came from, carried into status and events. */
export interface RevisionInfo {
  /** A commit SHA for Git, a content digest for a folder. */
  id: string;
  source: string;
  message?: string;
  author?: string;
  fetchedAt?: string;
}

/** A snapshot of the manifest files of a source. Paths are relative to the source root, with '/'. */
export interface Revision {
  info: RevisionInfo;
  files: Map<string, string>;
  /** Files that could not be read at all (too large, unreadable), reported as errors. */
  unreadable?: Diagnostic[];
}
