// `diff --output markdown`: the plan as a pull-request comment. A heading with the totals, a table of
// what changes, then one collapsed <details> per resource holding its unified diff in a ```diff block.
// Everything from manifests and AWS is escaped (HTML in the table and summaries, backtick runs in
// code), and the comment stays under the 65,536 characters GitHub accepts.
import { renderUnifiedDiff } from '../diff/render.js';
import { formatDifferences } from '../diff/render.js';
import type { PlanEntry, PlanReport } from './plan-report.js';
import { totalsLine, undeclaredNote } from './plan-report.js';

/** Under GitHub's comment limit (65,536), with room for what a CI job adds around it. */
const MAX_CHARS = 60_000;

const MARK: Record<PlanEntry['action'], string> = {
  create: '➕ create', update: '✏️ update', replace: '⛔ requires replacement', prune: '🗑️ prune',
  blocked: '⛔ blocked', 'in-sync': '✅ in sync', error: '❓ unreadable',
};

/** Text safe inside HTML and a table cell: no tag, no entity, no cell break, no line break. */
export function escapeCell(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '&#124;').replace(/\r?\n/g, ' ');
}

/** Inline code that survives backticks in its content (CommonMark: a longer fence, padded). */
function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${longest > 0 ? ` ${text} ` : text}${fence}`;
}

/** A fenced block whose fence is longer than any backtick run inside. */
function fenced(info: string, body: string): string {
  const longest = Math.max(2, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${info}\n${body.endsWith('\n') ? body : `${body}\n`}${fence}`;
}

function where(entry: PlanEntry): string {
  return entry.file ? code(`${entry.file}:${entry.line}`) : '';
}

function what(entry: PlanEntry): string {
  if (entry.action === 'create') return 'new';
  if (entry.action === 'prune') return `deleted${entry.arn ? `: ${code(entry.arn)}` : ''}`;
  if (entry.message) return escapeCell(entry.message);
  return `${entry.differences.length} field(s)`;
}

function details(entry: PlanEntry): string | undefined {
  if (entry.action === 'prune' || entry.action === 'in-sync') return undefined;
  const text = entry.specs ? renderUnifiedDiff(entry.key, entry.specs.desired, entry.specs.live) : '';
  const body = text || formatDifferences(entry.differences).join('\n');
  const parts = [
    `<details><summary><code>${escapeCell(entry.key)}</code>: ${escapeCell(MARK[entry.action])}${entry.message ? ` — ${escapeCell(entry.message)}` : ''}</summary>`,
    '',
  ];
  if (body) parts.push(fenced('diff', body), '');
  parts.push('</details>');
  return parts.join('\n');
}

/** The plan as one markdown document, ending with a newline. */
export function renderPlanMarkdown(report: PlanReport): string {
  const changes = report.entries.filter((e) => e.action !== 'in-sync');
  const out: string[] = [
    `### ecs-operator plan: ${report.exitCode === 0 ? 'in sync' : escapeCell(totalsLine(report))}`,
    '',
    `Revision ${code(report.revision)} · ${report.entries.length} resource(s)${report.prune.enabled ? ' · prune on' : ''}`,
    '',
  ];
  const note = undeclaredNote(report);
  if (note) out.push(`> ${escapeCell(note)}`, '');
  if (report.prune.blocked && report.prune.enabled) out.push(`> ⛔ ${escapeCell(report.prune.blocked)}`, '');
  for (const e of report.prune.errors) out.push(`> ❓ ${escapeCell(e.message)}`, '');
  if (changes.length > 0) {
    out.push('| Resource | Action | Manifest | Change |', '|---|---|---|---|');
    for (const e of changes) out.push(`| ${code(e.key)} | ${MARK[e.action]} | ${where(e)} | ${what(e)} |`);
    out.push('');
  }
  let size = out.join('\n').length;
  const blocks = changes.map(details).filter((d): d is string => d !== undefined);
  for (const [i, block] of blocks.entries()) {
    if (size + block.length > MAX_CHARS) {
      out.push(`_… ${blocks.length - i} more diff(s) not shown (the comment would be too long): run \`ecs-operator diff\` to see them._`, '');
      break;
    }
    out.push(block, '');
    size += block.length + 2;
  }
  return out.join('\n');
}
