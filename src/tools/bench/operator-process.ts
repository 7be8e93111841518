// The operator as users run it: the built CLI's `run --source DIR` as a child process, pointed at the
// AWS endpoint through the standard AWS_ENDPOINT_URL. The benchmark reads it from outside only: its
// HTTP endpoints, /proc, and (when profiling) the IPC channel of the profile hook.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../main.js', import.meta.url));
const PROFILE_HOOK = new URL('./profile-hook.js', import.meta.url).href;

export interface OperatorOptions {
  source: string;
  port: number;
  resyncIntervalMs: number;
  /** The operator's own --aws-rate-scale. */
  rateScale: number;
  env: Record<string, string>;
  /** Loads the profile hook and opens the IPC channel it listens on. */
  profile?: boolean;
  extraArgs?: string[];
}

export interface HttpAnswer {
  status: number;
  bytes: number;
  ms: number;
}

/** One GET on a new connection, as a load balancer or kubelet probe makes it. */
export function httpGet(port: number, path: string, timeoutMs = 10_000): Promise<HttpAnswer> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, timeout: timeoutMs }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, ms: performance.now() - t0 }));
      res.on('error', () => resolve({ status: 0, bytes, ms: performance.now() - t0 }));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve({ status: 0, bytes: 0, ms: performance.now() - t0 }));
    req.end();
  });
}

export class OperatorProcess {
  readonly child: ChildProcess;
  readonly startedAt = performance.now();
  /** The last 64 KiB of its log (stderr), for a failure message. */
  private logTail = '';
  readonly exited: Promise<number | null>;

  constructor(readonly options: OperatorOptions) {
    const node = options.profile ? ['--import', PROFILE_HOOK] : [];
    const args = [
      ...node, CLI, 'run', '--source', options.source, '--listen', `127.0.0.1:${options.port}`,
      '--resync-interval', `${options.resyncIntervalMs}ms`, '--aws-rate-scale', String(options.rateScale), '--log-level', 'warn',
      ...(options.extraArgs ?? []),
    ];
    this.child = spawn(process.execPath, args, {
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...options.env },
      stdio: ['ignore', 'ignore', 'pipe', ...(options.profile ? ['ipc' as const] : [])],
    });
    this.child.stderr!.on('data', (c: Buffer) => (this.logTail = (this.logTail + c.toString()).slice(-65536)));
    this.exited = once(this.child, 'exit').then(([code]) => code as number | null);
  }

  get pid(): number {
    return this.child.pid!;
  }

  get log(): string {
    return this.logTail;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Milliseconds from spawn until `path` answers 200 (polled every `everyMs`). */
  async until200(path: string, timeoutMs: number, everyMs = 100): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      if (!this.alive) throw new Error(`the operator exited (${this.child.exitCode ?? this.child.signalCode}) before ${path} answered 200:\n${this.logTail.slice(-3000)}`);
      if ((await httpGet(this.options.port, path, 2000)).status === 200) return performance.now() - this.startedAt;
      await new Promise((r) => setTimeout(r, everyMs));
    }
    throw new Error(`${path} did not answer 200 within ${timeoutMs} ms:\n${this.logTail.slice(-3000)}`);
  }

  /** Sends a command to the profile hook and waits for its answer (the files it wrote). */
  async hook(command: object): Promise<string[]> {
    if (!this.child.send) throw new Error('the operator was started without the profile hook');
    const answer = once(this.child, 'message') as Promise<[{ files?: string[]; error?: string }]>;
    this.child.send(command);
    const [reply] = await answer;
    if (reply.error) throw new Error(`profile hook: ${reply.error}`);
    return reply.files ?? [];
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code. */
  async stop(graceMs = 30_000): Promise<number | null> {
    if (!this.alive) return this.child.exitCode;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }

  /** SIGKILL: the process gets no chance to finish anything, as in a node failure or an OOM kill. */
  async kill(): Promise<void> {
    if (this.alive) this.child.kill('SIGKILL');
    await this.exited;
  }
}
