// Generated manifests for the benchmark and scale tests: one cluster and N services, each with its own task definition.
import type { Revision } from '../core/types.js';

export interface GenerateOptions {
  cluster?: string;
  /** The image of service i, when it should differ from the default. */
  imageFor?: (i: number) => string | undefined;
}

export function generatedRevision(n: number, options: GenerateOptions = {}): Revision {
  const cluster = options.cluster ?? 'bench';
  const files = new Map<string, string>();
  files.set('cluster.yaml', `apiVersion: ecs-operator.dev/v1alpha1\nkind: Cluster\nmetadata: {name: ${cluster}}\nspec: {}\n`);
  for (let i = 0; i < n; i++) {
    const name = `svc-${String(i).padStart(4, '0')}`;
    files.set(`${name}.yaml`, [
      'apiVersion: ecs-operator.dev/v1alpha1',
      'kind: TaskDefinition',
      `metadata: {name: ${name}}`,
      'spec:',
      '  containerDefinitions:',
      `    - {name: app, image: "${options.imageFor?.(i) ?? 'public.ecr.aws/nginx/nginx:1.27'}", memory: 128, portMappings: [{containerPort: 80}]}`,
      '---',
      'apiVersion: ecs-operator.dev/v1alpha1',
      'kind: Service',
      `metadata: {name: ${name}}`,
      `spec: {cluster: ${cluster}, taskDefinition: ${name}, desiredCount: 1}`,
      '',
    ].join('\n'));
  }
  return { info: { id: `generated-${n}`, source: 'generated' }, files };
}
