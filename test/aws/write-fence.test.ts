// The write fence on the AWS clients: while it refuses, no write reaches AWS (checked at a proxy) and
// the caller gets a retryable error naming the operation and why; reads always go out; once it
// allows, writes go out again, each counted in flight until it settles. Refused writes are not
// counted as AWS requests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RetryableError } from '../../src/core/errors.js';
import { createAwsClients } from '../../src/aws/clients.js';
import { FencedWriteError } from '../../src/aws/write-fence.js';
import { sdkPorts } from '../../src/cli/app.js';
import { useMoto } from '../support/moto.js';
import { startFaultProxy } from '../support/fault-proxy.js';

const moto = useMoto();

test('a fenced client sends reads, refuses writes before they leave, and writes again once allowed', async () => {
  const proxy = await startFaultProxy(moto.server.endpoint);
  const saved = process.env.AWS_ENDPOINT_URL;
  process.env.AWS_ENDPOINT_URL = proxy.endpoint;
  let refusal: string | undefined = 'this process is a standby';
  let flying = 0;
  let most = 0;
  const inFlight = () => {
    most = Math.max(most, ++flying);
    return () => void flying--;
  };
  const aws = createAwsClients({ fence: { refusal: () => refusal, inFlight } });
  try {
    const ports = sdkPorts(aws);
    const refused = await ports.ecs.clusters.createCluster({ clusterName: 'fenced' }).then(() => undefined, (err: unknown) => err);
    assert.ok(refused instanceof FencedWriteError && refused instanceof RetryableError, String(refused));
    assert.equal(refused.message, 'CreateCluster not sent: this process is a standby');
    await ports.ecs.clusters.prefetchClusters(['fenced']);
    assert.deepEqual(proxy.calls.map((call) => call.operation), ['DescribeClusters'], 'the read went out, the write did not');
    assert.equal(aws.stats.count('ecs', 'CreateCluster'), 0, 'a refused write is not an AWS request');

    refusal = undefined;
    await ports.ecs.clusters.createCluster({ clusterName: 'fenced' });
    assert.deepEqual(proxy.calls.map((call) => call.operation), ['DescribeClusters', 'CreateCluster']);
    assert.deepEqual([most, flying], [1, 0], 'the write counted as in flight until it settled; reads never');
  } finally {
    process.env.AWS_ENDPOINT_URL = saved;
    aws.destroy();
    await proxy.stop();
  }
});
