// When a service's target health is read: only once its rollout is Healthy, since until then the
// rollout decides its health and the targets' health would be read for nothing. On the recorded
// DescribeServices shape, with a port that counts its reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EcsService } from '../../src/aws/ecs/services.js';
import type { Elbv2Port } from '../../src/aws/elbv2.js';
import type { JsonObject } from '../../src/core/types.js';
import { observeBindings } from '../../src/kinds/service/load-balancers.js';
import { fixture, patched } from '../normalize/aws-fixtures.js';

const TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef';
const service = (patch: JsonObject = {}) => patched((fixture('describe-services-fargate-web').services as JsonObject[])[0]!, patch) as unknown as EcsService;
const deployment = (fields: JsonObject) => (service().deployments as unknown as JsonObject[]).map((d) => ({ ...d, ...fields }));

function countingElbv2() {
  const reads: string[] = [];
  const port = {
    async targetHealth(arn: string) {
      reads.push(arn);
      return [{ id: '10.0.1.17', port: 80, state: 'healthy' }];
    },
  } as unknown as Elbv2Port;
  return { port, reads };
}

test('target health is read for a service whose rollout is Healthy, and only then', async () => {
  const cases: Array<{ what: string; live: EcsService | undefined; reads: number }> = [
    { what: 'rollout completed, all tasks running', live: service(), reads: 1 },
    { what: 'rollout in progress', live: service({ deployments: deployment({ rolloutState: 'IN_PROGRESS', runningCount: 1 }) }), reads: 0 },
    { what: 'rollout failed', live: service({ deployments: deployment({ rolloutState: 'FAILED', rolloutStateReason: 'circuit breaker' }) }), reads: 0 },
    { what: 'fewer tasks running than desired', live: service({ runningCount: 1 }), reads: 0 },
    { what: 'draining', live: service({ status: 'DRAINING' }), reads: 0 },
    { what: 'not created yet', live: undefined, reads: 0 },
  ];
  for (const c of cases) {
    const { port, reads } = countingElbv2();
    const facts = await observeBindings(port, [], c.live, 0);
    assert.equal(reads.length, c.reads, c.what);
    assert.deepEqual(Object.keys(facts.targetHealth), c.reads ? [TG] : [], c.what);
  }
});
