// The folder source, on a real folder: a missing folder is read again until it appears; files are
// delivered only once quiet (a file rewritten in two steps is never delivered half-written); the watch
// survives the root being deleted and recreated, moved away and back, or switched through a symbolic
// link; refresh() reads at once; a FIFO is an error naming it and never blocks
// the source or its stop; files that never stop changing are reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectorySource, type DirectorySourceOptions } from '../../src/sources/directory.js';
import type { Revision } from '../../src/core/types.js';

const cluster = (name: string) => `apiVersion: ecs-operator.dev/v1alpha1\nkind: Cluster\nmetadata: {name: ${name}}\nspec: {}\n`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const FAST: DirectorySourceOptions = { debounceMs: 20, settleMs: 200, rootCheckMs: 100 };

/** A started source on `dir`, with what it delivered and reported; stopped and cleaned by `run`. */
async function following(dir: string, options: DirectorySourceOptions, run: (s: ReturnType<typeof follow>) => Promise<void>): Promise<void> {
  const source = follow(dir, options);
  try {
    await run(source);
  } finally {
    await source.stop();
  }
}

function follow(dir: string, options: DirectorySourceOptions) {
  const revisions: Revision[] = [];
  const errors: Error[] = [];
  const fetched: string[] = [];
  const stop = new AbortController();
  const source = new DirectorySource(dir, options);
  const done = source.start(stop.signal, async (r) => void revisions.push(r), (e) => void errors.push(e), (at) => void fetched.push(at));
  const until = async (check: () => boolean, what: string, timeoutMs = 5_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!check() && Date.now() < deadline) await sleep(25);
    assert.ok(check(), what);
  };
  /** The content of `file` in the latest revision. */
  const latest = (file: string) => revisions.at(-1)?.files.get(file);
  return {
    source, revisions, errors, fetched, until, latest,
    async stop() {
      stop.abort();
      await done;
    },
  };
}

function tempRoot(): string {
  return mkdtempSync(join(tmpdir(), 'dir-source-'));
}

test('a folder that does not exist yet is reported, then read once it appears', async () => {
  const root = tempRoot();
  const dir = join(root, 'manifests');
  try {
    await following(dir, FAST, async (s) => {
      await s.until(() => s.errors.length > 0, 'the missing folder is reported');
      assert.match(s.errors[0]!.message, /no such file or directory/);
      mkdirSync(dir);
      writeFileSync(join(dir, 'cluster.yaml'), cluster('c'));
      await s.until(() => s.revisions.length === 1, 'read once it appears');
      assert.deepEqual([...s.revisions[0]!.files.keys()], ['cluster.yaml']);
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a file rewritten in two steps (a 1.5 s pause between them) is never delivered half-written', async () => {
  const root = tempRoot();
  const both = `${cluster('a')}---\n${cluster('b')}`;
  try {
    writeFileSync(join(root, 'clusters.yaml'), both);
    const rewrite = async (thenWaitMs: number) => {
      writeFileSync(join(root, 'clusters.yaml'), cluster('a'));
      await sleep(1_500);
      appendFileSync(join(root, 'clusters.yaml'), `---\n${cluster('b')}`);
      await sleep(thenWaitMs);
    };
    await following(root, { debounceMs: 100 }, async (s) => {
      await s.until(() => s.revisions.length === 1, 'first read', 8_000);
      await rewrite(2_500); // past the 2 s quiet window
      assert.equal(s.revisions.length, 1, 'the final bytes equal the first: nothing new to deliver');
      assert.ok(s.revisions.every((r) => r.files.get('clusters.yaml') === both));
    });
    // Without the quiet window the half-written file is delivered: what the window prevents.
    await following(root, { debounceMs: 100, settleMs: 0 }, async (s) => {
      await s.until(() => s.revisions.length === 1, 'first read');
      await rewrite(300);
      assert.ok(s.revisions.some((r) => r.files.get('clusters.yaml') === cluster('a')));
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the root deleted and made again, or moved away and back: later edits are still seen', async () => {
  const root = tempRoot();
  const dir = join(root, 'manifests');
  try {
    mkdirSync(dir);
    writeFileSync(join(dir, 'cluster.yaml'), cluster('one'));
    await following(dir, FAST, async (s) => {
      await s.until(() => s.revisions.length === 1, 'first read');
      rmSync(dir, { recursive: true });
      await s.until(() => s.errors.length > 0, 'the missing root is reported');
      mkdirSync(dir);
      writeFileSync(join(dir, 'cluster.yaml'), cluster('two'));
      await s.until(() => s.latest('cluster.yaml') === cluster('two'), 'the recreated folder is read');
      writeFileSync(join(dir, 'cluster.yaml'), cluster('three'));
      await s.until(() => s.latest('cluster.yaml') === cluster('three'), 'an edit in the recreated folder is seen');

      renameSync(dir, `${dir}.away`);
      await sleep(300);
      renameSync(`${dir}.away`, dir);
      await sleep(300);
      writeFileSync(join(dir, 'cluster.yaml'), cluster('four'));
      await s.until(() => s.latest('cluster.yaml') === cluster('four'), 'an edit after moving it back is seen');
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a symbolic link switch (ln -s new tmp && mv -T tmp current) is followed; the old folder no longer is', async () => {
  const root = tempRoot();
  try {
    for (const [version, name] of [['v1', 'one'], ['v2', 'two']] as const) {
      mkdirSync(join(root, version));
      writeFileSync(join(root, version, 'cluster.yaml'), cluster(name));
    }
    symlinkSync(join(root, 'v1'), join(root, 'current'));
    await following(join(root, 'current'), FAST, async (s) => {
      await s.until(() => s.revisions.length === 1, 'first read');
      symlinkSync(join(root, 'v2'), join(root, 'tmp'));
      execFileSync('mv', ['-T', join(root, 'tmp'), join(root, 'current')]);
      await s.until(() => s.latest('cluster.yaml') === cluster('two'), 'the new target is read');
      writeFileSync(join(root, 'v2', 'cluster.yaml'), cluster('two-b'));
      await s.until(() => s.latest('cluster.yaml') === cluster('two-b'), 'an edit in the new target is seen');
      const count = s.revisions.length;
      writeFileSync(join(root, 'v1', 'cluster.yaml'), cluster('old'));
      await sleep(800);
      assert.equal(s.revisions.length, count, 'the old target is not followed');
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('refresh() re-reads the folder at once, with or without an event', async () => {
  const root = tempRoot();
  try {
    writeFileSync(join(root, 'cluster.yaml'), cluster('one'));
    await following(root, { ...FAST, debounceMs: 60_000 }, async (s) => {
      await s.until(() => s.revisions.length === 1, 'first read');
      s.source.refresh();
      await s.until(() => s.fetched.length === 1, 'a read that found nothing new');
      // Events wait out the (long) debounce here; refresh() reads now.
      writeFileSync(join(root, 'cluster.yaml'), cluster('two'));
      await sleep(300);
      assert.equal(s.revisions.length, 1);
      s.source.refresh();
      await s.until(() => s.latest('cluster.yaml') === cluster('two'), 'refresh reads the change');
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a FIFO named like a manifest is an error naming it; the source neither blocks nor delays its stop', async () => {
  const root = tempRoot();
  try {
    writeFileSync(join(root, 'cluster.yaml'), cluster('c'));
    const s = follow(root, FAST);
    try {
      await s.until(() => s.revisions.length === 1, 'first read');
      execFileSync('mkfifo', [join(root, 'pipe.yaml')]);
      await s.until(() => s.revisions.length === 2, 'a new revision with the FIFO reported');
      assert.deepEqual(s.revisions[1]!.unreadable?.map((d) => `${d.file}: ${d.message}`), ['pipe.yaml: is a FIFO (named pipe), not a regular file: not read']);
      writeFileSync(join(root, 'cluster.yaml'), cluster('d'));
      await s.until(() => s.latest('cluster.yaml') === cluster('d'), 'later edits still read');
    } finally {
      const started = Date.now();
      await s.stop();
      assert.ok(Date.now() - started < 1_000, 'stopped at once');
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('files that never stop changing are reported as a failure, and read once they stop', async () => {
  const root = tempRoot();
  try {
    writeFileSync(join(root, 'cluster.yaml'), cluster('c'));
    writeFileSync(join(root, 'busy.yaml'), '');
    const writer = setInterval(() => writeFileSync(join(root, 'busy.yaml'), `${cluster('busy')}# ${Date.now()}\n`), 100);
    await following(root, { ...FAST, keepsChangingMs: 1_000 }, async (s) => {
      try {
        await s.until(() => s.errors.length > 0, 'reported');
        assert.match(s.errors[0]!.message, /^busy\.yaml has kept changing for over 1 s: the folder is read once nothing in it changed for 0.2 s$/);
        assert.equal(s.revisions.length, 0);
      } finally {
        clearInterval(writer);
      }
      await s.until(() => s.revisions.length === 1, 'read once quiet');
      assert.equal(s.errors.length, 1, 'reported once');
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
