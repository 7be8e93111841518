// The TaskDefinition kind, as the registry knows it.
import type { AwsPorts } from '../aws-ports.js';
import type { KindModule } from '../kind-module.js';
import { taskDefinitionHandler } from './handler.js';
import { taskDefinitionManifest } from './manifest.js';

export const taskDefinitionModule = {
  kind: 'TaskDefinition',
  createdAfter: [],
  rules: taskDefinitionManifest,
  handler: ({ ecs }: AwsPorts) => taskDefinitionHandler(ecs.taskDefinitions),
} as const satisfies KindModule<AwsPorts>;
