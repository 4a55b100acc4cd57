import { describe, expect, it } from 'vitest';
import {
  countryName,
  formatBucket,
  formatChange,
  formatCount,
  formatDay,
  formatDuration,
  formatMetric,
  formatNumber,
  formatPercent,
  formatRange,
} from '../../dashboard/src/lib/format.ts';
import { valueLabel } from '../../dashboard/src/cards.ts';

describe('numbers', () => {
  it('groups digits per locale', () => {
    expect(formatNumber(1234567, 'en')).toBe('1,234,567');
    expect(formatNumber(1234567, 'ja')).toBe('1,234,567');
    expect(formatNumber(1.756, 'en')).toBe('1.76');
  });

  it('shortens counts: k in English, 万 in Japanese', () => {
    expect(formatCount(987, 'en')).toBe('987');
    expect(formatCount(1234, 'en')).toBe('1.2k');
    expect(formatCount(12_345, 'en')).toBe('12.3k');
    expect(formatCount(1_234_567, 'en')).toBe('1.2M');
    expect(formatCount(1234, 'ja')).toBe('1,234');
    expect(formatCount(12_345, 'ja')).toBe('1.2万');
    expect(formatCount(123_456_789, 'ja')).toBe('1.2億');
  });

  it('percentages and changes', () => {
    expect(formatPercent(42, 'en')).toBe('42%');
    expect(formatPercent(42, 'ja')).toBe('42%');
    expect(formatChange(12, 'en')).toBe('+12%');
    expect(formatChange(-8, 'en')).toBe('-8%');
    expect(formatChange(0, 'en')).toBe('0%');
  });
});

describe('durations', () => {
  it.each([
    [0, '0s', '0秒'],
    [45, '45s', '45秒'],
    [125, '2m 05s', '2分05秒'],
    [600, '10m 00s', '10分00秒'],
    [3720, '1h 02m', '1時間02分'],
    [74.4, '1m 14s', '1分14秒'],
  ])('%s seconds', (s, en, ja) => {
    expect(formatDuration(s, 'en')).toBe(en);
    expect(formatDuration(s, 'ja')).toBe(ja);
  });

  it('per metric', () => {
    expect(formatMetric('visitDuration', 125, 'ja')).toBe('2分05秒');
    expect(formatMetric('bounceRate', 61, 'en')).toBe('61%');
    expect(formatMetric('viewsPerVisit', 1.76, 'en')).toBe('1.76');
    expect(formatMetric('visitors', 5934, 'en')).toBe('5.9k');
    expect(formatMetric('visitors', 5934, 'ja')).toBe('5,934');
  });
});

describe('dates', () => {
  it('formats the site’s local days without shifting them into another zone', () => {
    expect(formatDay('2026-11-20', 'en')).toBe('Nov 20');
    expect(formatDay('2026-11-20', 'ja')).toBe('11月20日');
    expect(formatDay('2026-01-01', 'en', true)).toBe('Jan 1, 2026');
    expect(formatBucket('2026-11-20T14:00', 'hour', 'ja')).toBe('14:00');
    expect(formatBucket('2026-11-20T14:00', 'hour', 'en')).toBe('2:00 PM');
    expect(formatBucket('2026-11-01', 'month', 'ja')).toBe('2026年11月');
    expect(formatBucket('2026-11-01', 'month', 'en')).toBe('Nov 2026');
  });

  it('ranges', () => {
    expect(formatRange('2026-11-01', '2026-11-28', 'en')).toMatch(/^Nov 1\s–\s28, 2026$/);
    expect(formatRange('2026-11-22', '2026-11-22', 'en')).toBe('Nov 22, 2026');
    expect(formatRange('2026-11-01', '2026-11-28', 'ja')).toMatch(/^2026\/11\/01～2026\/11\/28$|^2026年11月1日～28日$/);
  });
});

describe('values', () => {
  it('country names and empty values per locale', () => {
    expect(countryName('JP', 'en')).toBe('Japan');
    expect(countryName('JP', 'ja')).toBe('日本');
    expect(countryName('J1', 'en')).toBe('J1'); // not a region code: shown as it is
    expect(valueLabel('source', null, 'en')).toBe('Direct / none');
    expect(valueLabel('page', '(none)', 'ja')).toBe('（なし）');
    expect(valueLabel('device', 'mobile', 'ja')).toBe('モバイル');
    expect(valueLabel('country', 'DE', 'ja')).toBe('ドイツ');
  });
});
