// A small in-process Application Auto Scaling endpoint that answers Describe calls with the recorded
// responses in test/fixtures/aws and records every request, so the real SDK client and adapter run
// against the shapes AWS returns (the JSON 1.1 protocol: one POST per call, named by X-Amz-Target).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import type { JsonObject } from '../../src/core/types.js';

export interface RecordedRequest {
  operation: string;
  body: JsonObject;
}

export interface RecordedAas {
  client: ApplicationAutoScalingClient;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** `answers`: operation -> response body (writes answer `{}` unless given). */
export async function recordedAas(answers: Record<string, JsonObject>): Promise<RecordedAas> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      const operation = String(req.headers['x-amz-target'] ?? '').split('.').pop() ?? '';
      requests.push({ operation, body: text ? (JSON.parse(text) as JsonObject) : {} });
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(answers[operation] ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const client = new ApplicationAutoScalingClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: 1,
  });
  return {
    client,
    requests,
    close: () => {
      client.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
