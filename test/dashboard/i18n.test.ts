import { describe, expect, it } from 'vitest';
import { en } from '../../dashboard/src/i18n/en.ts';
import { ja } from '../../dashboard/src/i18n/ja.ts';
import { detectLocale, translate } from '../../dashboard/src/i18n/translate.ts';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the dictionary', () => {
  it('has the same keys in Japanese and English', () => {
    expect(Object.keys(ja).sort()).toEqual(Object.keys(en).sort());
  });

  it('has the same placeholders in both languages and no empty text', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(placeholders(ja[key]), key).toEqual(placeholders(en[key]));
      expect(en[key].trim(), key).not.toBe('');
      expect(ja[key].trim(), key).not.toBe('');
    }
  });

  it('fills placeholders', () => {
    expect(translate('en', 'realtime.other', { n: '1,234' })).toBe('1,234 current visitors');
    expect(translate('ja', 'realtime.other', { n: 3 })).toBe('現在の訪問者 3人');
    expect(translate('en', 'error.unknown_site')).toBe('There is no site "{site}".');
  });
});

describe('the language', () => {
  it('is the stored choice, else the browser’s first language we speak, else English', () => {
    expect(detectLocale('ja', ['en-US'])).toBe('ja');
    expect(detectLocale(null, ['ja-JP', 'en'])).toBe('ja');
    expect(detectLocale(null, ['fr-FR', 'en-GB'])).toBe('en');
    expect(detectLocale('de', ['de-DE'])).toBe('en');
  });
});
