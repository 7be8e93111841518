// The AWS account the example manifests assume, made in an emulator: a VPC with two subnets, a
// security group and the web target group. Their IDs are random there, so the examples' IDs are
// rewritten into a copy of the manifests. Used by the demo, the benchmark and the tests only.
import { cp, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MANIFEST_FILE } from '../sources/files.js';
import { EC2Client, CreateVpcCommand, CreateSubnetCommand, CreateSecurityGroupCommand } from '@aws-sdk/client-ec2';
import {
  ElasticLoadBalancingV2Client, CreateLoadBalancerCommand, CreateTargetGroupCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';

/** The placeholder IDs written in manifests/ and what they become in the emulator. */
export const EXAMPLE_IDS = {
  subnetA: 'subnet-0a1b2c3d',
  subnetB: 'subnet-4e5f6a7b',
  securityGroup: 'sg-0a1b2c3d',
  webTargetGroup: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef',
};

export type Fixtures = Record<keyof typeof EXAMPLE_IDS, string> & { vpc: string };

/** Creates the network and load balancer fixtures in the account the SDK's environment points at. */
export async function createFixtures(): Promise<Fixtures> {
  const ec2 = new EC2Client({});
  const elb = new ElasticLoadBalancingV2Client({});
  try {
    const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc!.VpcId!;
    const subnet = async (cidr: string, az: string) =>
      (await ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: cidr, AvailabilityZone: az }))).Subnet!.SubnetId!;
    const subnetA = await subnet('10.0.1.0/24', 'us-east-1a');
    const subnetB = await subnet('10.0.2.0/24', 'us-east-1b');
    const securityGroup = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web tasks', VpcId: vpc }))).GroupId!;
    await elb.send(new CreateLoadBalancerCommand({ Name: 'web', Subnets: [subnetA, subnetB], SecurityGroups: [securityGroup] }));
    const tg = await elb.send(new CreateTargetGroupCommand({
      Name: 'web', Protocol: 'HTTP', Port: 80, VpcId: vpc, TargetType: 'ip', HealthCheckPath: '/',
    }));
    return { vpc, subnetA, subnetB, securityGroup, webTargetGroup: tg.TargetGroups![0]!.TargetGroupArn! };
  } finally {
    ec2.destroy();
    elb.destroy();
  }
}

/** Rewrites every example ID in a text. */
export function substituteIds(text: string, fixtures: Fixtures): string {
  let out = text;
  for (const key of Object.keys(EXAMPLE_IDS) as Array<keyof typeof EXAMPLE_IDS>) {
    out = out.split(EXAMPLE_IDS[key]).join(fixtures[key]);
  }
  return out;
}

/** Copies a manifests folder to a new temporary folder with the example IDs rewritten. */
export async function copyManifests(from: string, fixtures: Fixtures, into?: string): Promise<string> {
  const dir = into ?? (await mkdtemp(join(tmpdir(), 'ecs-operator-manifests-')));
  await cp(from, dir, { recursive: true });
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !MANIFEST_FILE.test(entry.name)) continue;
    const path = join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name);
    await writeFile(path, substituteIds(await readFile(path, 'utf8'), fixtures));
  }
  return dir;
}
