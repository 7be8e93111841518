// The JSON Schema of the Environment kind, written here once: the loader compiles it as it is, and
// `npm run schemas` writes it to schemas/environment.schema.json (and into the combined schema
// editors use), where a test checks it byte for byte. Fields that may hold a `${{ }}` reference
// accept one in the raw document; after values are substituted the same schema checks the result.
import { Ajv, type ValidateFunction } from 'ajv';
import { API_VERSION, type Kind } from '../core/types.js';
import type { JsonSchema } from '../normalize/schema.js';

export const ENVIRONMENT_KIND = 'Environment';
export const ENVIRONMENT_SCHEMA_FILE = 'environment.schema.json';

/** The names values are known by (and the members of a path into a map value). */
export const VALUE_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** How a value read as text (a process variable, a parameter, an output) is typed. */
export const VALUE_TYPES = ['string', 'number', 'boolean', 'list', 'json'] as const;

/** A pattern that also accepts any string holding a reference (checked again once it is substituted). */
const orReference = (body: string) => `^(?:.*\\$\\{\\{.*|${body})$`;

const stringMap = (description: string, values: JsonSchema = { type: 'string' }): JsonSchema => ({ description, type: 'object', additionalProperties: values });

const text = (description: string, extra: JsonSchema = {}): JsonSchema => ({ description, type: 'string', minLength: 1, ...extra });

function objectMeta(): JsonSchema {
  return {
    description: 'Identity of the environment: its name names it in every message, status and event.',
    type: 'object',
    properties: {
      name: { description: 'The environment name: 1-255 letters, digits, - and _.', type: 'string', pattern: '^[A-Za-z0-9_-]{1,255}$', patternErrorMessage: 'must be 1-255 letters, digits, "-" or "_"' },
      labels: stringMap('Free-form string labels.'),
      annotations: stringMap('Free-form string annotations.'),
    },
    required: ['name'],
    additionalProperties: false,
  };
}

function target(): JsonSchema {
  return {
    description: 'The AWS target of the environment: where its manifests are applied.',
    type: 'object',
    properties: {
      region: text('The AWS Region, e.g. eu-west-1; default: the operator\'s own.', { pattern: orReference('[a-z]{2}(?:-[a-z]+)+-\\d+'), patternErrorMessage: 'must be an AWS Region such as "eu-west-1"' }),
      roleArn: text('An IAM role to assume for the target\'s account; default: the operator\'s own credentials.', {
        pattern: orReference('arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}'),
        patternErrorMessage: 'must be an IAM role ARN such as "arn:aws:iam::111122223333:role/deploy"',
      }),
      externalId: text('The external id the role\'s trust policy asks for.', { pattern: orReference('[\\w+=,.@:/-]{2,1224}'), patternErrorMessage: 'must be 2-1224 letters, digits and +=,.@:/-' }),
      instance: text('The ownership scope of the environment\'s resources (the managed-by tag value); default: the environment\'s name.', {
        pattern: orReference('[\\p{L}\\p{N}_.:/=+@-]{1,128}'),
        patternErrorMessage: 'must be 1-128 letters, digits and _.:/=+@-',
      }),
    },
    additionalProperties: false,
  };
}

function valueSource(): JsonSchema {
  return {
    description: 'One value read from where it lives: a process variable (env), an SSM parameter (ssm) or a CloudFormation stack output (cloudFormation); exactly one of them.',
    type: 'object',
    properties: {
      name: { description: 'The value\'s name, as in values.', type: 'string', pattern: VALUE_NAME.source, patternErrorMessage: 'must be letters, digits, "_" and "-", starting with a letter or "_"' },
      env: text('A variable of the operator\'s environment; the operator must allow its name (--allow-env).', { pattern: '^[A-Za-z_][A-Za-z0-9_]*$', patternErrorMessage: 'must be a variable name: letters, digits and "_", not starting with a digit' }),
      ssm: text('The name of an SSM parameter (String or StringList; SecureString is refused: secrets belong in secrets[].valueFrom).'),
      cloudFormation: {
        description: 'An output of a CloudFormation stack.',
        type: 'object',
        properties: { stack: text('The stack name or id.'), output: text('The output key.') },
        required: ['stack', 'output'],
        additionalProperties: false,
      },
      type: { description: 'How the text is read: string (default), number, boolean, list (comma-separated; a StringList parameter is one) or json.', type: 'string', enum: [...VALUE_TYPES] },
      default: { description: 'With env: the value when the variable is not set (typed as written).' },
      region: text('With ssm or cloudFormation: the Region to look in; default: the target\'s (with account: operator, the operator\'s own).', { pattern: '^[a-z]{2}(?:-[a-z]+)+-\\d+$', patternErrorMessage: 'must be an AWS Region such as "eu-west-1"' }),
      account: {
        description: 'With ssm or cloudFormation: look in the target\'s account (default, through its role) or the operator\'s own (needed for a value the target itself uses, such as its role ARN).',
        type: 'string',
        enum: ['target', 'operator'],
      },
    },
    required: ['name'],
    additionalProperties: false,
  };
}

function imageOverride(): JsonSchema {
  return {
    description: 'A new image for every container of this name in the included task definitions: a new tag or digest, and optionally a new repository.',
    type: 'object',
    properties: {
      container: text('The container name (containerDefinitions[].name).'),
      taskDefinition: text('Only in the TaskDefinition manifest of this name; default: every included one.'),
      newName: text('The repository that replaces the image\'s, e.g. public.ecr.aws/nginx/nginx.', { pattern: orReference('[^\\s@]+'), patternErrorMessage: 'must be an image repository, without "@" or spaces' }),
      newTag: text('The tag that replaces the image\'s tag (and digest).', { pattern: orReference('[\\w][\\w.-]{0,127}'), patternErrorMessage: 'must be an image tag: up to 128 letters, digits, "_", "." and "-"' }),
      digest: text('The digest that replaces the image\'s tag and digest.', {
        pattern: orReference('[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-fA-F0-9]{32,}'),
        patternErrorMessage: 'must be a digest such as "sha256:" and 64 hex digits',
      }),
    },
    required: ['container'],
    additionalProperties: false,
  };
}

function patch(kinds: readonly Kind[]): JsonSchema {
  const orNull = { anyOf: [{ type: 'string' }, { type: 'null' }] };
  return {
    description: 'A JSON merge patch (RFC 7386) on one included manifest, chosen by kind and name: null deletes a member; arrays of named items merge item by item by their name (see the README\'s merge keys), and an item with "$patch": delete is removed.',
    type: 'object',
    properties: {
      kind: { description: 'The kind of the manifest to patch.', type: 'string', enum: [...kinds] },
      name: text('The metadata.name of the manifest to patch.'),
      spec: { description: 'Merged into the manifest\'s spec.', type: 'object' },
      metadata: {
        description: 'Merged into the manifest\'s labels and annotations (null deletes one).',
        type: 'object',
        properties: { labels: stringMap('Labels to set or delete.', orNull), annotations: stringMap('Annotations to set or delete.', orNull) },
        additionalProperties: false,
      },
    },
    required: ['kind', 'name'],
    additionalProperties: false,
  };
}

/** The Environment schema document (draft-07); a patch names one of `kinds`. */
export function environmentSchema(kinds: readonly Kind[]): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://ecs-operator.dev/schemas/v1alpha1/environment.json',
    title: ENVIRONMENT_KIND,
    description: 'An environment: the base manifests it includes, typed values, image overrides, patches and its AWS target.',
    type: 'object',
    additionalProperties: false,
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: {
      apiVersion: { const: API_VERSION },
      kind: { const: ENVIRONMENT_KIND },
      metadata: { $ref: '#/definitions/ObjectMeta' },
      spec: { $ref: '#/definitions/EnvironmentSpec' },
    },
    definitions: {
      ObjectMeta: objectMeta(),
      EnvironmentSpec: {
        description: 'What the environment is made of.',
        type: 'object',
        properties: {
          include: {
            description: 'Folders (at any depth) or files of base manifests, relative to this file and inside the source.',
            type: 'array',
            minItems: 1,
            items: text('A relative path.'),
          },
          values: { description: 'Typed values (strings, numbers, booleans, lists, maps) that manifests refer to as ${{ values.NAME }}.', type: 'object' },
          valuesFrom: { description: 'Values read from where they live.', type: 'array', items: { $ref: '#/definitions/ValueSource' } },
          images: { description: 'Image overrides by container name.', type: 'array', items: { $ref: '#/definitions/ImageOverride' } },
          patches: { description: 'Patches on included manifests, applied in order.', type: 'array', items: { $ref: '#/definitions/Patch' } },
          target: { $ref: '#/definitions/Target' },
        },
        required: ['include'],
        additionalProperties: false,
      },
      ValueSource: valueSource(),
      ImageOverride: imageOverride(),
      Patch: patch(kinds),
      Target: target(),
    },
  };
}

const validators = new Map<string, ValidateFunction>();

/** The compiled Environment validator for these kinds (compiled on first use, as strictly as the kinds' schemas). */
export function environmentValidator(kinds: readonly Kind[]): ValidateFunction {
  const key = kinds.join('\0');
  let validator = validators.get(key);
  if (!validator) {
    validator = new Ajv({ allErrors: true, verbose: true, strict: true }).addVocabulary(['patternErrorMessage']).compile(environmentSchema(kinds));
    validators.set(key, validator);
  }
  return validator;
}
