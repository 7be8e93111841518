// Discovering owned scalable targets reads their tags (one ListTagsForResource per target) all at
// once, not one after another: the client's pacing spaces them out, not the discovery.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AutoScalingPort } from '../../src/aws/autoscaling.js';
import type { JsonObject } from '../../src/core/types.js';
import { serviceAutoScalingHandler } from '../../src/kinds/service-auto-scaling/handler.js';
import { fakeContext } from '../support/fake-kind.js';

const arn = (id: string) => `arn:aws:application-autoscaling:us-east-1:123456789012:scalable-target/${id}`;
const ctx = fakeContext();

test('the tags of every scalable target are asked for at once', async () => {
  const names = Array.from({ length: 8 }, (_, i) => `svc-${i}`);
  let inFlight = 0;
  let most = 0;
  const port = {
    async listScalableTargets() {
      return names.map((id) => ({ serviceNamespace: 'ecs', resourceId: `service/prod/${id}`, scalableDimension: 'ecs:service:DesiredCount', scalableTargetARN: arn(id) }) as JsonObject);
    },
    async listTags(a: string) {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 10));
      inFlight--;
      const id = a.slice(a.lastIndexOf('/') + 1);
      return id === 'svc-3' ? {} : { 'ecs-operator.dev/managed-by': 'default', 'ecs-operator.dev/resource': `ServiceAutoScaling/${id}` };
    },
  } as unknown as AutoScalingPort;
  const owned = await serviceAutoScalingHandler(port).discoverOwned!(ctx);
  assert.deepEqual(owned.map((o) => o.key), names.filter((n) => n !== 'svc-3').map((n) => `ServiceAutoScaling/${n}`));
  assert.equal(most, names.length);
});
