// Every kind's handler, bound to the AWS ports. main wires these into the controller.
import type { AutoScalingPort } from '../aws/autoscaling.js';
import type { EcsPort } from '../aws/ecs.js';
import type { Elbv2Port } from '../aws/elbv2.js';
import type { KindHandler } from '../runtime/kind-handler.js';
import { clusterHandler } from './cluster/machine.js';
import { serviceAutoScalingHandler } from './service-auto-scaling/machine.js';
import { serviceHandler } from './service/machine.js';
import { taskDefinitionHandler } from './task-definition/machine.js';

export interface AwsPorts {
  ecs: EcsPort;
  /** Without it there is no ServiceAutoScaling handler (a revision declaring one cannot be run). */
  autoscaling?: AutoScalingPort;
  /** Without it, services' load balancer bindings are not checked against ELB nor their targets assessed. */
  elbv2?: Elbv2Port;
}

export function createHandlers(ports: AwsPorts): KindHandler[] {
  return [
    clusterHandler(ports.ecs),
    taskDefinitionHandler(ports.ecs),
    serviceHandler(ports.ecs, ports.elbv2),
    ...(ports.autoscaling ? [serviceAutoScalingHandler(ports.autoscaling)] : []),
  ];
}
