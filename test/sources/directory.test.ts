// The folder source: a folder missing at start is read again (ever less often) until it appears.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectorySource } from '../../src/sources/directory.js';
import type { Revision } from '../../src/core/types.js';

test('a folder that does not exist yet is reported, then read once it appears', async () => {
  const root = mkdtempSync(join(tmpdir(), 'dir-source-'));
  const dir = join(root, 'manifests');
  const revisions: Revision[] = [];
  const errors: Error[] = [];
  const stop = new AbortController();
  const done = new DirectorySource(dir, { debounceMs: 20 }).start(stop.signal, async (r) => void revisions.push(r), (e) => void errors.push(e));
  try {
    const until = async (check: () => boolean, what: string) => {
      for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
      assert.ok(check(), what);
    };
    await until(() => errors.length > 0, 'the missing folder is reported');
    assert.match(errors[0]!.message, /no such file or directory/);
    mkdirSync(dir);
    writeFileSync(join(dir, 'cluster.yaml'), 'apiVersion: ecs-operator.dev/v1alpha1\nkind: Cluster\nmetadata: {name: c}\nspec: {}\n');
    await until(() => revisions.length === 1, 'read once it appears');
    assert.deepEqual([...revisions[0]!.files.keys()], ['cluster.yaml']);
  } finally {
    stop.abort();
    await done;
    rmSync(root, { recursive: true, force: true });
  }
});
