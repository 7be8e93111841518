// A controller over the example manifests against moto, through the real SDK adapters, with the AWS
// calls of each step counted: what the auto scaling and load balancer tests drive.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pino from 'pino';
import { createAwsClients, type AwsClients } from '../../src/aws/clients.js';
import { sdkPorts } from '../../src/cli/app.js';
import { createHandlers } from '../../src/kinds/registry.js';
import { validatePaths } from '../support/manifests.js';
import { Controller } from '../../src/runtime/controller.js';
import type { ResourceStatus } from '../../src/status/types.js';
import { exampleManifests } from '../support/examples.js';
import type { Fixtures } from '../../src/tools/fixtures.js';

export interface Harness {
  dir: string;
  fixtures: Fixtures;
  aws: AwsClients;
  controller: Controller;
  /** Loads the folder again and reconciles what changed; the AWS calls it made, by `api:Operation`. */
  reload(): Promise<Record<string, number>>;
  /** One resync wave of every resource; the AWS calls it made. */
  resync(): Promise<Record<string, number>>;
  /** Rewrites one example file (path relative to the folder). */
  edit(file: string, change: (text: string) => string): Promise<void>;
  status(key: string): ResourceStatus;
  stop(): Promise<void>;
}

/**
 * Stops the harness's controller and starts a new one on the same folder and AWS clients (new ports,
 * so nothing cached): what a restarted operator knows. The caller stops it.
 */
export async function restarted(h: Harness): Promise<Controller> {
  await h.controller.stop();
  const controller = new Controller({ handlers: createHandlers(sdkPorts(h.aws)), mode: 'run', log: pino({ level: 'silent' }) });
  controller.setDesired(await load(h.dir));
  controller.start();
  await controller.idle();
  return controller;
}

/** Only the writes (not Describe, List or Get) of a call count. */
export function writesOf(calls: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(calls).filter(([op]) => !/:(Describe|List|Get)/.test(op)));
}

async function load(dir: string) {
  const { state, errors } = await validatePaths([dir]);
  if (!state) throw new Error(`manifests do not load: ${JSON.stringify(errors)}`);
  return state;
}

/**
 * The examples (fixtures created in the emulator the SDK points at), converged once; `prepare` may
 * change the copied files first.
 */
export async function startExamples(prepare?: (edit: Harness['edit']) => Promise<void>): Promise<Harness> {
  const { dir, fixtures } = await exampleManifests();
  const edit: Harness['edit'] = async (file, change) => writeFile(join(dir, file), change(await readFile(join(dir, file), 'utf8')));
  await prepare?.(edit);
  const aws = createAwsClients({ rateScale: Infinity });
  const controller = new Controller({ handlers: createHandlers(sdkPorts(aws)), mode: 'run', log: pino({ level: 'silent' }) });
  controller.setDesired(await load(dir));
  controller.start();
  await controller.idle();
  const counted = async (step: () => Promise<void>) => {
    const before = aws.stats.snapshot();
    await step();
    await controller.idle();
    return aws.stats.since(before);
  };
  return {
    dir, fixtures, aws, controller,
    reload: async () => counted(async () => void controller.setDesired(await load(dir))),
    resync: async () => counted(() => controller.resync()),
    edit,
    status: (key) => controller.status.get(key as never)!,
    stop: async () => {
      await controller.stop();
      aws.destroy();
    },
  };
}
