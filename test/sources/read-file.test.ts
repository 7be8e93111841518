// What a manifest folder can hold besides manifests, and how each is refused: FIFOs, sockets, devices
// (directly or through symbolic links), folders named like manifest files, dangling links and link
// loops are each an error naming the file, never a file skipped or read forever; a file that changes
// while it is read is refused; the revision id and changedAt follow what was found.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withDeadline } from '../../src/core/clock.js';
import { validatePaths } from '../support/manifests.js';
import { readRevision } from '../../src/sources/files.js';
import { readManifestFile } from '../../src/sources/read-file.js';
import { lines } from '../desired/helpers.js';

const CLUSTER = 'apiVersion: ecs-operator.dev/v1alpha1\nkind: Cluster\nmetadata: {name: c}\nspec: {}\n';

async function withTempDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'read-file-'));
  try {
    await run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('non-regular entries named like manifests are errors naming them; the regular file is still read', async () => {
  await withTempDir(async (dir) => {
    writeFileSync(join(dir, 'cluster.yaml'), CLUSTER);
    execFileSync('mkfifo', [join(dir, 'pipe.yaml')]);
    symlinkSync(join(dir, 'pipe.yaml'), join(dir, 'pipe-link.yaml'));
    symlinkSync('/dev/zero', join(dir, 'zero.yaml'));
    symlinkSync('/dev/null', join(dir, 'null.json'));
    mkdirSync(join(dir, 'web.yaml'));
    writeFileSync(join(dir, 'web.yaml', 'notes.txt'), 'moved\n');
    mkdirSync(join(dir, 'elsewhere'));
    symlinkSync(join(dir, 'elsewhere'), join(dir, 'linked.yml'));
    symlinkSync(join(dir, 'gone.yaml'), join(dir, 'dangling.yaml'));
    symlinkSync(join(dir, 'loop.yaml'), join(dir, 'loop.yaml'));
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(join(dir, 'socket.yaml'), resolve));
    try {
      const started = Date.now();
      const revision = await readRevision([dir]);
      assert.ok(Date.now() - started < 5_000, 'nothing blocks');
      assert.deepEqual([...revision.files.keys()], ['cluster.yaml']);
      assert.deepEqual(lines(revision.unreadable!), [
        `dangling.yaml:1:1: is a symbolic link to ${join(dir, 'gone.yaml')}, which does not exist: not read`,
        'linked.yml:1:1: is a folder named like a manifest file: not read (a manifest must be a regular file; rename the folder)',
        'loop.yaml:1:1: is a symbolic link loop: not read',
        'null.json:1:1: is a character device (through a symbolic link to /dev/null), not a regular file: not read',
        `pipe-link.yaml:1:1: is a FIFO (named pipe) (through a symbolic link to ${join(dir, 'pipe.yaml')}), not a regular file: not read`,
        'pipe.yaml:1:1: is a FIFO (named pipe), not a regular file: not read',
        'socket.yaml:1:1: is a socket, not a regular file: not read',
        'web.yaml:1:1: is a folder named like a manifest file: not read (a manifest must be a regular file; rename the folder)',
        'zero.yaml:1:1: is a character device (through a symbolic link to /dev/zero), not a regular file: not read',
      ]);
      // The whole revision is invalid, as with a syntax error.
      const loaded = await validatePaths([dir]);
      assert.equal(loaded.state, undefined);
      assert.equal(loaded.errors.length, 9);
    } finally {
      server.close();
    }
  });
});

test('a device named on the command line is refused at once, not read into memory', async () => {
  const before = process.memoryUsage().rss;
  const loaded = await validatePaths(['/dev/zero']);
  assert.deepEqual(lines(loaded.errors), ['/dev/zero:1:1: is a character device, not a regular file: not read']);
  assert.ok(process.memoryUsage().rss - before < 64 * 1024 * 1024);
});

test('a problem that appears or goes changes the revision id, even when the readable files stay the same', async () => {
  await withTempDir(async (dir) => {
    writeFileSync(join(dir, 'cluster.yaml'), CLUSTER);
    const clean = await readRevision([dir]);
    execFileSync('mkfifo', [join(dir, 'extra.yaml')]);
    const withFifo = await readRevision([dir]);
    assert.deepEqual([...withFifo.files.keys()], ['cluster.yaml']);
    assert.notEqual(withFifo.info.id, clean.info.id);
    rmSync(join(dir, 'extra.yaml'));
    assert.equal((await readRevision([dir])).info.id, clean.info.id);
  });
});

test('changedAt is the newest mtime of the files and folders read', async () => {
  await withTempDir(async (dir) => {
    mkdirSync(join(dir, 'web'));
    writeFileSync(join(dir, 'web', 'cluster.yaml'), CLUSTER);
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(join(dir, 'web', 'cluster.yaml'), old, old);
    utimesSync(join(dir, 'web'), old, old);
    utimesSync(dir, old, old);
    assert.ok(Math.abs((await readRevision([dir])).changedAt - old.getTime()) < 1);
    // Removing a file shows in its folder's mtime: a removal is as recent as a write.
    writeFileSync(join(dir, 'web', 'other.yaml'), CLUSTER.replace('name: c', 'name: d'));
    utimesSync(join(dir, 'web', 'other.yaml'), old, old);
    rmSync(join(dir, 'web', 'other.yaml'));
    assert.ok(Date.now() - (await readRevision([dir])).changedAt < 5_000);
  });
});

test('a file written while it is read is refused as changed, never returned half-written', async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, 'growing.yaml');
    const line = `# ${'x'.repeat(1_000)}\n`;
    writeFileSync(file, line.repeat(400));
    // The writer appends on the main thread while the reads run in the thread pool.
    const writer = setInterval(() => appendFileSync(file, line), 0);
    const seen = new Set<string>();
    try {
      for (let i = 0; i < 400 && !seen.has('changed'); i++) {
        const read = await readManifestFile(file, { maxBytes: 8 * 1024 * 1024, timeoutMs: 5_000 });
        if ('text' in read) {
          seen.add('read');
          assert.equal(read.text.length % line.length, 0, 'only whole appends are ever returned');
        } else {
          assert.equal(read.problem, 'changed while it was being read: not read');
          seen.add('changed');
        }
      }
    } finally {
      clearInterval(writer);
    }
    assert.ok(seen.has('changed'), 'a concurrent write is detected');
  });
});

test('a file over the cap on disk, or grown over it, is refused without reading it all', async () => {
  await withTempDir(async (dir) => {
    writeFileSync(join(dir, 'big.yaml'), 'x'.repeat(4096));
    assert.deepEqual(await readManifestFile(join(dir, 'big.yaml'), { maxBytes: 1024, timeoutMs: 5_000 }), {
      problem: 'file is 4 KiB, over the 1 KiB limit: not read', modifiedAt: (await import('node:fs')).statSync(join(dir, 'big.yaml')).mtimeMs,
    });
  });
});

test('withDeadline: a read that never ends is abandoned at its deadline, and at once on abort', async () => {
  const never = new Promise<string>(() => undefined);
  const started = Date.now();
  await assert.rejects(withDeadline(never, 100, () => new Error('too slow')), /too slow/);
  assert.ok(Date.now() - started < 1_000);
  const stop = new AbortController();
  setTimeout(() => stop.abort(new Error('stopping')), 50);
  await assert.rejects(withDeadline(never, 60_000, () => new Error('too slow'), stop.signal), /stopping/);
  assert.equal(await withDeadline(Promise.resolve('done'), 100, () => new Error('too slow')), 'done');
});
