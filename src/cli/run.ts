// `ecs-operator run`: the long-running controller. Wires the source, the loader, the controller, the
// manager and the HTTP endpoints; stops gracefully on SIGTERM or SIGINT.
import { loadRevision } from '../desired/load.js';
import { createLogger } from '../core/log.js';
import { UsageError } from '../core/errors.js';
import type { Logger } from 'pino';
import { coreRoutes } from '../http/routes.js';
import { HttpServer, parseListen } from '../http/server.js';
import { createTelemetry } from '../http/telemetry.js';
import { gitWebhookRoute } from '../http/webhook.js';
import { Controller } from '../runtime/controller.js';
import { Manager } from '../runtime/manager.js';
import { Pruner } from '../runtime/pruner.js';
import { DirectorySource } from '../sources/directory.js';
import { GitSource } from '../sources/git.js';
import { gitRemote } from '../sources/git-url.js';
import { createApp, type App } from './app.js';
import { StatusStore } from '../status/store.js';
import { secretOf, withoutSecretValues, type RunFlags } from './run-options.js';
import type { Secret } from '../core/secret.js';

export async function runCommand(flags: RunFlags): Promise<number> {
  const log = createLogger(flags.logLevel);
  let listen;
  try {
    listen = parseListen(flags.listen);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  // Every flag is checked (and every secret file read) before AWS is touched.
  const source = createSource(flags, log, secretOf(flags, 'git-token-file'));
  const webhookSecret = await secretOf(flags, 'webhook-secret-file')?.read();
  const status = new StatusStore();
  const telemetry = await createTelemetry({ log, status, webhookUrl: flags.alertWebhook, webhookSecret: secretOf(flags, 'alert-webhook-secret-file') });
  let app: App | undefined;
  let http: HttpServer | undefined;
  const stop = new AbortController();
  // Fires on shutdown, once passes in flight finished or the grace ran out: it aborts what AWS calls remain.
  const cutoff = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    log.info({ signal }, 'shutting down');
    stop.abort();
  };
  try {
    app = await createApp({ rateScale: flags.awsRateScale, signal: cutoff.signal });
    const controller = new Controller({
      handlers: app.handlers, mode: 'run', log, status, instance: flags.instance, adopt: flags.adopt,
      driftDefault: flags.drift, concurrency: flags.concurrency, signal: cutoff.signal,
    });
    const pruner = flags.prune
      ? new Pruner({
        handlers: app.handlers, status, log, maxDeletes: flags.pruneMax, allowEmpty: flags.pruneAllowEmpty,
        current: () => controller.desired, context: (state) => controller.contextFor(state),
      })
      : undefined;
    const manager = new Manager({
      controller, source, log, load: (revision) => loadRevision(revision),
      resyncIntervalMs: flags.resyncInterval, shutdownGraceMs: flags.shutdownGrace, ...(pruner ? { pruner } : {}),
      abortInFlight: () => cutoff.abort(),
    });
    telemetry.attach({ controller, aws: app.aws.stats });
    http = new HttpServer({
      ...listen, log,
      routes: [
        ...coreRoutes({ status, ready: () => manager.ready, phase: () => manager.phase }),
        ...telemetry.routes,
        gitWebhookRoute({
          secret: webhookSecret, log, onPush: () => source.refresh(),
          ...(source instanceof GitSource ? { watches: (ref: string) => source.watchesRef(ref) } : {}),
        }),
      ],
    });
    const address = await http.start();
    log.info({ listen: `${address.address}:${address.port}`, source: source.describe().url, instance: flags.instance }, 'ecs-operator started');
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
    await manager.run(stop.signal);
  } finally {
    process.removeListener('SIGTERM', onSignal);
    process.removeListener('SIGINT', onSignal);
    await http?.stop();
    await telemetry.close();
    app?.close();
    log.info('ecs-operator stopped');
    log.flush?.();
  }
  return 0;
}

/** A GitSource when --source is a repository, else a DirectorySource; Git-only flags on a folder are a usage error. */
function createSource(flags: RunFlags, log: Logger, token: Secret | undefined): GitSource | DirectorySource {
  const url = gitRemote(flags.source);
  if (!url) {
    const gitOnly = (['ref', 'path'] as const).filter((flag) => flags[flag] !== undefined).map((flag) => `--${flag}`);
    if (token) gitOnly.push(token.origin);
    if (gitOnly.length > 0) throw new UsageError(`${gitOnly[0]} applies to a Git source only, and ${flags.source} is a folder`);
    return new DirectorySource(flags.source, { debounceMs: flags.debounce, usePolling: flags.watchPoll });
  }
  try {
    return new GitSource({
      url, ref: flags.ref, path: flags.path, pollIntervalMs: flags.pollInterval, cacheRoot: flags.gitCacheDir,
      timeoutMs: flags.gitTimeout, log, ...(token ? { token } : {}),
      // git and what it runs (credential helpers, ssh) need not see secrets given by value.
      env: withoutSecretValues(process.env),
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}
