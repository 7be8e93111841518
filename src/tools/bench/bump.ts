// The bump scenario: the image of N services changes in the manifests (one revision), behind the
// bucket-enforcing proxy. Timed from the manifest change until every one of those services runs a
// new revision of its family (read straight from moto, not through the proxy, so that watching
// costs the operator nothing), and compared with the floor AWS sets: N RegisterTaskDefinition
// through a bucket of 20 that refills 1 per second (times the scale).
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { ECS_CATEGORIES } from '../../aws/published-buckets.js';
import { countsSince } from '../aws-proxy/counts.js';
import { mapLimit } from '../../core/map-limit.js';
import { BUMPED_IMAGE, CLUSTER, serviceName, writeManifests } from './account.js';
import { answeredCalls, round, throttlesByOperation, type BenchContext } from './context.js';

export interface BumpResult {
  services: number;
  scale: number;
  seconds: number;
  /** The least time AWS allows, the bucket that sets it, and the measured time over it. */
  floorSeconds: number;
  floorSetBy: string;
  ratio: number;
  /** When the first UpdateService and the last one were answered, seconds after the change. */
  firstUpdateSeconds?: number;
  registered: number;
  updated: number;
  throttles: number;
  throttlesByOperation: Record<string, number>;
  /** New revisions whose image is not the bumped one (should be 0). */
  wrongImage: number;
  /** Revisions registered beyond one per bumped family (should be 0: a duplicate is a write repeated). */
  extraRevisions: number;
}

/** Seconds for `calls` through a bucket: what the burst lets through at once, the rest at the refill rate. */
export function bucketFloor(calls: number, category: keyof typeof ECS_CATEGORIES, scale: number): number {
  const { burst, refill } = ECS_CATEGORIES[category]!;
  return Math.max(0, calls - burst) / (refill * scale);
}

const revisionOf = (arn: string) => Number(arn.slice(arn.lastIndexOf(':') + 1));

export async function bumpScenario(ctx: BenchContext): Promise<BumpResult> {
  const { account, options, log } = ctx;
  const n = Math.min(options.bump, options.services);
  await ctx.readyOperator();
  await ctx.watcher.rest();
  const moto = new ECSClient({ endpoint: account.moto.endpoint, region: account.moto.awsEnv.AWS_REGION, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  const names = Array.from({ length: n }, (_, i) => serviceName(i));
  const batches = Array.from({ length: Math.ceil(n / 10) }, (_, i) => names.slice(i * 10, i * 10 + 10));
  const describe = async () => new Map((await mapLimit(batches, 8, async (batch) =>
    (await moto.send(new DescribeServicesCommand({ cluster: CLUSTER, services: batch }))).services ?? [])).flat().map((s) => [s.serviceName!, s.taskDefinition!]));
  const before = await describe();

  await account.proxy.refill();
  const base = await account.proxy.counts();
  const t0 = performance.now();
  await writeManifests(account.dir, options.services, (i) => (i < n ? BUMPED_IMAGE : undefined), (i) => i < n);
  let firstUpdateSeconds: number | undefined;
  const deadline = t0 + 5 * 1000 * bucketFloor(n, 'task-definition-modify', options.scale) + 300_000;
  let after = before;
  for (;;) {
    after = await describe();
    const moved = names.filter((name) => revisionOf(after.get(name)!) > revisionOf(before.get(name)!)).length;
    if (firstUpdateSeconds === undefined && answeredCalls(await account.proxy.counts(), (op) => op === 'UpdateService') > answeredCalls(base, (op) => op === 'UpdateService')) {
      firstUpdateSeconds = round((performance.now() - t0) / 1000);
    }
    if (moved === n) break;
    if (performance.now() > deadline) throw new Error(`bump: ${moved}/${n} services moved to a new revision before the deadline`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const seconds = (performance.now() - t0) / 1000;
  await ctx.watcher.rest();
  const counts = countsSince(base, await account.proxy.counts());
  const images = await mapLimit(names, 16, async (name) =>
    (await moto.send(new DescribeTaskDefinitionCommand({ taskDefinition: after.get(name)! }))).taskDefinition?.containerDefinitions?.[0]?.image);
  // Moto lists every ARN on one page; each service's family has the service's name.
  const arns = (await moto.send(new ListTaskDefinitionsCommand({ status: 'ACTIVE' }))).taskDefinitionArns ?? [];
  const newer = new Map<string, number>();
  for (const arn of arns) {
    const family = arn.slice(arn.indexOf('/') + 1, arn.lastIndexOf(':'));
    if (before.has(family) && revisionOf(arn) > revisionOf(before.get(family)!)) newer.set(family, (newer.get(family) ?? 0) + 1);
  }
  moto.destroy();
  const floor = (operation: string, category: keyof typeof ECS_CATEGORIES) => {
    const { burst, refill } = ECS_CATEGORIES[category]!;
    return { by: `${operation} (${burst} burst, ${refill}/s x${options.scale})`, s: bucketFloor(n, category, options.scale) };
  };
  const floors = [floor('RegisterTaskDefinition', 'task-definition-modify'), floor('UpdateService', 'service-modify')].sort((a, b) => b.s - a.s);
  const result: BumpResult = {
    services: n, scale: options.scale, seconds: round(seconds), floorSeconds: round(floors[0]!.s), floorSetBy: floors[0]!.by,
    ratio: floors[0]!.s > 0 ? round(seconds / floors[0]!.s, 2) : NaN, firstUpdateSeconds,
    registered: answeredCalls(counts, (op) => op === 'RegisterTaskDefinition'), updated: answeredCalls(counts, (op) => op === 'UpdateService'),
    throttles: counts.throttled, throttlesByOperation: throttlesByOperation(counts), wrongImage: images.filter((i) => i !== BUMPED_IMAGE).length,
    extraRevisions: [...newer.values()].reduce((sum, k) => sum + k - 1, 0),
  };
  log(`bump of ${n} at x${options.scale}: ${result.seconds} s against a floor of ${result.floorSeconds} s (${result.ratio}x), ${result.throttles} throttles`);
  return result;
}
