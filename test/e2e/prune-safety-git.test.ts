// "Prune only on a deliberate removal" through the Git source: `run --prune` following a local bare
// repository, commits that leave a manifest file empty (0 bytes), holding comments only, or replaced
// by a folder of its name make no DeleteService and no UpdateService (counted by a proxy in front of
// the emulator), and /api/v1/status names the file; a commit deleting the file prunes. (A rewrite in
// two steps cannot reach a Git source: a commit holds a file's final bytes.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { useMoto } from '../support/moto.js';
import { eventually, startCli } from '../support/cli.js';
import { serviceStatus } from '../support/aws.js';
import { exampleManifests } from '../support/examples.js';
import { startFaultProxy } from '../support/fault-proxy.js';
import { freePort } from '../../src/tools/moto-server.js';
import { createRepo } from '../sources/git-fixture.js';

const moto = useMoto({ MOTO_ECS_SERVICE_RUNNING: '2' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const APP = 'deploy/worker/app.yaml';

interface Status {
  source: { phase: string; lastApplied?: { id: string }; errors: Array<{ file: string; line: number; col: number; message: string }> };
  resources: Array<{ key: string; sync: string; health: string }>;
}

test('run --prune, Git source: committed empty, comments-only and folder-replaced files delete nothing; a committed removal does', async () => {
  await moto.server.reset();
  const { dir } = await exampleManifests();
  const repo = createRepo();
  cpSync(dir, join(repo.work, 'deploy'), { recursive: true });
  // The worker's task definition and service in one file, the service second.
  const text = `${readFileSync(join(dir, 'worker/task-definition.json'), 'utf8').trimEnd()}\n---\n${readFileSync(join(dir, 'worker/service.yaml'), 'utf8')}`;
  rmSync(join(repo.work, 'deploy/worker'), { recursive: true });
  repo.commit({ [APP]: text }, 'The example manifests');
  const proxy = await startFaultProxy(moto.server.endpoint);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const op = startCli([
    'run', '--source', pathToFileURL(repo.bare).href, '--path', 'deploy', '--listen', `127.0.0.1:${port}`, '--git-cache-dir', join(repo.root, 'cache'),
    '--poll-interval', '1s', '--resync-interval', '2s', '--prune', '--prune-max', '5',
  ], { env: { ...moto.server.awsEnv, AWS_ENDPOINT_URL: proxy.endpoint } });
  const status = async () => (await (await fetch(`${base}/api/v1/status`)).json()) as Status;
  try {
    await eventually(async () => ((await fetch(`${base}/readyz`)).status === 200 ? true : undefined), 40_000, '/readyz');
    await eventually(async () => ((await status()).resources.every((r) => r.sync === 'Synced' && r.health === 'Healthy') ? true : undefined), 30_000, 'all Synced');
    proxy.counts.byOperation = {};
    const commits: Array<[string, Record<string, string | null>, string, RegExp]> = [
      ['an empty file', { [APP]: '' }, APP, /the file is empty/],
      ['a file with comments only', { [APP]: '# the worker moved to the batch account\n' }, APP, /holds no document/],
      ['a folder named like the file', { [APP]: null, [`${APP}/notes.txt`]: 'moved\n' }, APP, /is a folder named like a manifest file/],
    ];
    for (const [what, files, file, message] of commits) {
      const sha = repo.commit(files, `Replace the worker with ${what}`);
      const s = await eventually(async () => {
        const current = await status();
        return current.source.phase === 'Stalled' && JSON.stringify(current).includes(sha) ? current : undefined;
      }, 15_000, `source Stalled on ${what}`);
      assert.deepEqual(s.source.errors.map((e) => `${e.file}:${e.line}:${e.col}`), [`${file}:1:1`], what);
      assert.match(s.source.errors[0]!.message, message, what);
      await sleep(2_500); // a resync wave, and its prune, pass
      const c = proxy.counts.byOperation;
      assert.deepEqual([c.DeleteService ?? 0, c.UpdateService ?? 0, c.DeregisterTaskDefinition ?? 0], [0, 0, 0], what);
      rmSync(join(repo.work, APP), { recursive: true, force: true });
      const back = repo.commit({ [APP]: text }, 'Restore the worker');
      await eventually(async () => ((await status()).source.lastApplied?.id === back ? true : undefined), 15_000, `restored after ${what}`);
    }
    assert.equal(await serviceStatus('prod', 'worker'), 'ACTIVE');

    repo.commit({ [APP]: null }, 'Remove the worker');
    await eventually(async () => ((await serviceStatus('prod', 'worker')) === 'ACTIVE' ? undefined : true), 20_000, 'worker pruned');
    assert.equal(proxy.counts.byOperation.DeleteService, 1);
  } finally {
    const code = await op.stop();
    await proxy.stop();
    repo.cleanup();
    assert.equal(code, 0, op.out.stderr.slice(-2000));
  }
});
