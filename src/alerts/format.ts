// How an event reads for people: a one-line summary (the log message) and the Slack-compatible `text`
// of the webhook body, which adds the revision and the field diff in a code block.
import { formatDifferences } from '../diff/render.js';
import type { AlertEvent } from './events.js';

/** Longest diff shown in `text`; the full list is in the event's `differences`. */
const MAX_DIFF_LINES = 20;

/** `[warning] DriftDetected Service/web: <message>`. */
export function summaryLine(event: AlertEvent): string {
  return `[${event.severity}] ${event.type} ${event.resource.kind}/${event.resource.name}: ${event.message}`;
}

/** Slack's mrkdwn reserves &, < and >: everything from manifests and AWS is escaped. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function revisionLine(event: AlertEvent): string | undefined {
  const r = event.revision;
  if (!r) return undefined;
  const subject = r.message ? ` "${r.message.split('\n')[0]}"` : '';
  const author = r.author ? ` by ${r.author}` : '';
  return `revision ${r.id.slice(0, 12)}${subject}${author}`;
}

/**
 * The `text` field: `*DriftDetected* Service/web: message`, the revision on the next line, then
 * the field diff (`/desiredCount: 1 -> 2`, live then desired) in a code block, at most 20 lines.
 */
export function slackText(event: AlertEvent): string {
  const lines = [`*${event.type}* ${escapeMrkdwn(`${event.resource.kind}/${event.resource.name}: ${event.message}`)}`];
  const revision = revisionLine(event);
  if (revision) lines.push(`_${escapeMrkdwn(revision)}_`);
  if (event.differences.length > 0) {
    const diff = formatDifferences(event.differences);
    const shown = diff.slice(0, MAX_DIFF_LINES);
    if (diff.length > shown.length) shown.push(`... and ${diff.length - shown.length} more`);
    // Backticks inside would end the code block early.
    lines.push('```\n' + escapeMrkdwn(shown.join('\n')).replace(/```/g, "'''") + '\n```');
  }
  return lines.join('\n');
}
