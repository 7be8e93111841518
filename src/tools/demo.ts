// `npm run demo`: the operator reconciling the example manifests into a local moto server, as a user
// would run it (the built CLI as a child process), with its progress on the terminal:
//   1. start the emulator and create the network the examples assume; the operator's own deployment
//      (deploy/manifests) goes into the same folder, as it would into the same Git repository;
//   2. diff, apply, and diff again (in sync); a second apply writes nothing;
//   3. a Git-style change (a new image) reaches AWS as one new revision and one service update;
//   4. environments (examples/accounts): staging in the emulator's default account, production in
//      another account and Region through a role; their subnets from SSM, the role from a stack.
// With --watch it then keeps running the controller on the copy, with its endpoints on :8080.
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startMoto } from './moto-server.js';
import { copyManifests, createFixtures } from './fixtures.js';
import { seedAccounts } from './account-fixtures.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = join(root, 'dist', 'main.js');
const { values } = parseArgs({ options: { watch: { type: 'boolean', default: false }, listen: { type: 'string', default: '127.0.0.1:8080' } } });

function step(title: string): void {
  process.stdout.write(`\n\x1b[1m== ${title}\x1b[0m\n`);
}

function ecsOperator(args: string[], env: Record<string, string>): Promise<number> {
  process.stdout.write(`$ ecs-operator ${args.join(' ')}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      stdio: 'inherit',
      env: { ...process.env, ...env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
    if (args[0] === 'run') process.once('SIGINT', () => child.kill('SIGTERM'));
  });
}

async function main(): Promise<number> {
  step('Starting a local AWS emulator (moto server)');
  // Two running tasks per service: rollouts in the emulator complete once the count is reached.
  const moto = await startMoto({ env: { MOTO_ECS_SERVICE_RUNNING: '2' }, aasTags: true, log: (line) => process.stdout.write(`${line}\n`) });
  Object.assign(process.env, moto.awsEnv);
  try {
    const fixtures = await createFixtures();
    const dir = await copyManifests(join(root, 'manifests'), fixtures);
    await copyManifests(join(root, 'deploy', 'manifests'), fixtures, join(dir, 'ecs-operator'));
    process.stdout.write(`network fixtures: ${fixtures.vpc}, ${fixtures.subnetA}, ${fixtures.subnetB}, ${fixtures.securityGroup}\n`);
    process.stdout.write(`example manifests and the operator's own (deploy/manifests, in ecs-operator/) copied to ${dir}\n`);
    process.stdout.write(`(example IDs replaced by the emulator's)\n`);
    const env = moto.awsEnv;
    let failed = 0;
    const expect = (code: number, want: number, what: string) => {
      if (code !== want) {
        failed++;
        process.stdout.write(`\x1b[31m${what}: exit ${code}, expected ${want}\x1b[0m\n`);
      }
    };

    step('What would change (diff against an empty account)');
    expect(await ecsOperator(['validate', dir], env), 0, 'validate');
    expect(await ecsOperator(['diff', dir], env), 1, 'diff');
    step('Apply: create everything, in dependency order, and wait for the rollouts');
    expect(await ecsOperator(['apply', dir], env), 0, 'apply');
    step('Apply again: nothing to do, no AWS writes');
    expect(await ecsOperator(['apply', dir], env), 0, 'second apply');
    expect(await ecsOperator(['diff', dir], env), 0, 'diff after apply');

    step('A commit changes the web image');
    const file = join(dir, 'web', 'task-definition.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('nginx:1.27', 'nginx:1.28'));
    expect(await ecsOperator(['diff', dir], env), 1, 'diff of the change');
    expect(await ecsOperator(['apply', dir], env), 0, 'apply of the change');

    step('Environments: one base, staging and production in two accounts and Regions');
    const networks = await seedAccounts();
    process.stdout.write(`seeded: the stack "deploy-roles" (production's role ARN) and /network/* parameters (staging ${networks.staging.subnets.join(', ')}; production ${networks.production.subnets.join(', ')})\n`);
    const accounts = join(root, 'examples', 'accounts');
    expect(await ecsOperator(['render', accounts, '--lookups', '-e', 'production'], env), 0, 'render with lookups');
    // The emulator reports one running count for every service: rollouts of other counts are not awaited.
    expect(await ecsOperator(['apply', accounts, '--no-wait'], env), 0, 'apply of both environments');
    expect(await ecsOperator(['diff', accounts], env), 0, 'diff of both environments after apply');

    if (values.watch) {
      step(`The controller: watching ${dir}; status on http://${values.listen}/api/v1/status (Ctrl-C to stop)`);
      await ecsOperator(['run', '--source', dir, '--listen', values.listen!, '--resync-interval', '30s'], env);
    }
    step(failed === 0 ? 'Demo finished: every step behaved as expected' : `Demo finished with ${failed} unexpected result(s)`);
    return failed === 0 ? 0 : 1;
  } finally {
    await moto.stop();
  }
}

main().then((code) => (process.exitCode = code), (err) => {
  process.stderr.write(`demo failed: ${(err as Error).stack}\n`);
  process.exitCode = 1;
});
