// What the multi-account example (examples/accounts) finds in AWS, made in an emulator: the
// operator account's "deploy-roles" stack with the production deploy role's ARN as an output, and in
// each environment's account and Region a VPC with two subnets and the SSM parameter naming them. Used by the demo and the
// tests only; the SDK's environment (AWS_ENDPOINT_URL, credentials) points at the emulator.
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand, EC2Client } from '@aws-sdk/client-ec2';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { targetConfig } from '../aws/targets.js';

/** The production account of the example, and the role the operator assumes there. */
export const PRODUCTION = {
  account: '210987654321',
  region: 'eu-west-1',
  roleArn: 'arn:aws:iam::210987654321:role/ecs-operator-deploy',
  externalId: 'ecs-operator-production',
};
export const STAGING = { region: 'us-east-1' };
export type AccountEnvironment = 'staging' | 'production';

/** An environment's client configuration: staging's is the operator's own account, production's through the role. */
export const configOf = (env: AccountEnvironment) => (env === 'staging' ? STAGING : targetConfig(PRODUCTION));
export const SUBNETS_PARAMETER = '/network/private-subnets';
export const SECURITY_GROUPS_PARAMETER = '/network/app-security-groups';

/** An environment's network: the subnets and security groups its parameters name. */
export interface Network {
  subnets: string[];
  securityGroups: string[];
}

/** SSM in an environment's account and Region (production's through its role). */
export function ssmOf(env: AccountEnvironment): SSMClient {
  return new SSMClient(configOf(env));
}

/** A new VPC with `count` subnets and one security group, in an environment's account and Region. */
export async function createNetwork(env: AccountEnvironment, count: number): Promise<Network> {
  const ec2 = new EC2Client(configOf(env));
  const region = env === 'staging' ? STAGING.region : PRODUCTION.region;
  try {
    const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.1.0.0/16' }))).Vpc!.VpcId!;
    const subnet = async (cidr: string, az: string) => (await ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: cidr, AvailabilityZone: az }))).Subnet!.SubnetId!;
    const subnets = [];
    for (let i = 0; i < count; i++) subnets.push(await subnet(`10.1.${i + 1}.0/24`, `${region}${'abc'[i % 3]}`));
    const group = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'apps', Description: 'app tasks', VpcId: vpc }))).GroupId!;
    return { subnets, securityGroups: [group] };
  } finally {
    ec2.destroy();
  }
}

/** Writes (or overwrites) an environment's network parameters: both, or only the one of a list given. */
export async function putNetwork(env: AccountEnvironment, network: Partial<Network>): Promise<void> {
  const ssm = ssmOf(env);
  const put = (name: string, items: readonly string[]) => ssm.send(new PutParameterCommand({ Name: name, Value: items.join(','), Type: 'StringList', Overwrite: true }));
  try {
    if (network.subnets) await put(SUBNETS_PARAMETER, network.subnets);
    if (network.securityGroups) await put(SECURITY_GROUPS_PARAMETER, network.securityGroups);
  } finally {
    ssm.destroy();
  }
}

/** The stack, networks and parameters examples/accounts reads; the networks made (staging's one subnet, production's two). */
export async function seedAccounts(): Promise<Record<AccountEnvironment, Network>> {
  const networks = { staging: await createNetwork('staging', 1), production: await createNetwork('production', 2) };
  const cfn = new CloudFormationClient(STAGING);
  try {
    await cfn.send(new CreateStackCommand({
      StackName: 'deploy-roles',
      TemplateBody: JSON.stringify({
        Resources: { Handle: { Type: 'AWS::CloudFormation::WaitConditionHandle' } },
        Outputs: { ProductionDeployRoleArn: { Value: PRODUCTION.roleArn } },
      }),
    }));
  } finally {
    cfn.destroy();
  }
  await putNetwork('staging', networks.staging);
  await putNetwork('production', networks.production);
  return networks;
}
