// `run` does not reconcile environments: over a folder with Environments the source is Stalled with
// one error at each Environment saying so (not one per field its values would fill), and nothing is
// written to AWS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useMoto } from '../support/moto.js';
import { eventually, startCli } from '../support/cli.js';
import { ecsClient, ecsInventory } from '../support/aws.js';
import { freePort } from '../../src/tools/moto-server.js';

const moto = useMoto();

test('run over a folder with Environments: Stalled, one error per Environment, nothing written', async () => {
  await moto.server.reset();
  const dir = await mkdtemp(join(tmpdir(), 'ecs-operator-run-envs-'));
  await cp(fileURLToPath(new URL('../../examples/accounts', import.meta.url)), dir, { recursive: true });
  const port = await freePort();
  const op = startCli(['run', '--source', dir, '--listen', `127.0.0.1:${port}`, '--resync-interval', '2s', '--debounce', '100ms'], { env: moto.server.awsEnv });
  const ecs = ecsClient();
  try {
    const status = await eventually(async () => {
      const s = await (await fetch(`http://127.0.0.1:${port}/api/v1/status`)).json();
      return s.source?.phase === 'Stalled' ? s : undefined;
    }, 30_000, 'source Stalled');
    const messages = status.source.errors.map((e: { file: string; line: number; message: string }) => `${e.file}:${e.line}: ${e.message}`);
    assert.deepEqual(messages, [
      'production/environment.yaml:5: environment "production": run does not reconcile Environments yet; apply them with `ecs-operator apply`, or point run at a folder without Environments',
      'staging/environment.yaml:4: environment "staging": run does not reconcile Environments yet; apply them with `ecs-operator apply`, or point run at a folder without Environments',
    ]);
    assert.deepEqual(await ecsInventory(ecs), { clusters: [], services: [], taskDefinitions: [] });
  } finally {
    ecs.destroy();
    await op.stop();
  }
});
