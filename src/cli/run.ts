// `ecs-operator run`: the long-running controller. Wires the source, the HTTP endpoints, telemetry
// and, with --lease-table, leader election; reconciles in terms (run-term.ts) while this process is
// the leader; stops gracefully on SIGTERM or SIGINT, and then hands the lease over.
import { createLogger } from '../core/log.js';
import { UsageError } from '../core/errors.js';
import { untilAborted } from '../core/clock.js';
import type { Logger } from 'pino';
import { requireToken } from '../http/auth.js';
import { coreRoutes } from '../http/routes.js';
import { HttpServer, parseListen } from '../http/server.js';
import { createTelemetry } from '../operator/telemetry.js';
import { gitWebhookRoute } from '../http/webhook.js';
import { LeaderElector } from '../lease/elector.js';
import { alwaysLeader, type Leadership } from '../lease/leadership.js';
import { runTerms } from '../operator/terms.js';
import { DEFAULT_TIMING, timingProblem, type LeaseTiming } from '../lease/timing.js';
import { DirectorySource } from '../sources/directory.js';
import { GitSource } from '../sources/git.js';
import { gitRemote } from '../sources/git-url.js';
import { createApp, createLeaseStore, type App } from './app.js';
import { createTerm, PassRelay, type Term } from '../operator/run-term.js';
import { StatusStore } from '../status/store.js';
import { KIND_ORDER } from '../kinds/registry.js';
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
  const timing = leaseTiming(flags);
  const webhookSecret = await secretOf(flags, 'webhook-secret-file')?.read();
  const apiToken = await secretOf(flags, 'api-token-file')?.read();
  const status = new StatusStore(KIND_ORDER);
  const leaseStore = flags.leaseTable ? createLeaseStore(flags.leaseTable, { region: flags.region, profile: flags.profile }) : undefined;
  const elector = leaseStore ? new LeaderElector({ store: leaseStore, name: flags.leaseName ?? flags.instance, timing, log }) : undefined;
  const leadership: Leadership = elector ?? alwaysLeader;
  const telemetry = await createTelemetry({
    log, status, webhookUrl: flags.alertWebhook, webhookSecret: secretOf(flags, 'alert-webhook-secret-file'), leader: () => leadership.isLeader,
  });
  let app: App | undefined;
  let http: HttpServer | undefined;
  let term: Term | undefined;
  const stop = new AbortController();
  // Fires on shutdown, once passes in flight finished or the grace ran out: it aborts what AWS calls remain.
  const cutoff = new AbortController();
  const electing = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    log.info({ signal }, 'shutting down');
    stop.abort();
  };
  try {
    app = await createApp({
      rateScale: flags.awsRateScale, signal: cutoff.signal, region: flags.region, profile: flags.profile, ...(elector ? { fence: elector } : {}),
    });
    await leaseStore?.prepare().catch((err: Error) => {
      throw new UsageError(`leader election (--lease-table): ${err.message}`);
    });
    const passes = new PassRelay();
    telemetry.attach({ controller: passes, pruner: passes, aws: app.aws.stats, pacing: app.aws.pacing });
    // A standby is ready: it serves its purpose (standing by), and an orchestrator that waits for
    // readiness before stopping the old leader (a rolling deploy) must not wait forever.
    // Once stopping, the last term says how far its stop has got, leader or not (the lease goes first).
    const leading = () => leadership.isLeader || (stop.signal.aborted && term !== undefined);
    const ready = () => !leading() || (term?.manager.ready ?? false);
    const phase = () => (leading() ? term?.manager.phase ?? 'starting' : 'standby');
    http = new HttpServer({
      ...listen, log,
      routes: requireToken([
        ...coreRoutes({ status, ready, phase, leadership: () => leadership.status() }),
        ...telemetry.routes,
        gitWebhookRoute({
          secret: webhookSecret, log, onPush: () => source.refresh(),
          ...(source instanceof GitSource ? { watches: (ref: string) => source.watchesRef(ref) } : {}),
        }),
      ], apiToken),
    });
    const address = await http.start().catch((err: NodeJS.ErrnoException) => {
      throw new UsageError(`--listen ${flags.listen}: ${LISTEN_ERRORS[err.code ?? ''] ?? err.message}`);
    });
    if (!apiToken && !isLoopback(address.address)) {
      log.warn({ listen: `${address.address}:${address.port}` }, 'the status API and /metrics are open to anyone who can reach this address: set --api-token-file, or listen on 127.0.0.1');
    }
    log.info({
      listen: `${address.address}:${address.port}`, source: source.describe().url, instance: flags.instance,
      ...(elector ? { lease: { table: flags.leaseTable, name: flags.leaseName ?? flags.instance, holder: elector.holder } } : {}),
    }, 'ecs-operator started');
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
    const campaign = elector?.run(electing.signal);
    // On SIGTERM the lease is handed over at once, while the passes in flight finish: the release closes
    // the write fence first, so they cannot write once a successor may have started.
    const handover = untilAborted(stop.signal).then(async () => {
      electing.abort();
      await campaign;
      await elector?.release();
    });
    const deps = { flags, app, source, status, log, passes, cutoff, processStopping: () => stop.signal.aborted };
    await runTerms(leadership, stop.signal, async (signal) => {
      term = createTerm(deps);
      await term.run(signal);
      if (!stop.signal.aborted) log.warn({ lease: leadership.status().lease }, 'no longer the leader: reconciling stopped, standing by');
    });
    await handover;
  } finally {
    process.removeListener('SIGTERM', onSignal);
    process.removeListener('SIGINT', onSignal);
    electing.abort();
    await http?.stop();
    await telemetry.close();
    app?.close();
    leaseStore?.destroy();
    log.info('ecs-operator stopped');
    log.flush?.();
  }
  return 0;
}

/** What a failed listen means, in the words a person uses. */
const LISTEN_ERRORS: Record<string, string> = {
  EADDRINUSE: 'address already in use',
  EACCES: 'permission denied (ports below 1024 need privileges)',
  EADDRNOTAVAIL: 'address not available on this machine',
};

function isLoopback(host: string): boolean {
  return host === '::1' || host.startsWith('127.') || host === 'localhost';
}

/** The lease settings, checked: unsound ones are a usage error. */
function leaseTiming(flags: RunFlags): LeaseTiming {
  const timing = { ...DEFAULT_TIMING, durationMs: flags.leaseDuration, renewIntervalMs: flags.leaseRenewInterval };
  const problem = flags.leaseTable ? timingProblem(timing) : undefined;
  if (problem) throw new UsageError(`--lease-duration / --lease-renew-interval: ${problem}`);
  return timing;
}

/** A GitSource when --source is a repository, else a DirectorySource; Git-only flags on a folder are a usage error. */
function createSource(flags: RunFlags, log: Logger, token: Secret | undefined): GitSource | DirectorySource {
  const url = gitRemote(flags.source);
  if (!url) {
    const gitOnly = (['ref', 'path'] as const).filter((flag) => flags[flag] !== undefined).map((flag) => `--${flag}`);
    if (token) gitOnly.push(token.origin);
    if (gitOnly.length > 0) throw new UsageError(`${gitOnly[0]} applies to a Git source only, and ${flags.source} is a folder`);
    return new DirectorySource(flags.source, { debounceMs: flags.debounce, settleMs: flags.settle, usePolling: flags.watchPoll });
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
