// The process logger: pino, JSON lines on stderr (so stdout stays for command output).
import pino, { type Logger } from 'pino';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent';

export function createLogger(level: LogLevel = 'info'): Logger {
  return pino({ level, base: { app: 'ecs-operator' }, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination(2));
}
