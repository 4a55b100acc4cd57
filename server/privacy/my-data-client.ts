/**
 * The script of /privacy/my-data (served as /privacy/my-data.js, compiled by esbuild on first request).
 * It takes the browser's ids from the address's #fragment (put there by the site's "Your data" link; a
 * fragment is never sent to a server or kept in a Referer), removes them from the address bar at once,
 * and talks to POST /api/my-data* on this origin. It keeps nothing on the device. Every text it shows
 * comes from the page (#md-texts), in the page's language; every value is set as text, never as markup.
 */
import type { MyDataClientTexts } from './my-data-labels.ts';
import type { MyDataDeleted, MyDataRequest, MyDataView } from './my-data-wire.ts';

const idPattern = /^[A-Za-z0-9_-]{22}$/;
const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const t = JSON.parse($('md-texts').textContent ?? '{}') as MyDataClientTexts;
const lang = document.documentElement.lang || 'ja';
const dateTime = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
const number = new Intl.NumberFormat(lang);
const regions = new Intl.DisplayNames([lang], { type: 'region', fallback: 'code' });
const fill = (s: string, values: Record<string, string | number>) =>
  s.replace(/\{(\w+)\}/g, (_, k: string) => (typeof values[k] === 'number' ? number.format(values[k]) : String(values[k] ?? '')));
const when = (ms: number | null) => (ms === null ? '' : dateTime.format(ms));

const keys: Pick<MyDataRequest, 'v' | 'c'> = {};
const fragment = new URLSearchParams(location.hash.slice(1));
for (const k of ['v', 'c'] as const) {
  const value = fragment.get(k);
  if (value && idPattern.test(value)) keys[k] = value;
}
// out of the address bar (and so out of bookmarks and shared links) before anything else happens
if (location.hash) history.replaceState(history.state, '', location.pathname + location.search);

function status(message: string, focus = false) {
  const box = $('md-status');
  box.textContent = message;
  box.hidden = false;
  if (focus) box.focus();
}

async function post(path: string): Promise<Response> {
  const res = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8' },
    body: JSON.stringify({ ...keys, l: lang === 'en' ? 'en' : 'ja' } satisfies MyDataRequest),
    credentials: 'omit',
    cache: 'no-store',
  });
  if (!res.ok) throw new Error(String(res.status));
  return res;
}

function rows(id: string, list: readonly (readonly (string | number | null | undefined)[])[], empty = false) {
  const body = $(`${id}-rows`);
  body.replaceChildren();
  for (const cells of list) {
    const tr = document.createElement('tr');
    cells.forEach((cell, i) => {
      const td = document.createElement(i ? 'td' : 'th');
      if (!i) td.setAttribute('scope', 'row');
      // time and kind stay on one line; the table scrolls sideways instead
      if (i < 2 && id !== 'md-provisions') td.style.whiteSpace = 'nowrap';
      td.textContent = cell === null || cell === undefined || cell === '' ? '' : typeof cell === 'number' ? number.format(cell) : cell;
      tr.append(td);
    });
    body.append(tr);
  }
  if (empty && !list.length) {
    const tr = document.createElement('tr');
    const td = document.createElement('td');
    td.colSpan = body.closest('table')?.querySelectorAll('thead th').length ?? 1;
    td.textContent = t.none;
    tr.append(td);
    body.append(tr);
  }
}

const joined = (...parts: (string | null)[]) => parts.filter(Boolean).join(' / ');
const labelled = (ids: string[] | null, map: Record<string, string>) => (ids ?? []).map((id) => map[id] ?? id).join(', ');

function render(view: MyDataView) {
  const { counts } = view;
  $('md-summary').textContent = counts.events + counts.sessions + counts.receipts + counts.provisions ? fill(t.summary, counts) : t.nothing;
  $('md-period').textContent = view.firstSeen === null ? '' : fill(t.period, { from: when(view.firstSeen), to: when(view.lastSeen) });
  const suppressed = $('md-suppressed');
  suppressed.hidden = !view.suppressed;
  suppressed.textContent = t.suspendedStatus;
  const note = $('md-events-note');
  note.hidden = view.events.length >= counts.events;
  note.textContent = fill(t.truncated, { shown: view.events.length });

  rows(
    'md-events',
    view.events.map((e) => [
      when(e.time),
      e.type === 'pageview' ? t.pageview : `${t.event}: ${e.name ?? ''}`,
      e.path === null ? null : e.path + (e.query ? `?${e.query}` : ''),
      e.title,
      e.referrerHost ? e.referrerHost + (e.referrerPath ?? '') : null,
      e.country ? regions.of(e.country) ?? e.country : null,
      joined(e.browser && `${e.browser}${e.browserVersion ? ` ${e.browserVersion}` : ''}`, e.os, e.device),
      e.ipTruncated,
    ]),
    true,
  );
  rows(
    'md-sessions',
    view.sessions.map((s) => [
      when(s.startedAt),
      when(s.lastSeenAt),
      s.entryPath,
      s.exitPath,
      s.pageviews,
      s.events,
      s.referrerHost,
      s.country ? regions.of(s.country) ?? s.country : null,
      joined(s.browser, s.os, s.device),
    ]),
    true,
  );
  rows(
    'md-receipts',
    view.receipts.map((r) => [
      when(r.ts),
      r.action ? t.actions[r.action] : null,
      labelled(r.accepted, t.categories),
      labelled(r.rejected, t.categories),
      r.path,
      r.revision,
    ]),
    true,
  );
  rows(
    'md-provisions',
    view.provisions.map((p) => [
      p.recipient.name,
      p.items.map((i) => t.items[i] ?? i).join(', '),
      p.periodTo ? `${p.periodFrom} – ${p.periodTo}` : p.periodFrom,
      t.grounds[p.legalGround] ?? p.legalGround,
    ]),
    true,
  );
  $('md-held').hidden = false;
}

async function load() {
  try {
    render((await (await post('/api/my-data')).json()) as MyDataView);
  } catch {
    status(t.failed, true);
  }
}

async function download(format: 'json' | 'csv') {
  try {
    const res = await post(`/api/my-data/export?format=${format}`);
    const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `my-data.${format}`;
    const a = document.createElement('a');
    a.href = URL.createObjectURL(await res.blob());
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
  } catch {
    status(t.downloadFailed, true);
  }
}

const actions: Record<string, () => Promise<void>> = {
  json: () => download('json'),
  csv: () => download('csv'),
  async delete() {
    const done = (await (await post('/api/my-data/delete')).json()) as MyDataDeleted;
    const repeat = done.previousDeletions ? ` ${fill(t.deletedRepeat, { count: done.previousDeletions })}` : '';
    status(fill(t.deleted, done.deleted) + repeat, true);
    $<HTMLInputElement>('md-confirm').checked = false;
    $<HTMLButtonElement>('md-delete').querySelector('button')!.disabled = true;
    await load();
  },
  async suspend() {
    await post('/api/my-data/suspend');
    status(t.suspended, true);
    await load();
  },
  async withdraw() {
    await post('/api/my-data/withdraw');
    status(t.withdrawn, true);
    await load();
  },
};

if (keys.v || keys.c) {
  // the language switch keeps the ids (in the fragment, as they came)
  for (const a of document.querySelectorAll<HTMLAnchorElement>('a[hreflang]')) a.hash = new URLSearchParams(keys as Record<string, string>).toString();
  for (const id of ['md-download', 'md-delete', 'md-withdraw']) $(id).hidden = false;
  $('md-suspend').hidden = !keys.v;
  const confirm = $<HTMLInputElement>('md-confirm');
  confirm.addEventListener('change', () => ($('md-delete').querySelector('button')!.disabled = !confirm.checked));
  document.addEventListener('click', (e) => {
    const button = (e.target as Element).closest<HTMLButtonElement>('button[data-md]');
    const run = button && actions[button.dataset.md!];
    if (!button || !run || button.disabled) return;
    button.disabled = true;
    run()
      .catch(() => status(t.failed, true))
      .finally(() => {
        if (button.dataset.md !== 'delete') button.disabled = false;
      });
  });
  status(t.loading);
  void load().then(() => {
    const box = $('md-status');
    if (box.textContent === t.loading) box.hidden = true;
  });
}
