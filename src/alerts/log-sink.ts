// The log sink: every alert as one pino JSON line at the level its severity says, with the field
// diff as compact lines so `grep DriftDetected` over the logs tells the whole story.
import type { Logger } from 'pino';
import { formatDifferences } from '../diff/render.js';
import type { AlertSink } from './dispatcher.js';
import type { AlertEvent } from './events.js';
import { summaryLine } from './format.js';

const LEVEL = { info: 'info', warning: 'warn', error: 'error' } as const;

/** A sink writing to `log` (the process logger); it never fails. Its metrics label is `log`. */
export function logSink(log: Logger): AlertSink {
  return {
    name: 'log',
    async send(event: AlertEvent) {
      const { id, type, key, resource, revision, details } = event;
      const alert = { id, type, key, resource, ...(revision ? { revision } : {}), ...(details ? { details } : {}),
        ...(event.differences.length ? { differences: formatDifferences(event.differences) } : {}) };
      log[LEVEL[event.severity]]({ alert }, summaryLine(event));
    },
  };
}
