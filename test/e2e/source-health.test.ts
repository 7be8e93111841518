// "Sources never go silent", through the built CLI against moto: `run --prune` on a folder reached
// through a symbolic link follows a link switch (ln -s new tmp && mv -T tmp current); with the folder
// deleted the source is Failed, then stale after two resync intervals (/readyz 503), and nothing is
// pruned; made again, it is read and a later edit is applied within one resync; a FIFO is an error
// naming it within one resync, and SIGTERM still ends the process within the grace period.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useMoto } from '../support/moto.js';
import { eventually, startCli } from '../support/cli.js';
import { firstImage } from '../support/aws.js';
import { exampleManifests } from '../support/examples.js';
import { startFaultProxy } from '../support/fault-proxy.js';
import { freePort } from '../../src/tools/moto-server.js';

const moto = useMoto({ MOTO_ECS_SERVICE_RUNNING: '2' });
const RESYNC_MS = 2_000;
const GRACE_MS = 5_000;
const TD = 'web/task-definition.yaml';

interface Status {
  source: { phase: string; message?: string; lastFetchTime?: string; failures?: number; stale?: boolean; errors: Array<{ file: string; line: number; col: number; message: string }> };
  resources: Array<{ key: string; sync: string; health: string }>;
}

/** A copy of the manifests in `to` with the web image tag set. */
function version(from: string, to: string, tag: string): void {
  cpSync(from, to, { recursive: true });
  writeFileSync(join(to, TD), readFileSync(join(from, TD), 'utf8').replace(/nginx:[\d.]+/, `nginx:${tag}`));
}

test('run: a symlink switch is followed; a deleted folder goes stale without pruning, and is followed again once made anew; a FIFO is named; SIGTERM ends it', async (t) => {
  await moto.server.reset();
  const { dir } = await exampleManifests();
  const root = mkdtempSync(join(tmpdir(), 'source-health-'));
  version(dir, join(root, 'v1'), '1.27');
  symlinkSync(join(root, 'v1'), join(root, 'current'));
  const proxy = await startFaultProxy(moto.server.endpoint);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const op = startCli([
    'run', '--source', join(root, 'current'), '--listen', `127.0.0.1:${port}`, '--resync-interval', `${RESYNC_MS}ms`, '--debounce', '100ms',
    '--prune', '--shutdown-grace', `${GRACE_MS}ms`,
  ], { env: { ...moto.server.awsEnv, AWS_ENDPOINT_URL: proxy.endpoint } });
  const status = async () => (await (await fetch(`${base}/api/v1/status`)).json()) as Status;
  const readyz = async () => {
    const r = await fetch(`${base}/readyz`);
    return { code: r.status, text: await r.text() };
  };
  const applied = async (tag: string, timeoutMs: number) => {
    const started = Date.now();
    await eventually(async () => ((await firstImage('web'))?.endsWith(`:${tag}`) ? true : undefined), timeoutMs, `web image ${tag}`);
    return Date.now() - started;
  };
  let stopped = false;
  try {
    await eventually(async () => ((await readyz()).code === 200 ? true : undefined), 30_000, '/readyz');
    await eventually(async () => ((await status()).resources.every((r) => r.sync === 'Synced' && r.health === 'Healthy') ? true : undefined), 30_000, 'all Synced');
    assert.ok(Date.now() - Date.parse((await status()).source.lastFetchTime!) < 2 * RESYNC_MS + 1_000, 'the last good read is shown');

    // The usual atomic deploy: a new folder, and the link switched onto it.
    version(dir, join(root, 'v2'), '1.28');
    symlinkSync(join(root, 'v2'), join(root, 'tmp'));
    execFileSync('mv', ['-T', join(root, 'tmp'), join(root, 'current')]);
    await applied('1.28', 15_000);

    // The folder in use deleted: Failed at once, stale (not ready) after two resync intervals, nothing pruned.
    rmSync(join(root, 'v2'), { recursive: true });
    await eventually(async () => ((await status()).source.phase === 'Failed' ? true : undefined), 10_000, 'source Failed');
    const stale = await eventually(async () => {
      const r = await readyz();
      return r.code === 503 ? r.text : undefined;
    }, 4 * RESYNC_MS + 5_000, '/readyz 503');
    assert.match(stale, /^not ready: source stale, nothing read since \S+ \(\d+ failures\): /);
    const s = await status();
    assert.equal(s.source.stale, true);
    assert.ok((s.source.failures ?? 0) >= 2);
    assert.equal(proxy.counts.byOperation.DeleteService ?? 0, 0, 'a missing folder prunes nothing');

    // Made anew: read again, ready again, and a later edit in it is applied within one resync.
    version(dir, join(root, 'v2'), '1.29');
    await applied('1.29', 15_000);
    await eventually(async () => ((await readyz()).code === 200 ? true : undefined), 10_000, 'ready again');
    writeFileSync(join(root, 'v2', TD), readFileSync(join(root, 'v2', TD), 'utf8').replace('nginx:1.29', 'nginx:1.30'));
    const took = await applied('1.30', 15_000);
    assert.ok(took < RESYNC_MS + 2_000 + 3_000, `edit applied in ${took} ms: within a resync (plus the 2 s quiet window and the writes)`);
    t.diagnostic(`an edit in the recreated folder reached AWS in ${took} ms`);

    // A FIFO named like a manifest: an error naming it within one resync.
    execFileSync('mkfifo', [join(root, 'v2', 'web', 'extra.yaml')]);
    const started = Date.now();
    const fifo = await eventually(async () => {
      const current = await status();
      return current.source.errors.length > 0 ? current : undefined;
    }, 15_000, 'the FIFO reported');
    assert.ok(Date.now() - started < RESYNC_MS + 3_000);
    t.diagnostic(`the FIFO was reported in ${Date.now() - started} ms`);
    assert.deepEqual(fifo.source.errors.map((e) => `${e.file}:${e.line}:${e.col}: ${e.message}`), ['web/extra.yaml:1:1: is a FIFO (named pipe), not a regular file: not read']);

    const stopping = Date.now();
    const code = await op.stop('SIGTERM');
    stopped = true;
    assert.equal(code, 0, op.out.stderr.slice(-2000));
    assert.ok(Date.now() - stopping < GRACE_MS, `stopped in ${Date.now() - stopping} ms`);
    t.diagnostic(`SIGTERM with a FIFO in the folder: exited in ${Date.now() - stopping} ms`);
    assert.equal(proxy.counts.byOperation.DeleteService ?? 0, 0);
  } finally {
    if (!stopped) await op.stop();
    await proxy.stop();
    rmSync(root, { recursive: true, force: true });
  }
});
