// The one table of AWS's request buckets, which the pacing follows and the AWS-faithful proxy
// enforces, checked against the published figures for every operation the operator calls (written
// out here from the ECS and ELB "Request throttling" pages, apart from the table they check), and
// complete: every ECS and ELBv2 command the adapters send draws from a published bucket.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publishedBucket } from '../../src/aws/published-buckets.js';
import type { AwsApi } from '../../src/aws/stats.js';

/** What the pages publish: bucket, burst / refill per second, and the operator's operations in it. */
const PUBLISHED: Array<[AwsApi, string, number, number, string[]]> = [
  ['ecs', 'cluster-modify', 20, 1, ['CreateCluster', 'DeleteCluster', 'PutClusterCapacityProviders', 'UpdateCluster', 'UpdateClusterSettings']],
  ['ecs', 'cluster-read', 50, 20, ['DescribeClusters', 'ListClusters']],
  ['ecs', 'task-definition-modify', 20, 1, ['RegisterTaskDefinition', 'DeregisterTaskDefinition']],
  ['ecs', 'task-definition-read', 50, 20, ['DescribeTaskDefinition', 'ListTaskDefinitions', 'ListTaskDefinitionFamilies']],
  ['ecs', 'service-modify', 50, 5, ['CreateService', 'UpdateService', 'DeleteService']],
  ['ecs', 'service-read', 100, 20, ['DescribeServices', 'ListServices']],
  ['ecs', 'tag-modify', 20, 10, ['TagResource', 'UntagResource']],
  ['ecs', 'tag-read', 50, 20, ['ListTagsForResource']],
  ['elbv2', 'non-mutating', 40, 10, ['DescribeTargetGroups', 'DescribeTargetHealth']],
];

test('every operation the operator calls draws from the bucket AWS publishes for it', () => {
  for (const [api, bucket, burst, refill, operations] of PUBLISHED) {
    for (const operation of operations) {
      assert.deepEqual(publishedBucket(api, operation), { name: `${api}:${bucket}`, spec: publishedBucket(api, operation)!.spec }, `${api} ${operation}`);
      const { spec } = publishedBucket(api, operation)!;
      assert.deepEqual([spec.burst, spec.refill], [burst, refill], `${api} ${operation}`);
    }
  }
  assert.equal(publishedBucket('application-autoscaling', 'DescribeScalableTargets'), undefined, 'Application Auto Scaling publishes none');
});

test('every ECS and ELBv2 command the AWS adapters send has a published bucket', () => {
  const dir = fileURLToPath(new URL('../../src/aws/', import.meta.url));
  const files = readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.ts'));
  const sent: Array<[AwsApi, string, string]> = [];
  for (const file of files) {
    const source = readFileSync(join(dir, file), 'utf8');
    for (const [, names, client] of source.matchAll(/import\s*\{([^}]*)\}\s*from\s*'@aws-sdk\/client-(ecs|elastic-load-balancing-v2)'/g)) {
      // A command, or a paginator, which sends its operation's command page by page.
      for (const m of names!.matchAll(/\b(?:(\w+)Command|paginate(\w+))\b/g)) sent.push([client === 'ecs' ? 'ecs' : 'elbv2', (m[1] ?? m[2])!, file]);
    }
  }
  assert.ok(sent.length >= 20, `found ${sent.length} commands`);
  const missing = sent.filter(([api, operation]) => !publishedBucket(api, operation)).map(([api, op, file]) => `${api} ${op} (${file})`);
  assert.deepEqual(missing, []);
});
