#!/usr/bin/env node
// The entry point: the only place that exits the process.
import { runCli } from './cli/program.js';

runCli(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`fatal: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(2);
  },
);
