// Test helpers: load manifests given as inline text, and print diagnostics the way the CLI does.
import { formatDiagnostic, type Diagnostic } from '../../src/core/types.js';
import { loadRevision, type LoadOptions, type LoadResult } from '../../src/desired/load.js';
import { KIND_REGISTRY } from '../../src/kinds/registry.js';

/** Loads files given as { path: text }. */
export function load(files: Record<string, string>, options?: LoadOptions): LoadResult {
  return loadRevision({ info: { id: 'test', source: 'test' }, files: new Map(Object.entries(files)) }, KIND_REGISTRY.rules, options);
}

/** `file:line:col: message (at path)` lines. */
export function lines(list: Diagnostic[]): string[] {
  return list.map(formatDiagnostic);
}

/** A document: the envelope around a spec, with optional metadata lines (YAML, indented by two). */
export function doc(kind: string, name: string, spec: string, metadata = ''): string {
  const indented = spec.trim().split('\n').map((l) => `  ${l}`).join('\n');
  return `apiVersion: ecs-operator.dev/v1alpha1\nkind: ${kind}\nmetadata:\n  name: ${name}\n${metadata}spec:\n${indented}\n`;
}

/** A target group ARN as Elastic Load Balancing writes them. */
export const TG_ARN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef';

export const FARGATE_TD = `requiresCompatibilities: [FARGATE]
networkMode: awsvpc
cpu: "256"
memory: "512"
containerDefinitions:
  - name: web
    image: nginx
    portMappings: [{containerPort: 80}]`;

export const FARGATE_SERVICE = `cluster: prod
taskDefinition: web
launchType: FARGATE
networkConfiguration:
  awsvpcConfiguration: {subnets: [subnet-1]}`;

/** A task definition for EC2 (bridge network): no network configuration needed by its services. */
export const EC2_TD = `containerDefinitions:
  - {name: web, image: nginx, memory: 128, portMappings: [{containerPort: 80}]}`;
