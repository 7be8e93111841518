// The AWS-faithful proxy (../aws-proxy) in its own process, and the benchmark's view of it: its counts
// over HTTP. Its own process, so that paging thousands of ARNs costs the proxy's CPU, not the CPU of
// the process that times /healthz.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Counts } from '../aws-proxy/counts.js';
import type { ProxySettings } from '../aws-proxy/proxy.js';

const MAIN = fileURLToPath(new URL('../aws-proxy/main.js', import.meta.url));

export class ProxyProcess {
  private constructor(private readonly child: ChildProcess, readonly endpoint: string) {}

  static async start(upstream: string, scale: number): Promise<ProxyProcess> {
    const child = spawn(process.execPath, [MAIN, '--upstream', upstream, '--scale', String(scale)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
    return new ProxyProcess(child, (JSON.parse(line) as { endpoint: string }).endpoint);
  }

  get pid(): number {
    return this.child.pid!;
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body?: object): Promise<T> {
    const res = await fetch(`${this.endpoint}/aws-proxy/${path}`, { method, body: body ? JSON.stringify(body) : undefined });
    if (!res.ok) throw new Error(`aws-proxy ${path}: ${res.status}`);
    return (await res.json()) as T;
  }

  counts(): Promise<Counts> {
    return this.call('GET', 'counts');
  }

  resetCounts(): Promise<Counts> {
    return this.call('POST', 'reset');
  }

  refill(): Promise<ProxySettings> {
    return this.call('POST', 'refill');
  }

  configure(change: Partial<ProxySettings>): Promise<ProxySettings> {
    return this.call('POST', 'config', change);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    this.child.kill('SIGTERM');
    await once(this.child, 'exit');
  }
}
