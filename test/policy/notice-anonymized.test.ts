import { describe, expect, it } from 'vitest';
import { columnLabel } from '../../policy/dataset-columns.ts';
import { loadPolicy } from '../../policy/load.ts';
import { anonymizedLabels } from '../../policy/notice/anonymized-labels.ts';
import { renderAnonymizedRegister, type PublishedDataset } from '../../policy/notice/anonymized.ts';
import { escapeHtml } from '../../policy/notice/html.ts';
import { labels, langs } from '../../policy/notice/labels.ts';
import { renderPrivacyNotice } from '../../policy/notice/privacy.ts';

const loaded = loadPolicy();
const dataset: PublishedDataset = {
  id: 7,
  level: 'session',
  items: ['key', 'time', 'country', 'pageviews'],
  publishedAt: Date.UTC(2026, 10, 1, 20), // 05:00 on 2 November in Tokyo
  from: Date.UTC(2026, 8, 30, 15), // 1 October, Tokyo midnight
  to: Date.UTC(2026, 9, 31, 15),
  timeZone: 'Asia/Tokyo',
  methods: [{ method: { ja: '暗号化したファイルを転送サービスで提供', en: 'An encrypted file through a transfer service' }, publishedAt: Date.UTC(2026, 10, 3) }],
  provisions: [
    { recipient: 'third_party', releasedOn: '2026-11-04' },
    { recipient: 'public', releasedOn: '2026-11-05' },
  ],
};
const cardOf = (page: string, id: number) => page.slice(page.indexOf(`<div class="card" id="dataset-${id}">`), page.indexOf('</div>\n', page.indexOf(`id="dataset-${id}"`)));

describe.each(langs)('/privacy/anonymized (%s)', (lang) => {
  const l = anonymizedLabels[lang];
  const t = labels[lang];

  it('says there is nothing yet when no dataset exists, and how datasets are made', () => {
    const page = renderAnonymizedRegister(loaded, lang, []);
    expect(page).toContain(`<h1>${escapeHtml(l.title)}</h1>`);
    expect(page).toContain(escapeHtml(l.none));
    for (const line of l.how) expect(page).toContain(escapeHtml(line));
    expect(page).toContain(`href="/privacy?lang=${lang}#contact"`);
  });

  it('lists each dataset’s items, dates in the site’s zone, method of provision and provisions — not who received it', () => {
    const card = cardOf(renderAnonymizedRegister(loaded, lang, [dataset]), 7);
    expect(card).toContain(escapeHtml(l.dataset(7)));
    for (const item of dataset.items) expect(card).toContain(`<li>${escapeHtml(columnLabel(item)[lang])}</li>`);
    expect(card).toContain(`<time datetime="2026-11-02">${t.date('2026-11-02')}</time>`);
    expect(card).toContain(`<time datetime="2026-10-31">${t.date('2026-10-31')}</time>`); // the period's last day, end exclusive
    expect(card).toContain(escapeHtml(dataset.methods[0]!.method[lang]));
    expect(card).toContain(escapeHtml(l.methodPublished(t.date('2026-11-03'))));
    expect(card).toContain(`<td>${escapeHtml(l.toThirdParty)}</td>`);
    expect(card).toContain(`<td>${escapeHtml(l.toPublic)}</td>`);
  });

  it('says when no method is published and nothing was provided', () => {
    const card = cardOf(renderAnonymizedRegister(loaded, lang, [{ ...dataset, methods: [], provisions: [] }]), 7);
    expect(card).toContain(escapeHtml(l.noMethod));
    expect(card).toContain(escapeHtml(l.noProvisions));
  });

  it('is linked from the privacy notice, in its own section and the page navigation', () => {
    const page = renderPrivacyNotice(loaded, lang);
    const section = page.slice(page.indexOf('<section id="anonymized"'), page.indexOf('</section>', page.indexOf('<section id="anonymized"')));
    expect(section).toContain(`<a href="/privacy/anonymized?lang=${lang}">${escapeHtml(t.pages.anonymized)}</a>`);
    expect(page.match(/<header>[\s\S]*<\/header>/)![0]).toContain(`href="/privacy/anonymized?lang=${lang}"`);
  });
});
