// Direct AWS SDK access for tests: to look at what the operator did, and to change things behind its
// back (out-of-band changes, as a person in the console would).
import { DescribeTaskDefinitionCommand, ECSClient, ListClustersCommand, ListServicesCommand, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';

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

/** The image of the first container of the latest revision of `family` ("web" by default). */
export async function latestImage(family = 'web'): Promise<string | undefined> {
  const ecs = ecsClient();
  try {
    return (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: family }))).taskDefinition?.containerDefinitions?.[0]?.image;
  } finally {
    ecs.destroy();
  }
}
