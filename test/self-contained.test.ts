// Nothing at build, test or run time reads outside the repository: a clone with nothing beside it
// builds, tests and runs. Every relative path written in the code, the tests, the build files and the
// deployment files must resolve inside the repository, and no file names a machine's own folders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const self = fileURLToPath(import.meta.url);

/** Folders whose every text file is checked, and single files at the root. */
const FOLDERS = ['src', 'test', 'deploy', 'scripts', '.ci', 'manifests'];
const FILES = ['package.json', 'tsconfig.json', 'Dockerfile', '.dockerignore'];
const TEXT = /\.(ts|mts|mjs|js|json|ya?ml|sh|md)$|^[^.]+$/;

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules') continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...walk(path));
    else if (TEXT.test(entry)) out.push(path);
  }
  return out;
}

function checkedFiles(): string[] {
  const files = [...FOLDERS.flatMap((f) => walk(join(root, f))), ...FILES.map((f) => join(root, f)).filter(existsSync)];
  return files.filter((f) => f !== self);
}

/** Relative path literals (`'../x'`, `"../../y"`) and `new URL('../..', import.meta.url)` alike. */
const RELATIVE = /(['"`])((?:\.\.\/)+(?:[^'"`\s]*))\1?/g;
/** Where a machine keeps other checkouts and home folders: a repository file never names them. */
const FOREIGN = [/\/work\//, /\/home\/[a-z]/, /\/root\//, /\/Users\//, /\.\.\/shared\b/, /shared\/aws-models/];

const foreign = (line: string) => FOREIGN.some((pattern) => pattern.test(line));

function outside(file: string, literal: string): boolean {
  const target = resolve(dirname(file), literal);
  return target !== root.replace(/\/$/, '') && !target.startsWith(root.endsWith(sep) ? root : root + sep);
}

test('every relative path in the repository resolves inside it', () => {
  const found: string[] = [];
  for (const file of checkedFiles()) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      for (const m of line.matchAll(RELATIVE)) {
        if (outside(file, m[2]!)) found.push(`${relative(root, file)}:${i + 1}: ${m[2]} leaves the repository`);
      }
    });
  }
  assert.deepEqual(found, []);
});

test('no file names a folder of the machine it was written on', () => {
  const found: string[] = [];
  for (const file of checkedFiles()) {
    readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
      if (foreign(line)) found.push(`${relative(root, file)}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(found, []);
});

test('the checks see what they are meant to: a path out of the repository is caught', () => {
  const file = join(root, 'src', 'tools', 'gen-schemas.ts');
  assert.equal(outside(file, '../../../shared/aws-models'), true);
  assert.equal(outside(file, '../../vendor/aws-models'), false);
  assert.equal(foreign("resolve(REPO_ROOT, '../shared/aws-models')"), true, 'a path made from the root is caught by name');
  assert.equal(foreign("join(REPO_ROOT, 'vendor', 'aws-models')"), false);
  assert.ok(checkedFiles().some((f) => f.endsWith(join('src', 'tools', 'gen-schemas.ts'))));
  assert.ok(checkedFiles().includes(join(root, 'package.json')));
});

test('the AWS models the schema generator reads are vendored, with their licence', () => {
  for (const file of ['ecs-2014-11-13.json', 'application-auto-scaling-2016-02-06.json', 'elastic-load-balancing-v2-2015-12-01.json', 'LICENSE', 'NOTICE']) {
    assert.ok(existsSync(join(root, 'vendor', 'aws-models', file)), `vendor/aws-models/${file}`);
  }
  assert.match(readFileSync(join(root, 'vendor', 'aws-models', 'LICENSE'), 'utf8'), /Apache License/);
});
