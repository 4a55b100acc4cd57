import { describe, expect, it } from 'vitest';
import { translate } from '../../dashboard/src/i18n/translate.ts';
import { formatInstant } from '../../dashboard/src/lib/format.ts';
import {
  isHeaderSafe,
  isSuppressed,
  linkStatus,
  metricValue,
  newLinkBody,
  OTHER,
  parseShareView,
  printShareView,
  shareParams,
  sharedChange,
  shareToken,
  shareUrl,
  shareValueLabel,
  sortLinks,
  visibleRows,
  type SharedPoint,
  type SharedSummaryValue,
} from '../../dashboard/src/state/share.ts';
import type { Summary } from '../../server/stats/queries.ts';
import { OTHER as SERVER_OTHER } from '../../server/stats/cell-suppression.ts';

const TOKEN = 'Zq3v0Jx8K2mPq7RsT1uVw4XyZa5Bc6De7Fg8Hi9Jk0L';
const summary = (visitors: number, more: Partial<Summary> = {}): Summary => ({
  visitors,
  visits: visitors * 2,
  pageviews: visitors * 5,
  viewsPerVisit: 2.5,
  bounceRate: 40,
  visitDuration: 95,
  ...more,
});

describe('the shared view’s URL', () => {
  it('defaults to the last 30 days and visitors, printed as nothing', () => {
    expect(parseShareView('')).toEqual({ period: '30d', metric: 'visitors' });
    expect(printShareView(parseShareView(''))).toBe('');
    expect(shareParams(parseShareView('')).toString()).toBe('period=30d');
  });

  it('takes the four presets and a metric, and round-trips them', () => {
    for (const period of ['day', '7d', '30d', 'month'] as const) {
      const view = { period, metric: 'pageviews' as const };
      expect(parseShareView(printShareView(view))).toEqual(view);
      expect(shareParams(view).toString()).toBe(`period=${period}`);
    }
    expect(printShareView({ period: '7d', metric: 'bounceRate' })).toBe('period=7d&metric=bounceRate');
  });

  it('ignores what a shared link cannot ask: other periods, custom ranges, filters', () => {
    expect(parseShareView('period=12mo&metric=nope')).toEqual({ period: '30d', metric: 'visitors' });
    expect(parseShareView('period=custom&from=2026-01-01&to=2026-01-31').period).toBe('30d');
    expect(shareParams(parseShareView('period=7d&f.page=%2F&date=2020-01-01')).toString()).toBe('period=7d');
  });

  it('reads the token from /share/<token> only', () => {
    expect(shareToken(`/share/${TOKEN}`)).toBe(TOKEN);
    expect(shareToken(`/share/${TOKEN}/`)).toBe(TOKEN);
    expect(shareToken('/share/')).toBeNull();
    expect(shareToken(`/share/${TOKEN}/more`)).toBeNull();
    expect(shareToken(`/app/share/${TOKEN}`)).toBeNull();
    expect(shareToken('/share/%E0%A4%A')).toBeNull(); // malformed escape
  });

  it('builds the link from the origin and the token', () => {
    expect(shareUrl('https://stats.example.jp', TOKEN)).toBe(`https://stats.example.jp/share/${TOKEN}`);
    expect(shareUrl('https://stats.example.jp/', TOKEN)).toBe(`https://stats.example.jp/share/${TOKEN}`);
  });
});

describe('suppressed numbers', () => {
  const k = 10;

  it('reads the server’s withheld shapes as null', () => {
    const hidden: SharedSummaryValue = { suppressed: true };
    expect(isSuppressed(hidden)).toBe(true);
    expect(metricValue(hidden, 'visitors')).toBeNull();
    const shown: SharedSummaryValue = summary(12);
    expect(isSuppressed(shown)).toBe(false);
    expect(metricValue(shown, 'visits')).toBe(24);
    const point: SharedPoint = { date: '2026-11-20', suppressed: true };
    expect(metricValue(point, 'pageviews')).toBeNull();
    // zero is not a small cell: it is shown
    expect(metricValue(summary(0), 'visitors')).toBe(0);
    // differential-privacy mode publishes no visit durations
    expect(metricValue({ ...summary(12), visitDuration: null }, 'visitDuration')).toBeNull();
  });

  it('compares like the staff API, and not at all where a side is hidden', () => {
    const cur = summary(150, { bounceRate: 30 });
    const prev = summary(100, { bounceRate: 40 });
    const change = sharedChange(cur, prev);
    expect(change.visitors).toBe(50);
    expect(change.bounceRate).toBe(-25);
    expect(sharedChange(cur, summary(0)).visitors).toBeNull();
    const hidden: SharedSummaryValue = { suppressed: true };
    expect(Object.values(sharedChange(cur, hidden)).every((v) => v === null)).toBe(true);
    expect(Object.values(sharedChange(hidden, prev)).every((v) => v === null)).toBe(true);
  });

  it('labels the pool of small cells in both languages', () => {
    expect(OTHER).toBe(SERVER_OTHER);
    const items = [
      { value: '/a', visitors: 40, visits: 40, pageviews: 50, events: 50, bounceRate: null, visitDuration: null },
      { value: OTHER, visitors: 12, visits: 12, pageviews: 12, events: 12, bounceRate: null, visitDuration: null },
    ];
    expect(items.map((i) => i.value)).toEqual(['/a', OTHER]);
    expect(shareValueLabel('page', items[1]!.value, 'en')).toBe('Other');
    expect(shareValueLabel('page', items[1]!.value, 'ja')).toBe('その他');
    // everything else reads as on the staff dashboard
    expect(shareValueLabel('country', 'JP', 'en')).toBe('Japan');
    expect(shareValueLabel('source', null, 'ja')).toBe(translate('ja', 'value.direct'));
  });

  it('shows the first rows of a long list, and all of a list one row longer', () => {
    const items = Array.from({ length: 21 }, (_, i) => ({ value: `v${i}` }));
    expect(visibleRows(items, false, 10)).toEqual({ rows: items.slice(0, 10), hidden: 11 });
    expect(visibleRows(items, true, 10)).toEqual({ rows: items, hidden: 0 });
    expect(visibleRows(items.slice(0, 11), false, 10)).toEqual({ rows: items.slice(0, 11), hidden: 0 });
    expect(visibleRows([], false, 10)).toEqual({ rows: [], hidden: 0 });
  });
});

describe('a new link’s form', () => {
  it('sends what the API takes: nulls for what was left empty', () => {
    expect(newLinkBody({ label: '  Agency  ', password: '', expiresInDays: '' })).toEqual({ ok: true, body: { label: 'Agency', password: null, expiresInDays: null } });
    expect(newLinkBody({ label: '', password: 'amber-kettle-29-meadow', expiresInDays: ' 30 ' })).toEqual({
      ok: true,
      body: { label: null, password: 'amber-kettle-29-meadow', expiresInDays: 30 },
    });
  });

  it('refuses what the server would refuse, or what could never be sent', () => {
    expect(newLinkBody({ label: 'x'.repeat(101), password: '', expiresInDays: '' })).toEqual({ ok: false, problem: 'label_long' });
    expect(newLinkBody({ label: '', password: 'short', expiresInDays: '' })).toEqual({ ok: false, problem: 'password_short' });
    expect(newLinkBody({ label: '', password: 'パスワードはとても長いです', expiresInDays: '' })).toEqual({ ok: false, problem: 'password_chars' });
    expect(newLinkBody({ label: '', password: ' amber-kettle-29-meadow', expiresInDays: '' })).toEqual({ ok: false, problem: 'password_chars' });
    for (const days of ['0', '3661', '1.5', '-3', 'ten']) {
      expect(newLinkBody({ label: '', password: '', expiresInDays: days }), days).toEqual({ ok: false, problem: 'expiry_invalid' });
    }
    expect(newLinkBody({ label: '', password: '', expiresInDays: '3660' }).ok).toBe(true);
  });

  it('a password fits a header when it is printable ASCII without outer spaces', () => {
    expect(isHeaderSafe('amber kettle 29 meadow!')).toBe(true);
    expect(isHeaderSafe('a')).toBe(true);
    expect(isHeaderSafe('')).toBe(false);
    expect(isHeaderSafe('trailing ')).toBe(false);
    expect(isHeaderSafe('tab\there')).toBe(false);
    expect(isHeaderSafe('café-au-lait-1234')).toBe(false);
    expect(isHeaderSafe('line\nbreak')).toBe(false);
  });
});

describe('the list of links', () => {
  const now = Date.UTC(2026, 10, 22);
  const day = 86_400_000;
  const link = (id: string, createdAt: number, more: { expiresAt?: number | null; revokedAt?: number | null } = {}) => ({
    id,
    createdAt,
    expiresAt: more.expiresAt ?? null,
    revokedAt: more.revokedAt ?? null,
  });

  it('tells live, expired and revoked links apart', () => {
    expect(linkStatus(link('a', now - day), now)).toBe('active');
    expect(linkStatus(link('a', now - day, { expiresAt: now + 1 }), now)).toBe('active');
    expect(linkStatus(link('a', now - day, { expiresAt: now }), now)).toBe('expired');
    expect(linkStatus(link('a', now - day, { expiresAt: now + day, revokedAt: now - 1 }), now)).toBe('revoked');
  });

  it('puts live links first, newest first', () => {
    const { active, inactive } = sortLinks([link('old', now - 3 * day), link('gone', now - 2 * day, { revokedAt: now - day }), link('new', now - day)], now);
    expect(active.map((l) => l.id)).toEqual(['new', 'old']);
    expect(inactive.map((l) => l.id)).toEqual(['gone']);
  });

  it('dates read in the reader’s language', () => {
    expect(formatInstant(Date.UTC(2026, 10, 20, 12), 'en', 'Asia/Tokyo')).toBe('Nov 20, 2026');
    expect(formatInstant(Date.UTC(2026, 10, 20, 12), 'ja', 'Asia/Tokyo')).toBe('2026年11月20日');
  });
});
