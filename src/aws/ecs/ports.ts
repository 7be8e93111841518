// Amazon ECS as the kinds see it: one port per resource kind (clusters, services, task definitions),
// each with its own cache, over one client.
import type { ECSClient } from '@aws-sdk/client-ecs';
import { SdkClusters, type ClusterPort } from './clusters.js';
import { SdkServices, type ServicePort } from './services.js';
import { SdkTaskDefinitions, type TaskDefinitionPort } from './task-definitions.js';

export interface EcsPorts {
  clusters: ClusterPort;
  services: ServicePort;
  taskDefinitions: TaskDefinitionPort;
}

/**
 * The three ports on `client`; `once` is the same client without the SDK's retries, for the one
 * write that is not idempotent (see SdkTaskDefinitions).
 */
export function ecsPorts(client: ECSClient, once: ECSClient = client): EcsPorts {
  return { clusters: new SdkClusters(client), services: new SdkServices(client), taskDefinitions: new SdkTaskDefinitions(client, once) };
}
