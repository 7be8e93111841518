// Whether a service is what the manifest asks for, which differences UpdateService can fix and which
// need the service replaced (never done silently), and the UpdateService input that fixes the rest.
import type { JsonObject } from '../../core/types.js';
import type { Difference } from '../../diff/types.js';
import { asObject, cloneJson, jsonEqual } from '../../normalize/common.js';
import { compareNormalized, topMember, type Comparison } from '../../diff/compare.js';
import { alignNamespace } from '../../normalize/references.js';
import { resolveRef, specSchemaOf } from '../../normalize/schema.js';
import { dropServerComputed, type ServerComputed } from '../../normalize/server-computed.js';
import { normalizeServiceSpec, SERVICE_INPUT_MEMBERS, type ServiceNormalizeOptions } from './normalize.js';

/**
 * Fields AWS computes when CreateService leaves them out, with a value the input cannot predict:
 * compared only when the manifest sets them (after normalization's defaults).
 */
export const SERVICE_SERVER_COMPUTED: readonly ServerComputed[] = [
  { path: '/serviceName', why: 'defaults to metadata.name; the live service was looked up by that name' },
  {
    path: '/launchType',
    alsoWhenDesiredLacks: ['/capacityProviderStrategy'],
    why: 'EC2, or none when the cluster has a default capacity provider strategy',
  },
  { path: '/capacityProviderStrategy', alsoWhenDesiredLacks: ['/launchType'], why: "copied from the cluster's default strategy" },
  { path: '/platformVersion', why: 'set by ECS when the launch type comes from the cluster strategy' },
  { path: '/role', why: 'the service-linked role AWSServiceRoleForECS when a load balancer is used' },
  { path: '/availabilityZoneRebalancing', why: 'ENABLED for services created since late 2024, DISABLED before' },
  { path: '/desiredCount', why: 'defaulted by ECS when the input omits it' },
  { path: '/deploymentConfiguration/strategy', why: 'ROLLING, returned since native blue/green deployments (2025)' },
  { path: '/deploymentConfiguration/bakeTimeInMinutes', why: 'returned with strategy (0 for ROLLING)' },
  { path: '/deploymentConfiguration/linearConfiguration', why: 'defaults filled for the LINEAR strategy' },
  { path: '/deploymentConfiguration/canaryConfiguration', why: 'defaults filled for the CANARY strategy' },
  { path: '/serviceConnectConfiguration/services/*/clientAliases/*/dnsName', why: 'discoveryName.namespace by default' },
  { path: '/volumeConfigurations/*/managedEBSVolume/volumeType', why: 'gp3 by default' },
  { path: '/volumeConfigurations/*/managedEBSVolume/filesystemType', why: 'xfs (Linux) by default' },
  { path: '/volumeConfigurations/*/managedEBSVolume/iops', why: 'the volume type baseline (3000 for gp3)' },
  { path: '/volumeConfigurations/*/managedEBSVolume/throughput', why: 'the volume type baseline (125 for gp3)' },
];

/**
 * CreateService members UpdateService does not take, as the generated schema lists them in
 * x-create-only (serviceName and tags are not: identity and TagResource); used when it is missing.
 */
const FALLBACK_CREATE_ONLY = ['launchType', 'role', 'schedulingStrategy'];
/** Changed through TagResource/UntagResource, or never compared: not a replacement. */
const NOT_REPLACEMENT = new Set(['tags', 'clientToken']);
/** The service's identity: a different value names another service, so it is a replacement too. */
const IDENTITY = ['cluster', 'serviceName'];

const replacementMembers = new WeakMap<object, ReadonlySet<string>>();
const NO_SCHEMA = {};

/** Members a change of which requires replacing the service (worked out once per schema). */
export function serviceReplacementMembers(): ReadonlySet<string> {
  const schema = specSchemaOf('Service');
  let members = replacementMembers.get(schema ?? NO_SCHEMA);
  if (!members) {
    const listed = schema ? resolveRef(schema.root, schema.spec)['x-create-only'] : undefined;
    const createOnly = Array.isArray(listed) ? listed : FALLBACK_CREATE_ONLY;
    members = new Set([...createOnly, ...IDENTITY].filter((m) => !NOT_REPLACEMENT.has(m)));
    replacementMembers.set(schema ?? NO_SCHEMA, members);
  }
  return members;
}

export interface ServiceComparison extends Comparison {
  /** The differences (a subset of `differences`) in create-only fields: Stalled, "requires replacement". */
  requiresReplacement: Difference[];
}

/**
 * Normalizes the desired spec (taskDefinition already resolved to an ARN) and the live one
 * (liveServiceSpec), and compares them. `differences` lists every difference, tags included (fixed
 * with TagResource/UntagResource); `requiresReplacement` those UpdateService cannot make: a change of
 * launchType, role, schedulingStrategy (the schema's x-create-only), cluster or serviceName. Leaving
 * a launch type for a capacity provider strategy is an update (UpdateService supports it); going
 * from one launch type to another, or from a strategy back to a launch type, is a replacement.
 */
export function diffService(
  desiredSpec: JsonObject,
  liveSpec: JsonObject,
  ignore: readonly string[],
  options: ServiceNormalizeOptions,
): ServiceComparison {
  return compareService(normalizeServiceSpec(desiredSpec, options), liveSpec, ignore, options);
}

/** diffService on a desired spec normalized already (normalizeServiceSpec with the same options); pure. */
export function compareService(
  desired: JsonObject,
  liveSpec: JsonObject,
  ignore: readonly string[],
  options: ServiceNormalizeOptions,
): ServiceComparison {
  const live = alignNamespace(desired, normalizeServiceSpec(liveSpec, options), 'serviceConnectConfiguration');
  const comparison = compareNormalized(desired, live, ignore, SERVICE_SERVER_COMPUTED);
  const replacement = serviceReplacementMembers();
  // UpdateService moves a service from a launch type to a capacity provider strategy: a launch type
  // that is only going away in favour of a strategy is an update, not a replacement.
  const toStrategy = desired.launchType === undefined && desired.capacityProviderStrategy !== undefined;
  const requiresReplacement = comparison.differences.filter(
    (d) => replacement.has(topMember(d.path)) && !(toStrategy && d.path === '/launchType'),
  );
  return { ...comparison, requiresReplacement };
}

/** What a member left out of the manifest is set to, so that removing it from Git removes it live. */
const RESETS: JsonObject = {
  loadBalancers: [],
  serviceRegistries: [],
  placementConstraints: [],
  placementStrategy: [],
  volumeConfigurations: [],
  vpcLatticeConfigurations: [],
  serviceConnectConfiguration: { enabled: false },
};
const NEVER_SENT = new Set(['cluster', 'serviceName', 'tags', 'clientToken']);

function updatableMembers(): string[] {
  const schema = specSchemaOf('Service');
  const properties = schema ? Object.keys(resolveRef(schema.root, schema.spec).properties ?? {}) : SERVICE_INPUT_MEMBERS;
  const createOnly = serviceReplacementMembers();
  return properties.filter((m) => !createOnly.has(m) && !NEVER_SENT.has(m)).sort();
}

/**
 * The UpdateService input that makes the live service what `desiredSpec` asks for: `service` and
 * `cluster` (as written), plus each member UpdateService accepts whose normalized desired value
 * (AWS's defaults written in) differs from the live one, `options.live` being the liveServiceSpec;
 * members equal on both sides are not sent (on a CODE_DEPLOY service AWS refuses even unchanged
 * network parameters). A member the manifest leaves out is sent only to undo a live value: its
 * default (propagateTags NONE, ...) or, for lists, an empty list and, for service connect,
 * `{enabled: false}`. desiredCount is left out when autoscaled; server-computed members the manifest
 * leaves out are not sent. `desiredSpec.serviceName` must be set (the loader defaults it to
 * metadata.name); a TypeError otherwise.
 */
export function serviceUpdateInput(
  desiredSpec: JsonObject,
  options: ServiceNormalizeOptions & { live: JsonObject },
): JsonObject {
  const desired = normalizeServiceSpec(desiredSpec, options);
  // Compared as diffService compares: server-computed fields the manifest leaves out are AWS's.
  const aligned = alignNamespace(desired, normalizeServiceSpec(options.live, options), 'serviceConnectConfiguration');
  const live = dropServerComputed(desired, aligned, SERVICE_SERVER_COMPUTED);
  if (typeof desiredSpec.serviceName !== 'string') throw new TypeError('serviceUpdateInput: desiredSpec.serviceName must be set');
  const input: JsonObject = { service: desiredSpec.serviceName };
  if (typeof desiredSpec.cluster === 'string') input.cluster = desiredSpec.cluster;
  for (const member of updatableMembers()) {
    const want = desired[member];
    if (want !== undefined) {
      if (!jsonEqual(live[member], want)) input[member] = want;
      continue;
    }
    const reset = RESETS[member];
    if (reset !== undefined && live[member] !== undefined) input[member] = cloneJson(reset);
  }
  // DeploymentAlarms requires alarmNames, which normalization drops when empty.
  const alarms = asObject(asObject(input.deploymentConfiguration)?.alarms);
  if (alarms && alarms.alarmNames === undefined) alarms.alarmNames = [];
  return input;
}
