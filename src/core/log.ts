// The process logger: pino, JSON lines on stderr (so stdout stays for command output). Every line is
// masked (core/redact.ts) before it is written: its message, its fields and the bindings of child
// loggers, so that an AWS or git error quoting a secret never reaches the log.
import pino, { type Logger } from 'pino';
import { maskStrings, maskText } from './redact.js';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent';

export function createLogger(level: LogLevel = 'info'): Logger {
  return pino({
    level,
    base: { app: 'ecs-operator' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      log: (object) => maskStrings(object),
      bindings: (bindings) => maskStrings(bindings),
    },
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((arg) => (typeof arg === 'string' ? maskText(arg) : arg)) as Parameters<typeof method>);
      },
    },
  }, pino.destination(2));
}
