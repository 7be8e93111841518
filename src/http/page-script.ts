// The status page's script, sent inline (no framework, no external request). It polls
// api/v1/status and api/v1/events (relative, so the page also works behind a path prefix) and
// rebuilds the sections with DOM calls and textContent only: manifest content and AWS messages are
// untrusted, and nothing of them is ever parsed as HTML. Plain ES2020; no backticks inside.
// However many resources there are, one refresh asks for one page of them (PAGE_SIZE, through the
// filter and the cursor of the page shown), the first DRIFT_LIMIT drifted ones, and the totals that
// come with every answer: the page costs the same at 50 resources and at 5,000.
// With --api-token-file the API answers 401: the page then asks for the token once, keeps it in the
// tab's sessionStorage (never in the URL, never in a cookie) and sends it as a Bearer header.

/** How often the page refreshes itself. */
export const REFRESH_MS = 5_000;
/** Resources per page of the table. */
export const PAGE_SIZE = 100;
/** Drifted resources whose diff the page shows (the filter State = Drifted lists them all). */
export const DRIFT_LIMIT = 20;

export const PAGE_SCRIPT = `
(() => {
  'use strict';
  const REFRESH_MS = ${REFRESH_MS};
  const PAGE_SIZE = ${PAGE_SIZE};
  const DRIFT_QUERY = 'api/v1/status?state=Drifted&limit=${DRIFT_LIMIT}';
  const OK = ['Synced', 'Healthy', 'Ready', 'info'];
  const BAD = ['OutOfSync', 'Degraded', 'Missing', 'Stalled', 'Failed', 'error'];
  const openEvents = new Set();
  let lastStatus = '';
  let lastDrift = '';
  let lastEvents = '';
  /** What the table shows: the filter, and the cursor ("after") of each page up to the one shown. */
  const view = { kind: '', state: '', name: '', cursors: [''] };

  function el(tag, props, children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v === undefined || v === null) continue;
      if (k === 'text') node.textContent = String(v);
      else if (k === 'class') node.className = v;
      else node.setAttribute(k, String(v));
    }
    for (const child of children || []) {
      if (child !== undefined && child !== null) node.append(child);
    }
    return node;
  }
  const badge = (value) => el('span', { class: 'badge ' + (OK.includes(value) ? 'ok' : BAD.includes(value) ? 'bad' : 'warn'), text: value });
  function ago(iso) {
    if (!iso) return '';
    const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
    if (s < 60) return s + 's ago';
    if (s < 3600) return Math.round(s / 60) + 'm ago';
    if (s < 172800) return Math.round(s / 3600) + 'h ago';
    return Math.round(s / 86400) + 'd ago';
  }
  const time = (iso) => (iso ? el('time', { datetime: iso, title: iso, text: ago(iso) }) : el('span', { class: 'muted', text: 'never' }));
  const short = (id) => (id && id.length > 12 ? id.slice(0, 12) : id || '');

  /** A git-style diff: - lines are what AWS has (live), + lines what Git wants (desired), one hunk per path. */
  function diff(title, differences) {
    const pre = el('pre', { class: 'diff', 'aria-label': 'differences of ' + title + ': lines starting with - are live, + are desired' });
    const line = (cls, text) => pre.append(el('span', { class: cls, text: text + '\\n' }));
    const lines = (value) => (value === undefined ? [] : JSON.stringify(value, null, 2).split('\\n'));
    line('file', '--- live ' + title);
    line('file', '+++ desired ' + title);
    for (const d of differences) {
      line('hunk', '@@ ' + (d.path || '/') + ' @@');
      for (const l of lines(d.live)) line('del', '-' + l);
      for (const l of lines(d.desired)) line('add', '+' + l);
    }
    return pre;
  }

  function renderSource(status) {
    const s = status.source;
    const box = document.getElementById('source');
    const lease = status.lease;
    const standby = status.leader === false ? [el('p', { class: 'muted', text: 'Standby: ' + (lease && lease.held ? 'the leader is ' + lease.holder : 'no leader at the moment')
      + '. This process reconciles nothing until it holds the lease' + (lease ? ' (' + lease.store + ', ' + lease.name + ').' : '.') })] : [];
    if (!s) return box.replaceChildren(...standby, ...(standby.length ? [] : [el('p', { class: 'muted', text: 'No source yet.' })]));
    const rev = (label, r) => r ? [el('dt', { text: label }), el('dd', {}, [
      el('code', { text: short(r.id), title: r.id }), r.message ? ' ' + r.message.split('\\n')[0] : '', r.author ? el('span', { class: 'muted', text: ' by ' + r.author }) : '',
    ])] : [];
    const list = el('dl', {}, [
      el('dt', { text: 'Source' }), el('dd', {}, [el('code', { text: s.url }), s.ref ? ' @ ' + s.ref : '', s.path ? ' /' + s.path : '']),
      el('dt', { text: 'Phase' }), el('dd', {}, [badge(s.phase), s.message ? ' ' + s.message : '']),
      el('dt', { text: 'Operator' }), el('dd', {}, status.ready ? [badge('Ready')] : [badge('Progressing'), ' ' + status.phase]),
      ...rev('Applied', s.lastApplied),
      ...(s.lastFetched && (!s.lastApplied || s.lastFetched.id !== s.lastApplied.id) ? rev('Fetched', s.lastFetched) : []),
      el('dt', { text: 'Last good read' }), el('dd', {}, [
        time(s.lastFetchTime), s.failures ? ' — ' + s.failures + ' failed read(s) since ' : '', s.failures ? time(s.failingSince) : '',
        s.stale ? el('strong', { text: ' — stale: the operator is not ready' }) : '',
      ]),
      ...(status.prune && status.prune.conditions.length ? [el('dt', { text: 'Prune' }), el('dd', {}, status.prune.conditions.map((c) => el('div', {}, [
        badge(c.type), ' (' + c.reason + '): ' + c.message,
      ])))] : []),
    ]);
    const errors = (s.errors || []).map((e) => el('li', {}, [
      el('code', { text: e.file + ':' + e.line + ':' + e.col }), ': ' + e.message, e.path ? el('span', { class: 'muted', text: ' (at ' + e.path + ')' }) : '',
    ]));
    box.replaceChildren(...standby, list, ...(errors.length ? [el('h3', { text: errors.length + ' manifest error(s): revision not applied' }), el('ul', { class: 'errors' }, errors)] : []));
  }

  function statusQuery() {
    const q = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (view.kind) q.set('kind', view.kind);
    if (view.state) q.set('state', view.state);
    if (view.name) q.set('name', view.name);
    const after = view.cursors[view.cursors.length - 1];
    if (after) q.set('after', after);
    return 'api/v1/status?' + q.toString();
  }

  /** Counts of the whole store; each one a button that shows those resources. */
  function renderTotals(t) {
    const count = (state, n) => el('button', { type: 'button', class: 'count', 'data-state': state, text: n + ' ' + state });
    const group = (values) => Object.keys(values).filter((k) => values[k] > 0).map((k) => count(k, values[k]));
    const groups = [group(t.sync), group(t.health), group(t.conditions), t.drifted ? [count('Drifted', t.drifted)] : []].filter((g) => g.length);
    const parts = [el('strong', { text: t.resources + ' resource' + (t.resources === 1 ? '' : 's') })];
    groups.forEach((g, i) => {
      parts.push(i === 0 ? ': ' : '; ');
      g.forEach((b, j) => parts.push(...(j ? [', ', b] : [b])));
    });
    document.getElementById('totals').replaceChildren(...parts);
  }

  function renderResources(status) {
    const body = document.querySelector('#resources tbody');
    const resources = status.resources;
    const filtered = view.kind || view.state || view.name;
    const first = (view.cursors.length - 1) * PAGE_SIZE + 1;
    document.getElementById('page-range').textContent = resources.length
      ? first + '–' + (first + resources.length - 1) + ' of ' + status.matched + (filtered ? ' matching' : '') : '';
    document.getElementById('page-prev').disabled = view.cursors.length === 1;
    const next = document.getElementById('page-next');
    next.disabled = !status.next;
    next.dataset.after = status.next || '';
    if (resources.length === 0) return body.replaceChildren(el('tr', {}, [el('td', { colspan: 7, class: 'muted', text: filtered ? 'No resource matches the filter.' : 'No resources.' })]));
    body.replaceChildren(...resources.map((r) => el('tr', { id: 'resource-' + r.kind + '-' + r.name }, [
      el('td', { text: r.kind }),
      el('th', { scope: 'row', title: r.liveArn || '' }, [r.name]),
      el('td', {}, [badge(r.sync), r.drift ? ' ' : '', r.drift ? el('a', { href: '#drift-' + r.kind + '-' + r.name, text: 'drift' }) : '']),
      el('td', {}, [badge(r.health), r.healthMessage ? el('div', { class: 'small', text: r.healthMessage }) : '']),
      el('td', {}, r.conditions.map((c) => el('div', { class: 'small' }, [el('strong', { text: c.type }), ' (' + c.reason + '): ' + c.message]))),
      el('td', {}, [time(r.lastSyncTime)]),
      el('td', {}, [el('code', { text: short(r.revision), title: r.revision || '' })]),
    ])));
  }

  function renderDrift(answer) {
    const drifted = answer.resources;
    const box = document.getElementById('drift');
    if (drifted.length === 0) return box.replaceChildren(el('p', { class: 'muted', text: 'No drift: every resource matches Git.' }));
    const more = answer.matched - drifted.length;
    const note = more > 0 ? [el('p', { class: 'small', text: 'The first ' + drifted.length + ' of ' + answer.matched + ' drifted resources; State: Drifted lists them all.' })] : [];
    box.replaceChildren(...note, ...drifted.map((r) => el('article', { id: 'drift-' + r.kind + '-' + r.name }, [
      el('h3', {}, [r.kind + '/' + r.name + ' ', badge(r.drift.policy === 'ignore' ? 'ignored' : r.drift.fighting ? 'fighting' : r.drift.policy || 'heal')]),
      el('p', { class: 'small' }, ['First seen ', time(r.drift.firstSeen), r.drift.heals && r.drift.heals.length ? '; healed ' + r.drift.heals.length + ' time(s) recently' : '']),
      diff(r.kind + '/' + r.name, r.drift.differences),
    ])));
  }

  function renderEvents(events) {
    const body = document.querySelector('#events tbody');
    if (events.length === 0) return body.replaceChildren(el('tr', {}, [el('td', { colspan: 4, class: 'muted', text: 'No events yet.' })]));
    body.replaceChildren(...events.map((e) => {
      const details = e.differences.length ? el('details', { 'data-id': e.id }, [
        el('summary', { text: e.differences.length + ' field(s)' }), diff(e.resource.kind + '/' + e.resource.name, e.differences),
      ]) : '';
      if (details && openEvents.has(e.id)) details.open = true;
      if (details) details.addEventListener('toggle', () => (details.open ? openEvents.add(e.id) : openEvents.delete(e.id)));
      return el('tr', { class: 'event ' + e.severity }, [
        el('td', {}, [time(e.at)]), el('td', {}, [badge(e.severity), ' ', el('strong', { text: e.type })]),
        el('td', { text: e.resource.kind + '/' + e.resource.name }), el('td', {}, [e.message, details]),
      ]);
    }));
  }

  const TOKEN_KEY = 'ecs-operator-api-token';
  function token() {
    try { return sessionStorage.getItem(TOKEN_KEY) || ''; } catch (e) { return ''; }
  }
  function askForToken(message) {
    const form = document.getElementById('auth');
    form.hidden = false;
    document.getElementById('auth-error').textContent = message;
    document.getElementById('token').focus();
  }
  document.getElementById('auth').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = document.getElementById('token');
    try { sessionStorage.setItem(TOKEN_KEY, input.value.trim()); } catch (e) { /* storage off: asked again */ }
    input.value = '';
    document.getElementById('auth').hidden = true;
    clearTimeout(timer);
    refresh();
  });

  class Unauthorized extends Error {}

  async function getJson(path) {
    const headers = { accept: 'application/json' };
    if (token()) headers.authorization = 'Bearer ' + token();
    const res = await fetch(path, { cache: 'no-store', headers });
    if (res.status === 401) throw new Unauthorized(token() ? 'that token was refused' : '');
    if (!res.ok) throw new Error(path + ': HTTP ' + res.status);
    return res.text();
  }

  let timer;
  let generation = 0;
  async function refresh() {
    const note = document.getElementById('updated');
    const mine = ++generation;
    clearTimeout(timer);
    try {
      const [statusText, driftText, eventsText] = await Promise.all([getJson(statusQuery()), getJson(DRIFT_QUERY), getJson('api/v1/events?limit=50')]);
      if (mine !== generation) return; // a newer refresh (the filter changed) is on its way
      if (statusText !== lastStatus) {
        const status = JSON.parse(statusText);
        if (status.resources.length === 0 && view.cursors.length > 1) {
          view.cursors = [''];
          return refresh(); // the page shown has emptied: back to the first
        }
        renderSource(status);
        renderTotals(status.totals);
        renderResources(status);
        lastStatus = statusText;
      }
      if (driftText !== lastDrift) {
        renderDrift(JSON.parse(driftText));
        lastDrift = driftText;
      }
      if (eventsText !== lastEvents) {
        renderEvents(JSON.parse(eventsText).events);
        lastEvents = eventsText;
      }
      document.body.classList.remove('offline');
      note.textContent = 'Updated ' + new Date().toLocaleTimeString() + '; refreshes every ' + REFRESH_MS / 1000 + ' s';
    } catch (err) {
      if (mine !== generation) return;
      if (err instanceof Unauthorized) {
        try { sessionStorage.removeItem(TOKEN_KEY); } catch (e) { /* nothing kept */ }
        note.textContent = 'API token needed';
        askForToken(err.message);
        return;
      }
      document.body.classList.add('offline');
      note.textContent = 'Cannot reach the operator (' + err.message + '); retrying';
    }
    timer = setTimeout(refresh, REFRESH_MS);
  }

  let typing;
  /** Shows the first page of what the filter selects now. */
  function applyFilter() {
    clearTimeout(typing);
    view.kind = document.getElementById('filter-kind').value;
    view.state = document.getElementById('filter-state').value;
    view.name = document.getElementById('filter-name').value.trim();
    view.cursors = [''];
    lastStatus = '';
    refresh();
  }
  document.getElementById('filter').addEventListener('submit', (event) => {
    event.preventDefault();
    applyFilter();
  });
  document.getElementById('filter-kind').addEventListener('change', applyFilter);
  document.getElementById('filter-state').addEventListener('change', applyFilter);
  document.getElementById('filter-name').addEventListener('input', () => {
    clearTimeout(typing);
    // Applied once the typing pauses; anything applied before then (a select, a page) takes it along.
    typing = setTimeout(() => document.getElementById('filter-name').value.trim() !== view.name && applyFilter(), 250);
  });
  document.getElementById('totals').addEventListener('click', (event) => {
    const state = event.target.closest('button.count');
    if (!state) return;
    document.getElementById('filter-state').value = state.dataset.state;
    applyFilter();
  });
  document.getElementById('page-next').addEventListener('click', (event) => {
    if (!event.target.dataset.after) return;
    view.cursors.push(event.target.dataset.after);
    lastStatus = '';
    refresh();
  });
  document.getElementById('page-prev').addEventListener('click', () => {
    if (view.cursors.length > 1) view.cursors.pop();
    lastStatus = '';
    refresh();
  });
  refresh();
})();
`;
