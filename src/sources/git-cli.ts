// Running the real `git` CLI, so that every credential mechanism users already have works (SSH keys and
// agents, GIT_SSH_COMMAND, credential helpers). No shell is involved; every command has a deadline;
// nothing may prompt; secrets travel in the environment, never on the command line or in a message.
import { spawn } from 'node:child_process';
import { formatDuration } from '../core/duration.js';
import { redactText } from '../core/redact.js';

/** A git command that failed, timed out or was aborted. The message is safe to log and show. */
export class GitError extends Error {
  override name = 'GitError';
  constructor(
    message: string,
    /** git's exit code; undefined when it was killed (timeout, abort) or could not start. */
    readonly exitCode?: number,
    /** git's stderr, credentials redacted. */
    readonly stderr = '',
  ) {
    super(message);
  }
}

export interface GitRunOptions {
  env: NodeJS.ProcessEnv;
  /** The repository (`--git-dir`); omitted for commands that take no repository, like init. */
  gitDir?: string;
  /** Killed (process group: ssh too) after this long. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Written to stdin, then stdin is closed. */
  input?: string;
}

/** Variables that would point git at another repository than the one we name. */
const LOCATING = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_COMMON_DIR', 'GIT_NAMESPACE'];

/**
 * The environment git runs with: `base` (so SSH_AUTH_SOCK, GIT_SSH_COMMAND, HOME and its credential
 * helpers pass through), prompts turned off (a missing credential fails at once instead of hanging),
 * and `config` appended as GIT_CONFIG_KEY_n/GIT_CONFIG_VALUE_n after any the caller already set:
 * configuration that never appears in a process list or on disk.
 */
export function gitEnvironment(base: NodeJS.ProcessEnv, config: Array<[key: string, value: string]>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, GIT_TERMINAL_PROMPT: '0', GCM_INTERACTIVE: 'never' };
  for (const name of LOCATING) delete env[name];
  let count = Number(base.GIT_CONFIG_COUNT ?? 0);
  if (!Number.isInteger(count) || count < 0) count = 0;
  for (const [key, value] of config) {
    env[`GIT_CONFIG_KEY_${count}`] = key;
    env[`GIT_CONFIG_VALUE_${count}`] = value;
    count += 1;
  }
  env.GIT_CONFIG_COUNT = String(count);
  return env;
}

/** Runs `git args...` and resolves with its stdout; rejects with a GitError carrying git's own words. */
export function runGit(args: string[], options: GitRunOptions): Promise<Buffer> {
  const argv = options.gitDir ? ['--git-dir', options.gitDir, ...args] : args;
  const what = `git ${args[0] ?? ''}`.trim();
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(new GitError(`${what} aborted`));
    // A process group of its own, and no controlling terminal: ssh cannot ask for a passphrase or a
    // host key confirmation, and a timeout ends ssh along with git.
    const child = spawn('git', argv, { env: options.env, stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], detached: true });
    const stdout: Buffer[] = [];
    let stderr = '';
    let killedFor: string | undefined;
    const kill = (reason: string) => {
      if (killedFor || child.exitCode !== null || child.pid === undefined) return;
      killedFor = reason;
      // SIGTERM first: git removes its lock files on it; SIGKILL if it lingers.
      signalGroup(child.pid, 'SIGTERM');
      setTimeout(() => signalGroup(child.pid!, 'SIGKILL'), 2_000).unref();
    };
    const timer = setTimeout(() => kill(`timed out after ${formatDuration(options.timeoutMs)}`), options.timeoutMs);
    const onAbort = () => kill('aborted');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdin?.on('error', () => undefined); // git may exit before reading all its input
    child.stdin?.end(options.input);
    const finish = () => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    child.on('error', (err: NodeJS.ErrnoException) => {
      finish();
      const hint = err.code === 'ENOENT' ? ': git is not installed or not on PATH' : `: ${err.message}`;
      reject(new GitError(`${what} could not start${hint}`));
    });
    child.on('close', (code) => {
      finish();
      const said = redactText(stderr.trim());
      if (killedFor) return reject(new GitError(`${what} ${killedFor}${said ? `: ${firstProblem(said)}` : ''}`, undefined, said));
      if (code !== 0) return reject(new GitError(`${what} failed: ${firstProblem(said) || `exit code ${code}`}`, code ?? undefined, said));
      resolve(Buffer.concat(stdout));
    });
  });
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** git's most telling line: the first `fatal:` or `error:`, else the first line, prefix dropped. */
function firstProblem(stderr: string): string {
  const lines = stderr.split('\n').map((line) => line.trim()).filter(Boolean);
  const line = lines.find((l) => /^(fatal|error):/.test(l)) ?? lines[0] ?? '';
  return line.replace(/^(fatal|error):\s*/, '').slice(0, 500);
}
