// Every kind's handler, bound to the AWS ports. main wires these into the controller.
import type { EcsPort } from '../aws/ecs.js';
import type { KindHandler } from '../runtime/kind-handler.js';
import { clusterHandler } from './cluster/machine.js';
import { serviceHandler } from './service/machine.js';
import { taskDefinitionHandler } from './task-definition/machine.js';

export interface AwsPorts {
  ecs: EcsPort;
}

export function createHandlers(ports: AwsPorts): KindHandler[] {
  return [clusterHandler(ports.ecs), taskDefinitionHandler(ports.ecs), serviceHandler(ports.ecs)];
}
