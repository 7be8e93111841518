// Composes the four manifest schemas (schemas/<kebab-kind>.schema.json) from the Smithy models: the
// Kubernetes-style envelope, ObjectMeta, each kind's spec built from the AWS input shapes, and the
// x-create-only / x-update-via extensions the reconcilers read; the Environment schema (written in
// src/environments/schema.ts); and the combined one editors use.
import { API_VERSION, type Kind } from '../core/types.js';
import { applyOverrides, loadModel, operationInput, shapeOf, type SmithyModel } from './smithy-model.js';
import { JsonSchemaConverter, type JsonSchema } from './smithy-to-json-schema.js';
import { SCHEMA_OVERRIDES } from './schema-overrides.js';
import { schemaFileOf } from '../normalize/schema.js';
import { KIND_MODULES, KIND_ORDER, type ProductKind } from '../kinds/registry.js';
import { applyConstraints } from './schema-constraints.js';
import { combinedSchema } from './schema-combined.js';
import { ENVIRONMENT_KIND, ENVIRONMENT_SCHEMA_FILE, environmentSchema } from '../environments/schema.js';

const ECS = 'com.amazonaws.ecs#';
const AAS = 'com.amazonaws.applicationautoscaling#';
/** The target's identity: set by the operator from spec.service, never written in a manifest. */
const AAS_TARGET_IDENTITY = ['ServiceNamespace', 'ResourceId', 'ScalableDimension'];

export interface AwsModels {
  ecs: SmithyModel;
  aas: SmithyModel;
}

/** Loads both models from a folder and applies the override list. */
export function loadAwsModels(modelsDir: string): AwsModels {
  return {
    ecs: applyOverrides(loadModel(modelsDir, 'ecs-2014-11-13.json'), SCHEMA_OVERRIDES),
    aas: applyOverrides(loadModel(modelsDir, 'application-auto-scaling-2016-02-06.json'), SCHEMA_OVERRIDES),
  };
}

const lowerFirst = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

function objectMeta(): JsonSchema {
  const stringMap = { type: 'object', additionalProperties: { type: 'string' } };
  return {
    description: 'Identity and behaviour of the manifest (name, labels, annotations, ordering).',
    type: 'object',
    properties: {
      name: { description: 'The manifest name: 1-255 letters, digits, - and _.', type: 'string', pattern: '^[A-Za-z0-9_-]{1,255}$', patternErrorMessage: 'must be 1-255 letters, digits, "-" or "_"' },
      labels: { description: 'Free-form string labels.', ...stringMap },
      annotations: { description: 'String annotations; ecs-operator.dev/* ones change behaviour.', ...stringMap },
      dependsOn: {
        description: 'Manifests to apply before this one, beyond the references in spec.',
        type: 'array',
        items: {
          type: 'object',
          properties: { kind: { type: 'string', enum: [...KIND_ORDER] }, name: { type: 'string' } },
          required: ['kind', 'name'],
          additionalProperties: false,
        },
      },
    },
    required: ['name'],
    additionalProperties: false,
  };
}

function envelope(kind: Kind, spec: JsonSchema, converter: JsonSchemaConverter): JsonSchema {
  const kebab = schemaFileOf(kind).replace('.schema.json', '');
  const definitions: JsonSchema = { ObjectMeta: objectMeta(), [`${kind}Spec`]: spec };
  for (const name of [...converter.definitions.keys()].sort()) definitions[name] = converter.definitions.get(name);
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `https://ecs-operator.dev/schemas/v1alpha1/${kebab}.json`,
    title: kind,
    type: 'object',
    additionalProperties: false,
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: {
      apiVersion: { const: API_VERSION },
      kind: { const: kind },
      metadata: { $ref: '#/definitions/ObjectMeta' },
      spec: { $ref: `#/definitions/${kind}Spec` },
    },
    definitions,
  };
}

function memberNames(model: SmithyModel, id: string): string[] {
  return Object.keys(shapeOf(model, id).members ?? {});
}

/** CreateService members UpdateService (or TagResource, for tags) cannot change: a change needs a new service. */
export function serviceCreateOnly(ecs: SmithyModel): string[] {
  const updatable = new Set([
    ...memberNames(ecs, `${ECS}UpdateServiceRequest`),
    ...Object.keys(operationInput(ecs, `${ECS}TagResource`).members ?? {}),
    'serviceName', 'cluster', 'clientToken',
  ]);
  return memberNames(ecs, `${ECS}CreateServiceRequest`).filter((m) => !updatable.has(m));
}

/** For each CreateCluster member changeable in place, the first operation (in this order) that takes it. */
export function clusterUpdateVia(ecs: SmithyModel): Record<string, string> {
  const operations = ['UpdateCluster', 'UpdateClusterSettings', 'PutClusterCapacityProviders', 'TagResource'];
  const via: Record<string, string> = {};
  for (const member of memberNames(ecs, `${ECS}CreateClusterRequest`)) {
    const op = operations.find((o) => operationInput(ecs, `${ECS}${o}`).members?.[member] !== undefined);
    if (op) via[member] = op;
  }
  return via;
}

function clusterSchema(ecs: SmithyModel): JsonSchema {
  const converter = new JsonSchemaConverter(ecs);
  const spec = converter.structure(`${ECS}CreateClusterRequest`, {
    optional: ['clusterName'],
    description: 'The CreateCluster input; clusterName defaults to metadata.name.',
  });
  return envelope('Cluster', { ...spec, 'x-update-via': clusterUpdateVia(ecs) }, converter);
}

function taskDefinitionSchema(ecs: SmithyModel): JsonSchema {
  const converter = new JsonSchemaConverter(ecs);
  const spec = converter.structure(`${ECS}RegisterTaskDefinitionRequest`, {
    optional: ['family'],
    description: 'The RegisterTaskDefinition input; family defaults to metadata.name.',
  });
  return envelope('TaskDefinition', spec, converter);
}

function serviceSchema(ecs: SmithyModel): JsonSchema {
  const converter = new JsonSchemaConverter(ecs);
  const spec = converter.structure(`${ECS}CreateServiceRequest`, {
    omit: ['clientToken'],
    optional: ['serviceName'],
    description: 'The CreateService input without clientToken (the operator sets it); serviceName defaults to metadata.name.',
  });
  return envelope('Service', { ...spec, 'x-create-only': serviceCreateOnly(ecs) }, converter);
}

function serviceAutoScalingSchema(aas: SmithyModel): JsonSchema {
  const converter = new JsonSchemaConverter(aas, { memberName: lowerFirst });
  const target = shapeOf(aas, `${AAS}RegisterScalableTargetRequest`).members ?? {};
  const pick = (name: string) => {
    const member = target[name];
    if (!member) throw new Error(`RegisterScalableTargetRequest has no member ${name}`);
    return converter.member(member);
  };
  const spec: JsonSchema = {
    description: 'The scalable target of a Service with its scaling policies and scheduled actions.',
    type: 'object',
    properties: {
      service: { description: "The Service manifest's metadata.name.", type: 'string', minLength: 1 },
      minCapacity: pick('MinCapacity'),
      maxCapacity: pick('MaxCapacity'),
      roleARN: pick('RoleARN'),
      suspendedState: pick('SuspendedState'),
      tags: pick('Tags'),
      policies: {
        description: 'PutScalingPolicy inputs, without the target (serviceNamespace, resourceId, scalableDimension).',
        type: 'array',
        items: converter.define(`${AAS}PutScalingPolicyRequest`, { omit: AAS_TARGET_IDENTITY }),
      },
      scheduledActions: {
        description: 'PutScheduledAction inputs, without the target (serviceNamespace, resourceId, scalableDimension).',
        type: 'array',
        items: converter.define(`${AAS}PutScheduledActionRequest`, { omit: AAS_TARGET_IDENTITY }),
      },
    },
    required: ['service', 'minCapacity', 'maxCapacity'],
    additionalProperties: false,
  };
  return envelope('ServiceAutoScaling', spec, converter);
}

/** The combined schema's file: any manifest, its kind's schema chosen by `kind`. */
export const COMBINED_SCHEMA_FILE = 'manifest.schema.json';

/** Every schema file's name and text (pretty JSON with a final newline): the kinds in creation order, Environment, then the combined one. */
export function buildSchemaFiles(models: AwsModels): Map<string, string> {
  // One builder per registered kind: a kind without one does not compile.
  const schemas: Record<ProductKind, JsonSchema> = {
    Cluster: clusterSchema(models.ecs),
    TaskDefinition: taskDefinitionSchema(models.ecs),
    Service: serviceSchema(models.ecs),
    ServiceAutoScaling: serviceAutoScalingSchema(models.aas),
  };
  const kindNames = KIND_ORDER.filter((kind): kind is ProductKind => kind in schemas);
  for (const kind of kindNames) applyConstraints(schemas[kind], KIND_MODULES[kind].rules.constraints);
  const text = (schema: JsonSchema) => `${JSON.stringify(schema, null, 2)}\n`;
  const environment = environmentSchema(KIND_ORDER);
  return new Map([
    ...kindNames.map((kind) => [schemaFileOf(kind), text(schemas[kind])] as const),
    [ENVIRONMENT_SCHEMA_FILE, text(environment)],
    [COMBINED_SCHEMA_FILE, text(combinedSchema({ ...schemas, [ENVIRONMENT_KIND]: environment }))],
  ]);
}
