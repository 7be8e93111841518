// Every kind's handler, bound to the AWS ports. main wires these into the controller.
import type { AutoScalingPort } from '../aws/autoscaling.js';
import type { EcsPorts } from '../aws/ecs/ports.js';
import type { Elbv2Port } from '../aws/elbv2.js';
import type { KindHandler } from '../runtime/kind-handler.js';
import { clusterHandler } from './cluster/handler.js';
import { serviceAutoScalingHandler } from './service-auto-scaling/handler.js';
import { serviceHandler } from './service/handler.js';
import { taskDefinitionHandler } from './task-definition/handler.js';

export interface AwsPorts {
  ecs: EcsPorts;
  /** Without it there is no ServiceAutoScaling handler (a revision declaring one cannot be run). */
  autoscaling?: AutoScalingPort;
  /** Without it, services' load balancer bindings are not checked against ELB nor their targets assessed. */
  elbv2?: Elbv2Port;
}

export function createHandlers(ports: AwsPorts): KindHandler[] {
  const { clusters, services, taskDefinitions } = ports.ecs;
  return [
    clusterHandler(clusters, services),
    taskDefinitionHandler(taskDefinitions),
    serviceHandler({ services, clusters, taskDefinitions, ...(ports.elbv2 ? { elbv2: ports.elbv2 } : {}) }),
    ...(ports.autoscaling ? [serviceAutoScalingHandler(ports.autoscaling)] : []),
  ];
}
