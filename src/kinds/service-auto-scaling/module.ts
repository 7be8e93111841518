// The ServiceAutoScaling kind, as the registry knows it: created after the service it scales; no
// handler without the Application Auto Scaling port.
import type { AwsPorts } from '../aws-ports.js';
import type { KindModule } from '../kind-module.js';
import { serviceAutoScalingHandler } from './handler.js';
import { serviceAutoScalingManifest } from './manifest.js';

export const serviceAutoScalingModule = {
  kind: 'ServiceAutoScaling',
  createdAfter: ['Service'],
  rules: serviceAutoScalingManifest,
  handler: ({ autoscaling }: AwsPorts) => (autoscaling ? serviceAutoScalingHandler(autoscaling) : undefined),
} as const satisfies KindModule<AwsPorts>;
