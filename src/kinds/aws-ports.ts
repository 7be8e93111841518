// The AWS ports the product kinds' handlers are built over (src/aws's adapters, or fakes in tests).
import type { AutoScalingPort } from '../aws/autoscaling.js';
import type { EcsPorts } from '../aws/ecs/ports.js';
import type { Elbv2Port } from '../aws/elbv2.js';

export interface AwsPorts {
  ecs: EcsPorts;
  /** Without it there is no ServiceAutoScaling handler (a revision declaring one cannot be run). */
  autoscaling?: AutoScalingPort;
  /** Without it, services' load balancer bindings are not checked against ELB nor their targets assessed. */
  elbv2?: Elbv2Port;
}
