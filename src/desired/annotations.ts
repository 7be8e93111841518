// Reads the ecs-operator.dev/* annotations of a manifest into its ResourcePolicy, and reports every
// annotation of that prefix that is unknown or malformed. Annotations of other prefixes are left alone.
import { ANNOTATION_PREFIX, type Diagnostic, type DriftPolicy, type ResourcePolicy } from '../core/types.js';
import { didYouMean, orList, show } from './messages.js';
import { formatPointer, parsePointer } from '../normalize/pointer.js';
import type { Locator } from './positions.js';
import { propertyNames, schemaAt, type SchemaSource } from './schemas.js';

export const DRIFT = `${ANNOTATION_PREFIX}drift`;
export const IGNORE_DIFFERENCES = `${ANNOTATION_PREFIX}ignore-differences`;
export const PRUNE = `${ANNOTATION_PREFIX}prune`;
const KNOWN = [DRIFT, IGNORE_DIFFERENCES, PRUNE];
const DRIFT_POLICIES: DriftPolicy[] = ['heal', 'alert', 'ignore'];

export interface PolicyResult {
  policy: ResourcePolicy;
  diagnostics: Diagnostic[];
}

/** The policy of a manifest from its (schema-valid) annotations; defaults: drift undefined, nothing ignored, prune true. */
export function readPolicy(rules: SchemaSource, annotations: Record<string, string> | undefined, locator: Locator): PolicyResult {
  const policy: ResourcePolicy = { drift: undefined, ignoreDifferences: [], prune: true };
  const diagnostics: Diagnostic[] = [];
  for (const [key, value] of Object.entries(annotations ?? {})) {
    if (!key.startsWith(ANNOTATION_PREFIX)) continue;
    const path = `/metadata/annotations${formatPointer([key])}`;
    const fail = (message: string) => diagnostics.push(locator.diagnostic(path, message, 'error', 'value'));
    if (key === DRIFT) {
      if ((DRIFT_POLICIES as string[]).includes(value)) policy.drift = value as DriftPolicy;
      else fail(`${DRIFT} must be ${orList(DRIFT_POLICIES)}; got ${show(value)}${didYouMean(value, DRIFT_POLICIES)}`);
    } else if (key === PRUNE) {
      if (value === 'true' || value === 'false') {
        policy.prune = value === 'true';
        if (value === 'true') policy.pruneAdopted = true;
      } else fail(`${PRUNE} must be "true" or "false", got ${show(value)}`);
    } else if (key === IGNORE_DIFFERENCES) {
      const pointers = value.split(',').map((p) => p.trim()).filter((p) => p !== '');
      for (const pointer of pointers) {
        const problem = checkIgnorePointer(rules, pointer);
        if (problem) fail(`${IGNORE_DIFFERENCES}: ${show(pointer)} ${problem}`);
      }
      policy.ignoreDifferences = pointers;
    } else {
      diagnostics.push(locator.diagnostic(path, `unknown annotation ${show(key)}${didYouMean(key, KNOWN)}`));
    }
  }
  return { policy, diagnostics };
}

/**
 * Why a pointer of ignore-differences cannot match anything in the kind's spec, or undefined when it can.
 * `*` stands for any array index or map key; below a field typed "anything" nothing is checked.
 */
export function checkIgnorePointer(rules: SchemaSource, pointer: string): string | undefined {
  if (!pointer.startsWith('/')) return 'is not a JSON pointer into spec (it must start with "/")';
  if (/~(?![01])/.test(pointer)) return 'is not a valid JSON pointer ("~" must be followed by 0 or 1)';
  const segments = parsePointer(pointer);
  for (let i = 0; i < segments.length; i++) {
    const parent = schemaAt(rules, ['spec', ...segments.slice(0, i)]);
    if (segments[i] === '*' && parent?.type === 'object' && parent.properties) return undefined; // any field: not checked deeper
    if (schemaAt(rules, ['spec', ...segments.slice(0, i + 1)]) === undefined) {
      const segment = segments[i]!;
      if (parent?.type === 'array') return `is not valid: ${show(segment)} must be an array index or "*"`;
      return `names no field of the ${rules.kind} spec${didYouMean(segment, propertyNames(parent))}`;
    }
  }
  return undefined;
}
