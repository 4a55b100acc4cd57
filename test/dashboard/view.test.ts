import { describe, expect, it } from 'vitest';
import { addDays, hourIn, isDay, openBucket, previousDays, todayIn } from '../../dashboard/src/lib/days.ts';
import {
  apiParams,
  defaultView,
  isDimension,
  parseView,
  presetOf,
  printView,
  withFilter,
  withoutFilter,
  withPreset,
  type View,
} from '../../dashboard/src/state/view.ts';

const TODAY = '2026-11-22';

describe('query string ↔ view', () => {
  it('an empty query is the default view, printed as nothing', () => {
    expect(parseView('')).toEqual(defaultView());
    expect(printView(defaultView())).toBe('');
    expect(apiParams(defaultView()).toString()).toBe('period=30d');
  });

  it('round-trips every field', () => {
    const view: View = {
      period: '7d',
      date: '2026-11-20',
      filters: [
        { dimension: 'page', negated: false, value: '/pricing?x=1&y=2' },
        { dimension: 'country', negated: true, value: 'JP' },
        { dimension: 'prop:plan', negated: false, value: 'pro' },
      ],
      metric: 'bounceRate',
      interval: 'week',
      compare: true,
      prop: 'plan',
      details: 'source',
    };
    const printed = printView(view);
    expect(printed).toBe(
      'period=7d&date=2026-11-20&f.page=%2Fpricing%3Fx%3D1%26y%3D2&fn.country=JP&f.prop%3Aplan=pro&metric=bounceRate&interval=week&compare=previous&prop=plan&details=source',
    );
    expect(parseView(`?${printed}`)).toEqual(view);
  });

  it('passes only the range and filters to the API', () => {
    const view = parseView('period=custom&from=2026-10-01&to=2026-10-31&f.source=(none)&metric=visits&details=page&compare=previous');
    expect(Object.fromEntries(apiParams(view))).toEqual({ period: 'custom', from: '2026-10-01', to: '2026-10-31', 'f.source': '(none)' });
  });

  it('falls back to defaults for what it does not understand', () => {
    const view = parseView('period=forever&metric=revenue&interval=minute&details=password&prop=bad key&f.visitor_id=1&f.page=/ok');
    expect(view).toEqual({ ...defaultView(), filters: [{ dimension: 'page', negated: false, value: '/ok' }] });
  });

  it('a custom period needs a valid from ≤ to, else it is the default', () => {
    expect(parseView('period=custom&from=2026-10-31&to=2026-10-01').period).toBe('30d');
    expect(parseView('period=custom&from=2026-02-30&to=2026-03-01').period).toBe('30d');
    expect(parseView('period=custom&from=2026-02-01&to=2026-03-01')).toMatchObject({ period: 'custom', from: '2026-02-01', to: '2026-03-01' });
    // date belongs to presets only
    expect(parseView('period=custom&from=2026-02-01&to=2026-03-01&date=2026-01-01').date).toBeUndefined();
  });

  it('keeps the first value of a repeated filter, as the server does, and at most ten filters', () => {
    expect(parseView('f.page=/a&f.page=/b').filters).toEqual([{ dimension: 'page', negated: false, value: '/a' }]);
    const many = Array.from({ length: 12 }, (_, i) => `f.prop:k${i}=v`).join('&');
    expect(parseView(many).filters).toHaveLength(10);
  });

  it('knows the server’s dimensions', () => {
    for (const d of ['page', 'entry_page', 'exit_page', 'source', 'utm_campaign', 'country', 'device', 'event', 'prop:url']) expect(isDimension(d)).toBe(true);
    for (const d of ['visitor_id', 'prop:', 'prop:a b', 'ip', '']) expect(isDimension(d)).toBe(false);
  });
});

describe('filters', () => {
  it('a click adds f.<dimension>=value, replaces a filter on the same dimension and closes the details', () => {
    let view = parseView('f.page=/a&fn.page=/b&f.country=JP&details=page');
    view = withFilter(view, { dimension: 'page', negated: false, value: '/c' });
    expect(printView(view)).toBe('f.country=JP&f.page=%2Fc');
    view = withoutFilter(view, 'country', false);
    expect(printView(view)).toBe('f.page=%2Fc');
    expect(printView(withoutFilter(view, 'page', true))).toBe('f.page=%2Fc'); // only the "is not" one would go
  });

  it('filters a row without a value as (none)', () => {
    const view = withFilter(defaultView(), { dimension: 'source', negated: false, value: '(none)' });
    expect(apiParams(view).get('f.source')).toBe('(none)');
  });
});

describe('date range presets', () => {
  it('maps menu choices to API periods; yesterday is one day ending the day before', () => {
    const base = parseView('f.page=/a&interval=hour');
    expect(printView(withPreset(base, 'yesterday', TODAY))).toBe('period=day&date=2026-11-21&f.page=%2Fa');
    expect(printView(withPreset(base, 'day', TODAY))).toBe('period=day&f.page=%2Fa');
    expect(printView(withPreset(base, '30d', TODAY))).toBe('f.page=%2Fa');
    expect(printView(withPreset(base, 'custom', TODAY, { from: '2026-01-01', to: '2026-01-31' }))).toBe('period=custom&from=2026-01-01&to=2026-01-31&f.page=%2Fa');
    // an impossible custom range changes nothing
    expect(withPreset(base, 'custom', TODAY, { from: '2026-02-01', to: '2026-01-01' })).toBe(base);
  });

  it('recognises the preset a view is', () => {
    expect(presetOf(parseView(''), TODAY)).toBe('30d');
    expect(presetOf(parseView('period=day'), TODAY)).toBe('day');
    expect(presetOf(parseView('period=day&date=2026-11-21'), TODAY)).toBe('yesterday');
    expect(presetOf(parseView('period=7d&date=2026-11-22'), TODAY)).toBe('7d');
    expect(presetOf(parseView('period=7d&date=2026-11-01'), TODAY)).toBe('custom');
    expect(presetOf(parseView('period=custom&from=2026-11-01&to=2026-11-02'), TODAY)).toBe('custom');
  });

  it('day arithmetic and the comparison period', () => {
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(isDay('2026-02-29')).toBe(false);
    expect(previousDays('2026-11-16', '2026-11-22')).toEqual({ from: '2026-11-09', to: '2026-11-15' });
    expect(previousDays('2026-11-22', '2026-11-22')).toEqual({ from: '2026-11-21', to: '2026-11-21' });
    // 2026-11-21 23:30 UTC is already the 22nd in Tokyo
    expect(todayIn('Asia/Tokyo', Date.UTC(2026, 10, 21, 23, 30))).toBe('2026-11-22');
    expect(todayIn('UTC', Date.UTC(2026, 10, 21, 23, 30))).toBe('2026-11-21');
  });
});

describe('the bucket still filling up', () => {
  const days = ['2026-11-20', '2026-11-21', '2026-11-22'];
  it('is today’s, or none when the range ended before today', () => {
    expect(hourIn('Asia/Tokyo', Date.UTC(2026, 10, 22, 1, 30))).toBe('2026-11-22T10:00');
    expect(openBucket(days, 'day', '2026-11-22T10:00')).toBe(2);
    expect(openBucket(days, 'day', '2026-11-23T00:00')).toBe(-1);
    expect(openBucket(days, 'day', '2026-11-19T23:00')).toBe(-1);
  });

  it('is the current hour; later hours are the future', () => {
    const hours = Array.from({ length: 24 }, (_, h) => `2026-11-22T${String(h).padStart(2, '0')}:00`);
    expect(openBucket(hours, 'hour', '2026-11-22T10:00')).toBe(10);
  });

  it('is the week or month holding today', () => {
    expect(openBucket(['2026-11-09', '2026-11-16'], 'week', '2026-11-22T10:00')).toBe(1);
    expect(openBucket(['2026-11-09', '2026-11-16'], 'week', '2026-11-23T10:00')).toBe(-1);
    expect(openBucket(['2026-10-01', '2026-11-01'], 'month', '2026-11-22T10:00')).toBe(1);
  });
});
