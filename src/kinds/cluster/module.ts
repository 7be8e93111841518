// The Cluster kind, as the registry knows it.
import type { AwsPorts } from '../aws-ports.js';
import type { KindModule } from '../kind-module.js';
import { clusterHandler } from './handler.js';
import { clusterManifest } from './manifest.js';

export const clusterModule = {
  kind: 'Cluster',
  createdAfter: [],
  rules: clusterManifest,
  handler: ({ ecs }: AwsPorts) => clusterHandler(ecs.clusters, ecs.services),
} as const satisfies KindModule<AwsPorts>;
