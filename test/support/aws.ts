// Direct AWS SDK access for tests: to look at what the operator did, and to change things behind its
// back (out-of-band changes, as a person in the console would).
import {
  DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient, ListClustersCommand, ListServicesCommand, ListTaskDefinitionsCommand,
} from '@aws-sdk/client-ecs';

export function ecsClient(): ECSClient {
  return new ECSClient({});
}

/** Every ECS resource in the account, to check that nothing was written. */
export async function ecsInventory(ecs: ECSClient): Promise<{ clusters: string[]; services: string[]; taskDefinitions: string[] }> {
  const clusters = (await ecs.send(new ListClustersCommand({}))).clusterArns ?? [];
  const services: string[] = [];
  for (const cluster of clusters) services.push(...((await ecs.send(new ListServicesCommand({ cluster }))).serviceArns ?? []));
  const taskDefinitions = (await ecs.send(new ListTaskDefinitionsCommand({}))).taskDefinitionArns ?? [];
  return { clusters, services, taskDefinitions };
}

/** A service's status (ACTIVE, DRAINING, INACTIVE), or undefined when ECS does not know it. */
export async function serviceStatus(cluster: string, name: string): Promise<string | undefined> {
  const ecs = ecsClient();
  try {
    return (await ecs.send(new DescribeServicesCommand({ cluster, services: [name] }))).services?.[0]?.status;
  } finally {
    ecs.destroy();
  }
}

/** The image of the first container of a family's latest revision. */
export async function firstImage(family: string): Promise<string | undefined> {
  const ecs = ecsClient();
  try {
    return (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: family }))).taskDefinition?.containerDefinitions?.[0]?.image;
  } finally {
    ecs.destroy();
  }
}
