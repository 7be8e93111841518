// Test helpers: environments rendered and loaded from files given as inline text, with fake lookups.
import { formatDiagnostic, type Diagnostic, type Manifest } from '../../src/core/types.js';
import { loadEnvironments, type EnvironmentLoad, type EnvironmentsLoad } from '../../src/environments/load.js';
import { processLookups, type AwsLookups, type ValueLookups } from '../../src/environments/lookups.js';
import { KIND_REGISTRY } from '../../src/kinds/registry.js';

export const ENV_HEADER = 'apiVersion: ecs-operator.dev/v1alpha1\nkind: Environment\n';

/** An Environment document: its name and the lines of its spec (YAML, indented by two). */
export function environment(name: string, spec: string): string {
  return `${ENV_HEADER}metadata:\n  name: ${name}\nspec:\n${spec.trim().split('\n').map((l) => `  ${l}`).join('\n')}\n`;
}

/** Renders and loads files given as { path: text }. */
export function render(files: Record<string, string>, lookups: ValueLookups = processLookups([], {}), roots?: string[]): Promise<EnvironmentsLoad> {
  return loadEnvironments({ info: { id: 'test', source: 'test' }, files: new Map(Object.entries(files)) }, { lookups, kinds: KIND_REGISTRY.rules, ...(roots ? { roots } : {}) });
}

/** Every error and warning of a load, as the CLI prints them. */
export function lines(load: EnvironmentsLoad, which: 'errors' | 'warnings' = 'errors'): string[] {
  const all: Diagnostic[] = [...load[which], ...load.environments.flatMap((e) => e.result[which])];
  return all.map(formatDiagnostic);
}

/** An environment of a load by name (undefined: the implicit one). */
export function named(load: EnvironmentsLoad, name?: string): EnvironmentLoad {
  const env = load.environments.find((e) => e.name === name);
  if (!env) throw new Error(`no environment ${name} in ${load.environments.map((e) => e.name).join(', ')}`);
  return env;
}

/** The rendered manifest of a resource of an environment. */
export function manifest(load: EnvironmentsLoad, env: string | undefined, key: string): Manifest {
  const state = named(load, env).result.state;
  if (!state) throw new Error(`environment ${env} is invalid: ${lines(load).join('\n')}`);
  const resource = state.resources.get(key as never);
  if (!resource) throw new Error(`no ${key} in ${[...state.resources.keys()].join(', ')}`);
  return resource.manifest;
}

/** A fake of the AWS lookups port: parameters and stacks by region ('' for no region), and every call made. */
export function fakeAws(data: { parameters?: Record<string, Record<string, { type: 'String' | 'StringList' | 'SecureString'; value: string }>>; stacks?: Record<string, Record<string, Record<string, string>>>; fail?: string }) {
  const calls: Array<{ op: string; names: string[]; account: string; region?: string; roleArn?: string }> = [];
  const aws: AwsLookups = {
    async ssmParameters(names, scope) {
      calls.push({ op: 'GetParameters', names: [...names], account: scope.account, region: scope.region, roleArn: scope.target?.roleArn });
      if (data.fail) throw new Error(data.fail);
      const region = data.parameters?.[scope.region ?? ''] ?? {};
      return new Map(names.filter((n) => region[n]).map((n) => [n, region[n]!]));
    },
    async stackOutputs(stack, scope) {
      calls.push({ op: 'DescribeStacks', names: [stack], account: scope.account, region: scope.region, roleArn: scope.target?.roleArn });
      const outputs = data.stacks?.[scope.region ?? '']?.[stack];
      return outputs ? new Map(Object.entries(outputs)) : undefined;
    },
  };
  return { aws, calls };
}

export const SERVICE = `apiVersion: ecs-operator.dev/v1alpha1
kind: Service
metadata:
  name: web
spec:
  cluster: prod
  taskDefinition: web
  desiredCount: \${{ values.count }}
  launchType: FARGATE
  networkConfiguration:
    awsvpcConfiguration:
      subnets: \${{ values.subnets }}
`;

export const TASK_DEFINITION = `apiVersion: ecs-operator.dev/v1alpha1
kind: TaskDefinition
metadata:
  name: web
spec:
  requiresCompatibilities: [FARGATE]
  networkMode: awsvpc
  cpu: "256"
  memory: "512"
  containerDefinitions:
    - name: web
      image: public.ecr.aws/nginx/nginx:1.27
      portMappings: [{containerPort: 80}]
      environment:
        - {name: LOG_LEVEL, value: info}
        - {name: MODE, value: "\${{ values.mode }}"}
      command: [sh, -c, 'echo \${HOSTNAME} $\${{ literal }} && exec nginx']
    - name: sidecar
      image: public.ecr.aws/docker/library/busybox:1.36
      essential: false
`;
