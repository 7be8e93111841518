// `ecs-operator validate` through the built CLI: one run over a folder reports every problem of every
// file, schema errors and the kinds' rules alike, each as file:line:col, and exits 1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { doc, FARGATE_TD } from './helpers.js';

test('one validate run reports a schema error and a cpu/memory error in one file, a negative count and a missing image in another', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'validate-'));
  try {
    // task-definition.yaml: an unknown field (schema) and 4 GB on a 0.25 vCPU Fargate task (kind rule).
    await writeFile(join(dir, 'task-definition.yaml'), doc('TaskDefinition', 'web', FARGATE_TD.replace('memory: "512"', 'memory: "4 GB"').replace('cpu: "256"', 'cpu: "256"\ncpuArchitecture: ARM64')));
    // app.yaml: desiredCount -1 (a documented range) and a container without image (required in practice).
    await writeFile(join(dir, 'app.yaml'), [
      doc('TaskDefinition', 'api', 'containerDefinitions:\n  - name: api\n    memory: 256'),
      doc('Service', 'api', 'taskDefinition: api\ndesiredCount: -1'),
    ].join('---\n'));
    const r = await runCli(['validate', dir]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const errors = r.stdout.split('\n').filter((l) => l.includes(': ') && !l.startsWith('invalid'));
    const at = (file: string) => join(dir, file);
    assert.deepEqual(errors, [
      `${at('app.yaml')}:7:7: missing required field "image" (at /spec/containerDefinitions/0/image)`,
      `${at('app.yaml')}:16:3: must be between 0 and 5000, got -1 (at /spec/desiredCount)`,
      `${at('task-definition.yaml')}:9:3: unknown field "cpuArchitecture" (at /spec/cpuArchitecture)`,
      `${at('task-definition.yaml')}:10:3: memory 4096 MiB does not fit cpu 256 on Fargate: use 512, 1024 or 2048 MiB (at /spec/memory)`,
    ]);
    assert.match(r.stdout, /^invalid: 4 error\(s\)$/m);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
