// The kind registry: the one list of the kinds the operator reconciles. Adding a kind is one folder
// under src/kinds/ exporting its KindModule, and one line here (see ARCHITECTURE.md).
import type { Kind } from '../core/types.js';
import type { AwsPorts } from './aws-ports.js';
import { KindRegistry, kindModules } from './kind-module.js';
import { clusterModule } from './cluster/module.js';
import { serviceAutoScalingModule } from './service-auto-scaling/module.js';
import { serviceModule } from './service/module.js';
import { taskDefinitionModule } from './task-definition/module.js';

export type { AwsPorts };

/** Every kind, by name (the order written here means nothing: see KindRegistry.kinds). */
export const KIND_MODULES = kindModules<AwsPorts>()({
  Cluster: clusterModule,
  TaskDefinition: taskDefinitionModule,
  Service: serviceModule,
  ServiceAutoScaling: serviceAutoScalingModule,
});

/** The product's kinds' names. */
export type ProductKind = keyof typeof KIND_MODULES;

/** The product's kinds, ordered, with their rulebook and handlers. */
export const KIND_REGISTRY = new KindRegistry<AwsPorts>(KIND_MODULES);

/** The product's kinds in creation order (dependencies first). */
export const KIND_ORDER: readonly Kind[] = KIND_REGISTRY.kinds;

/** Every kind's handler bound to the AWS ports, in creation order. */
export function createHandlers(ports: AwsPorts) {
  return KIND_REGISTRY.handlers(ports);
}
