// The AWS-faithful proxy as its own process, so that what it costs does not land in the process that
// measures: `node dist/tools/aws-proxy/main.js --upstream URL [--scale K] [--no-throttle] [--no-paging]
// [--port P]`. It prints one JSON line, {"endpoint": "..."}, once it listens, and stops on SIGTERM.
import { parseArgs } from 'node:util';
import { startAwsProxy } from './proxy.js';

const { values } = parseArgs({
  options: {
    upstream: { type: 'string' },
    scale: { type: 'string', default: '1' },
    port: { type: 'string', default: '0' },
    'no-throttle': { type: 'boolean', default: false },
    'no-paging': { type: 'boolean', default: false },
  },
});

async function main(): Promise<void> {
  if (!values.upstream) throw new Error('--upstream URL is required');
  const scale = Number(values.scale);
  if (!(scale > 0)) throw new Error(`--scale must be a positive number, got ${values.scale}`);
  const proxy = await startAwsProxy({
    upstream: values.upstream, scale, port: Number(values.port), throttle: !values['no-throttle'], paging: !values['no-paging'],
  });
  process.stdout.write(`${JSON.stringify({ endpoint: proxy.endpoint })}\n`);
  const stop = () => void proxy.stop().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err) => {
  process.stderr.write(`aws-proxy: ${(err as Error).message}\n`);
  process.exit(2);
});
