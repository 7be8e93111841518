// The contract between the generic loader and each kind's manifest knowledge (src/kinds/<kind>/manifest.ts):
// which fields AWS alone sets, which field names the AWS resource, which fields point at other manifests,
// and the rules the JSON Schema cannot say. The loader knows no kind; a kind knows no parsing.
import type { JsonObject, Kind, Manifest } from '../core/types.js';
import type { SchemaSource } from './schemas.js';
import type { Constraint } from './constraints.js';
import type { DropIn } from './drop-ins.js';
import type { Finding } from './finding.js';

export type { Finding };

/** A spec field that names another manifest. */
export interface Reference {
  /** JSON pointer into the document, e.g. `/spec/taskDefinition`. */
  path: string;
  /** The kind of manifest it names. */
  kind: Kind;
  /** The value written. */
  name: string;
  /** Whether the target's identity field (family, clusterName...) matches too, not only metadata.name. */
  byIdentity: boolean;
  /**
   * Whether an unmatched value names something outside the manifests (an existing cluster, a
   * `family:revision`, an ARN) and is allowed. False: an unmatched value is a "reference to nothing".
   */
  external(name: string): boolean;
  /** Added to the "reference to nothing" error, e.g. how to name something not managed here. */
  hint?: string;
}

/** What a kind's rules may ask about the other manifests of the revision. */
export interface RuleContext {
  /**
   * The schema-valid manifest of `kind` that `name` refers to (by metadata.name, else by identity field),
   * with defaults applied; undefined when none (or it is invalid: its own errors are reported already).
   */
  find(kind: Kind, name: string): Manifest | undefined;
}

/**
 * `schema()`: the kind's manifest JSON Schema (envelope and spec), the same document every call;
 * undefined when it cannot be had (a package without its schemas: loading a manifest of the kind is
 * then an Error).
 */
export interface KindRules extends SchemaSource {
  readonly kind: Kind;
  /** The spec member naming the AWS resource, set to metadata.name when absent (none for some kinds). */
  readonly identityField?: string;
  /**
   * Top-level spec members only AWS sets (in its Describe output, not in the create input): accepted with
   * a warning and dropped, so exported JSON works as a spec.
   */
  readonly readOnlyFields: readonly string[];
  /**
   * A spec written the way a tool exports it (an API's Describe output around the resource, values in
   * a form the API documents differently): the spec to load instead, where its members are written,
   * and what to tell about it. Undefined: the spec is loaded as written.
   */
  dropIn?(spec: JsonObject): DropIn | undefined;
  /** The references written in a spec (only fields holding a string). */
  references(spec: JsonObject): Reference[];
  /**
   * What AWS resource the manifest manages, in words (`serviceName "web" in cluster "prod"`): two manifests
   * of the kind with the same answer would fight over one resource. Undefined: no such check.
   */
  managedResource?(manifest: Manifest, ctx: RuleContext): string | undefined;
  /**
   * The constraints AWS states in prose, as rows (src/desired/constraints.ts): single-field rows are
   * written into the kind's generated schema, the others evaluated by the loader.
   */
  readonly constraints: readonly Constraint[];
  /**
   * Rules beyond the schema and the constraint rows, with defaults applied. They run on every document
   * whose spec is a mapping, schema errors or not: they must tolerate values of any type and never throw.
   */
  check(manifest: Manifest, ctx: RuleContext): Finding[];
}

/**
 * The kinds a load accepts, each with its rules, iterated in creation order (dependencies first).
 * The loader is handed it (by the kind registry, src/kinds/registry.ts): it knows no kind itself.
 */
export type KindRulebook = ReadonlyMap<Kind, KindRules>;
