import { describe, expect, it } from 'vitest';
import { escapeHtml, html, telUrl, trusted, webUrl } from '../../policy/notice/html.ts';
import { labels, langs, toLang, type NoticeLabels } from '../../policy/notice/labels.ts';

describe('notice html helper', () => {
  it('escapes the five characters that matter in content and quoted attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
  });

  it('escapes every interpolated string, keeps nested templates, flattens lists and drops empty values', () => {
    const inner = html`<b>${'<i>'}</b>`;
    const out = html`<p title="${'"onmouseover="x'}">${inner}${['<', 1, null, undefined, false, [html`<br>`, '&']]}</p>`;
    expect(out.value).toBe('<p title="&quot;onmouseover=&quot;x"><b>&lt;i&gt;</b>&lt;1<br>&amp;</p>');
  });

  it('only a trusted() constant passes through as markup', () => {
    expect(html`${trusted('<style>a{}</style>')}`.value).toBe('<style>a{}</style>');
    expect(html`${'<style>a{}</style>'}`.value).toBe('&lt;style&gt;a{}&lt;/style&gt;');
  });

  it('links only http(s) URLs', () => {
    expect(webUrl('https://tools.google.com/dlpage/gaoptout')).toBe('https://tools.google.com/dlpage/gaoptout');
    expect(webUrl('http://example.com/x?a=1&b=2')).toBe('http://example.com/x?a=1&b=2');
    for (const bad of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,<script>', 'vbscript:x', '//evil.example', '/relative', 'not a url', undefined]) {
      expect(webUrl(bad)).toBeUndefined();
    }
  });

  it('builds tel: targets from display numbers, and none from junk', () => {
    expect(telUrl('03-0000-0000')).toBe('tel:0300000000');
    expect(telUrl('+81 3-5771-6426')).toBe('tel:+81357716426');
    expect(telUrl('call us')).toBeUndefined();
  });
});

describe('notice labels', () => {
  /** every leaf string of a label set, by path (functions are called with sample values) */
  function leaves(value: unknown, path = ''): [string, string][] {
    if (typeof value === 'string') return [[path, value]];
    if (typeof value === 'function') return [[path, String((value as (...a: unknown[]) => unknown)('2026-10-01', 7))]];
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k));
  }

  it('has every label in both languages, none empty, and the Japanese set is in Japanese', () => {
    const ja = leaves(labels.ja);
    const en = leaves(labels.en);
    expect(ja.map(([p]) => p)).toEqual(en.map(([p]) => p));
    for (const [path, text] of [...ja, ...en]) expect(text.trim(), path).not.toBe('');
    const japanese = /[\u3040-\u30ff\u4e00-\u9fff]/;
    const formatting = new Set(['date', 'days', 'fee', 'paren', 'colon']);
    for (const [path, text] of ja) if (!formatting.has(path)) expect(text, path).toMatch(japanese);
    for (const [path, text] of en) expect(text, path).not.toMatch(japanese);
  });

  it('formats dates, days and fees per language', () => {
    const check = (t: NoticeLabels, date: string, days: string, fee: string) => {
      expect(t.date('2024-04-01')).toBe(date);
      expect(t.days(395)).toBe(days);
      expect(t.fee(2500)).toBe(fee);
    };
    check(labels.ja, '2024年4月1日', '395日', '2,500円');
    check(labels.en, '1 April 2024', '395 days', '¥2,500');
    expect(labels.en.days(1)).toBe('1 day');
  });

  it('recognizes a supported language from a tag', () => {
    expect(langs).toEqual(['ja', 'en']);
    expect(toLang('EN-gb')).toBe('en');
    expect(toLang(' ja-JP ')).toBe('ja');
    expect(toLang('fr')).toBeUndefined();
    expect(toLang(undefined)).toBeUndefined();
  });
});
