// Any 403 is access denied: Stalled at once, naming the operation, the resource and what AWS said,
// never retried (neither by the SDK nor by the operator). Bodies as endpoints send them: XML (moto's IAM
// check answers JSON-protocol calls that way, which the SDK cannot parse), JSON, and none at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StalledError } from '../../src/core/errors.js';
import { createAwsClients } from '../../src/aws/clients.js';
import { DynamoLeaseStore } from '../../src/aws/dynamodb-lease.js';
import { sdkPorts } from '../../src/cli/app.js';
import { useMoto } from '../support/moto.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';

const moto = useMoto();

/** Points the SDK's standard chain at `proxy` for the duration of `fn`. */
async function through<T>(proxy: FaultProxy, fn: () => Promise<T>): Promise<T> {
  const saved = process.env.AWS_ENDPOINT_URL;
  process.env.AWS_ENDPOINT_URL = proxy.endpoint;
  try {
    return await fn();
  } finally {
    process.env.AWS_ENDPOINT_URL = saved;
  }
}

const IAM_MESSAGE = 'User: arn:aws:iam::123456789012:user/ci is not authorized to perform: ecs:CreateCluster';

test('a 403 with an XML, a JSON or an empty body: Stalled AccessDenied after one request, with what AWS said', async () => {
  const cases = [
    { deny: 'xml' as const, says: `HTTP 403 AccessDenied): ${IAM_MESSAGE}` },
    { deny: 'json' as const, says: `HTTP 403 AccessDeniedException): ${IAM_MESSAGE}` },
    { deny: 'empty' as const, says: 'HTTP 403): the reply carried no readable error' },
  ];
  for (const c of cases) {
    const proxy = await startFaultProxy(moto.server.endpoint, { operations: /^(CreateCluster|RegisterScalableTarget|DescribeServices)$/, deny: c.deny });
    try {
      await through(proxy, async () => {
        const aws = createAwsClients({ maxAttempts: 4 });
        const ports = sdkPorts(aws);
        try {
          const write = await ports.ecs.clusters.createCluster({ clusterName: 'prod' }).then(() => undefined, (err: unknown) => err);
          assert.ok(write instanceof StalledError, `${c.deny}: ${String(write)}`);
          assert.equal(write.reason, 'AccessDenied');
          assert.equal(write.message, `CreateCluster (clusterName=prod): access denied (${c.says}`);
          // The other JSON-protocol API, and a read: the same.
          const scaling = await ports.autoscaling!.registerScalableTarget('service/prod/web', { minCapacity: 1, maxCapacity: 2 }).then(() => undefined, (err: unknown) => err);
          assert.ok(scaling instanceof StalledError && scaling.reason === 'AccessDenied', String(scaling));
          assert.match(scaling.message, /^RegisterScalableTarget \(ServiceNamespace=ecs, ResourceId=service\/prod\/web\): access denied \(HTTP 403/);
          const read = await ports.ecs.services.prefetchServices('prod', ['web', 'api']).then(() => undefined, (err: unknown) => err);
          assert.ok(read instanceof StalledError && read.reason === 'AccessDenied', String(read));
          assert.match(read.message, /^DescribeServices \(cluster=prod, services=web,api\): access denied/);
        } finally {
          aws.destroy();
        }
      });
      // maxAttempts is 4, yet each refused call went out once: the SDK does not retry a 403.
      const sent = (operation: string) => proxy.calls.filter((call) => call.operation === operation).length;
      assert.deepEqual([sent('CreateCluster'), sent('RegisterScalableTarget'), sent('DescribeServices')], [1, 1, 1], c.deny);
    } finally {
      await proxy.stop();
    }
  }
});

test('the lease table: a CreateTable refused says how to create the table by hand', async () => {
  const proxy = await startFaultProxy(moto.server.endpoint, { targets: /^DynamoDB_20120810\.CreateTable$/, deny: 'xml' });
  try {
    await through(proxy, async () => {
      const store = new DynamoLeaseStore({ table: 'operator-leases' });
      try {
        await assert.rejects(store.prepare(), (err: Error) => {
          assert.match(err.message, /^the lease table operator-leases does not exist and this role may not create it \(CreateTable \(TableName=operator-leases\): access denied \(HTTP 403 AccessDenied\): .*\): create it with: aws dynamodb create-table --table-name operator-leases --billing-mode PAY_PER_REQUEST --attribute-definitions AttributeName=leaseName,AttributeType=S --key-schema AttributeName=leaseName,KeyType=HASH$/);
          return true;
        });
      } finally {
        store.destroy();
      }
    });
    assert.equal(proxy.calls.filter((call) => call.operation === 'CreateTable').length, 1);
  } finally {
    await proxy.stop();
  }
});
