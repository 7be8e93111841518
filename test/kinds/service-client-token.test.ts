// CreateService's clientToken: a create retried within the hour sends the same token (idempotent);
// re-creating a service deleted out of band, later, with the same manifest sends another one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServicePort } from '../../src/aws/ecs/services.js';
import type { JsonObject } from '../../src/core/types.js';
import { applyService } from '../../src/kinds/service/apply.js';
import type { ServiceFacts } from '../../src/kinds/service/observe.js';
import { fakeContext, fakeResource, fakeState } from '../support/fake-kind.js';

const T0 = Date.parse('2026-03-02T10:05:00Z');
const web = fakeResource('Service', 'web', { serviceName: 'web', cluster: 'prod', taskDefinition: 'web:3', desiredCount: 2 });
const facts: ServiceFacts = { cluster: 'prod', taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:3', autoscaled: false, minCapacity: undefined };

/** The clientToken of the CreateService that applying `web` to a missing service sends at `now`. */
async function tokenAt(now: number, instance = 'default'): Promise<string> {
  const sent: JsonObject[] = [];
  const ecs = {
    async createService(input: JsonObject) {
      sent.push(input);
      return { serviceName: 'web', serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/prod/web', status: 'ACTIVE' };
    },
  } as unknown as ServicePort;
  const ctx = fakeContext({ now, notBefore: now, instance, desired: fakeState([web]) });
  await applyService(ecs, web, { exists: false, facts }, { differences: [], requiresReplacement: [] }, ctx);
  return String(sent[0]!.clientToken);
}

test('the clientToken is stable within the hour, and another in a later hour or for another instance', async () => {
  const first = await tokenAt(T0);
  assert.match(first, /^[0-9a-f]{32}$/);
  assert.equal(await tokenAt(T0 + 40 * 60_000), first, 'a retry within the hour');
  assert.notEqual(await tokenAt(T0 + 3 * 3_600_000), first, 're-created hours later');
  assert.notEqual(await tokenAt(T0, 'staging'), first, 'another operator instance');
});
