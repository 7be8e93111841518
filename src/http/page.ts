// The status page served at `/`: one self-contained HTML document (inline CSS and script, no external
// request) showing the source, the resources' totals by state and one page of them at a time (a
// kind, state and name filter, previous and next), drift as a git-style diff, and the recent events;
// the script (page-script.ts) fills it in and refreshes it. A Content-Security-Policy
// allows exactly that inline script (by hash) and requests to this origin only. The document holds
// no data, so it is served without the API token; when the API asks for one, the page shows a form.
import { createHash } from 'node:crypto';
import type { Kind } from '../core/types.js';
import { STATE_NAMES } from '../status/query.js';
import type { HttpResponse } from './server.js';
import { PAGE_SCRIPT } from './page-script.js';

/** `<option>`s for a select; the values are the API's own names, plain words. */
const options = (values: readonly string[]) => values.map((v) => `<option>${v}</option>`).join('');

const STYLE = `
:root { --fg: #1f2328; --muted: #59636e; --bg: #fff; --panel: #f6f8fa; --line: #d1d9e0;
  --ok: #1a7f37; --ok-bg: #dafbe1; --warn: #7d4e00; --warn-bg: #fff8c5; --bad: #b3261e; --bad-bg: #ffebe9;
  --add: #116329; --add-bg: #e6ffec; --del: #a0111f; --del-bg: #ffebe9; --hunk: #0550ae; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --panel: #151b23; --line: #3d444d;
    --ok: #7ee787; --ok-bg: #12361d; --warn: #e3b341; --warn-bg: #3a2a05; --bad: #ff9492; --bad-bg: #4a1514;
    --add: #aff5b4; --add-bg: #033a16; --del: #ffdcd7; --del-bg: #67060c; --hunk: #79c0ff; }
}
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
header { display: flex; flex-wrap: wrap; gap: 1rem; align-items: baseline; justify-content: space-between; padding: 1rem 1.5rem; border-bottom: 1px solid var(--line); background: var(--panel); }
header h1 { margin: 0; font-size: 1.3rem; }
main { padding: 0 1.5rem 2rem; max-width: 1400px; }
h2 { font-size: 1.1rem; margin: 1.75rem 0 .5rem; }
h3 { font-size: 1rem; margin: 1rem 0 .25rem; }
code, pre { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.muted, .small { color: var(--muted); }
.small { font-size: .85rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0; }
dt { font-weight: 600; }
dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .4rem .6rem; border-bottom: 1px solid var(--line); }
thead th { background: var(--panel); font-size: .85rem; }
tbody th { font-weight: 600; }
.badge { display: inline-block; padding: 0 .45rem; border-radius: 1rem; font-size: .8rem; font-weight: 600; border: 1px solid currentColor; }
.badge.ok { color: var(--ok); background: var(--ok-bg); }
.badge.warn { color: var(--warn); background: var(--warn-bg); }
.badge.bad { color: var(--bad); background: var(--bad-bg); }
.errors { color: var(--bad); }
pre.diff { margin: .25rem 0 1rem; padding: .5rem 0; background: var(--panel); border: 1px solid var(--line); border-radius: 6px; overflow-x: auto; }
pre.diff span { display: block; padding: 0 .75rem; white-space: pre; }
pre.diff .file { font-weight: 700; }
pre.diff .hunk { color: var(--hunk); }
pre.diff .add { color: var(--add); background: var(--add-bg); }
pre.diff .del { color: var(--del); background: var(--del-bg); }
a { color: var(--hunk); }
a:focus-visible, summary:focus-visible { outline: 2px solid var(--hunk); outline-offset: 2px; }
.offline header { background: var(--bad-bg); }
#auth { margin: 1rem 0; padding: .75rem 1rem; border: 1px solid var(--line); border-radius: 6px; background: var(--panel); }
#auth[hidden] { display: none; }
#auth input { font: inherit; padding: .2rem .4rem; min-width: 20rem; }
#auth button { font: inherit; padding: .2rem .8rem; }
#filter { display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; margin: .5rem 0; }
#filter select, #filter input, #pager button { font: inherit; padding: .1rem .4rem; }
#pager { margin: .5rem 0; }
button.count { font: inherit; padding: 0; border: 0; background: none; color: var(--hunk); text-decoration: underline; cursor: pointer; }
`;

/** The page for an operator serving `kinds` (the kind filter offers them, in creation order). */
const html = (kinds: readonly string[]) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ecs-operator status</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1>ecs-operator</h1>
  <p id="updated" class="small" role="status" aria-live="polite">Loading…</p>
</header>
<main>
  <form id="auth" hidden>
    <label for="token">This operator asks for its API token (the content of <code>--api-token-file</code>); it is kept in this tab only.</label>
    <p><input id="token" type="password" autocomplete="off" required> <button type="submit">Show status</button> <span id="auth-error" class="errors small"></span></p>
  </form>
  <section aria-labelledby="source-title"><h2 id="source-title">Source</h2><div id="source"><p class="muted">Loading…</p></div></section>
  <section aria-labelledby="resources-title">
    <h2 id="resources-title">Resources</h2>
    <p id="totals" class="small"></p>
    <form id="filter" role="search" aria-label="Filter the resources">
      <label>Kind <select id="filter-kind"><option value="">all</option>${options(kinds)}</select></label>
      <label>State <select id="filter-state"><option value="">any</option>${options(STATE_NAMES)}</select></label>
      <label>Name starts with <input id="filter-name" type="search" autocomplete="off" spellcheck="false"></label>
    </form>
    <table id="resources">
      <thead><tr><th scope="col">Kind</th><th scope="col">Name</th><th scope="col">Sync</th><th scope="col">Health</th><th scope="col">Conditions</th><th scope="col">Last sync</th><th scope="col">Revision</th></tr></thead>
      <tbody></tbody>
    </table>
    <nav id="pager" class="small" aria-label="Pages of resources">
      <button type="button" id="page-prev" disabled>Previous</button> <span id="page-range" aria-live="polite"></span> <button type="button" id="page-next" disabled>Next</button>
    </nav>
  </section>
  <section aria-labelledby="drift-title"><h2 id="drift-title">Drift</h2><div id="drift"></div></section>
  <section aria-labelledby="events-title">
    <h2 id="events-title">Recent events</h2>
    <table id="events">
      <thead><tr><th scope="col">When</th><th scope="col">Event</th><th scope="col">Resource</th><th scope="col">What happened</th></tr></thead>
      <tbody></tbody>
    </table>
  </section>
</main>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;

const SCRIPT_HASH = createHash('sha256').update(PAGE_SCRIPT).digest('base64');

const HEADERS: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': `default-src 'none'; script-src 'sha256-${SCRIPT_HASH}'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

const pages = new Map<string, string>();

/** The page, the same bytes every time for the same kinds (the data comes from the APIs). */
export function statusPage(kinds: readonly Kind[]): HttpResponse {
  const key = kinds.join(',');
  let body = pages.get(key);
  if (body === undefined) {
    body = html(kinds);
    pages.set(key, body);
  }
  return { status: 200, headers: HEADERS, body };
}
