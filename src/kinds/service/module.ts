// The Service kind, as the registry knows it: created after the cluster it runs in and the task
// definition it runs.
import type { AwsPorts } from '../aws-ports.js';
import type { KindModule } from '../kind-module.js';
import { serviceHandler } from './handler.js';
import { serviceManifest } from './manifest.js';

export const serviceModule = {
  kind: 'Service',
  createdAfter: ['Cluster', 'TaskDefinition'],
  rules: serviceManifest,
  handler: ({ ecs, elbv2 }: AwsPorts) => serviceHandler({ services: ecs.services, clusters: ecs.clusters, taskDefinitions: ecs.taskDefinitions, ...(elbv2 ? { elbv2 } : {}) }),
} as const satisfies KindModule<AwsPorts>;
