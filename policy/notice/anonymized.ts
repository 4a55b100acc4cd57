import { columnLabel, type DatasetLevel } from '../dataset-columns.ts';
import type { LoadedPolicy } from '../load.ts';
import type { Localized } from '../schema.ts';
import { anonymizedLabels } from './anonymized-labels.ts';
import { linkParagraph, list, pairs, section, table, type Section } from './blocks.ts';
import type { NoticeContext } from './context.ts';
import { noticeContext } from './context.ts';
import { html } from './html.ts';
import type { Lang } from './labels.ts';
import { renderLayout } from './layout.ts';
import { pageHref } from './paths.ts';

/** One dataset as the public register shows it: what it contains and how and when it was provided. */
export interface PublishedDataset {
  id: number;
  level: DatasetLevel;
  /** dataset column names */
  items: readonly string[];
  /** when its items were published (its creation), ms */
  publishedAt: number;
  /** the raw visits' period, ms, end exclusive */
  from: number;
  to: number;
  /** the site's time zone, in which the dataset's days are counted and its dates shown */
  timeZone: string;
  methods: readonly { method: Localized; publishedAt: number }[];
  provisions: readonly { recipient: 'public' | 'third_party'; releasedOn: string }[];
}

/** The calendar day of an instant in a time zone, as YYYY-MM-DD (en-CA writes dates that way). */
const dayIn = (ms: number, timeZone: string) => {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
  } catch {
    return new Date(ms).toISOString().slice(0, 10); // a zone this runtime does not know: UTC
  }
};

function datasetCard(d: PublishedDataset, ctx: NoticeContext): ReturnType<typeof html> {
  const { t, lang } = ctx;
  const l = anonymizedLabels[lang];
  const isoDay = (ms: number) => dayIn(ms, d.timeZone);
  const day = (ms: number) => html`<time datetime="${isoDay(ms)}">${t.date(isoDay(ms))}</time>`;
  const headingId = `dataset-${d.id}-h`;
  const provisionsId = `dataset-${d.id}-provisions`;
  const methods = d.methods.length
    ? list(d.methods.map((m) => html`${m.method[lang]}<p class="note">${l.methodPublished(t.date(isoDay(m.publishedAt)))}</p>`))
    : l.noMethod;
  const provisions = d.provisions.length
    ? table({
        labelledBy: provisionsId,
        head: [l.date, l.recipient],
        rows: d.provisions.map((p) => [html`<time datetime="${p.releasedOn}">${t.date(p.releasedOn)}</time>`, p.recipient === 'public' ? l.toPublic : l.toThirdParty] as const),
      })
    : html`<p>${l.noProvisions}</p>`;
  return html`<div class="card" id="dataset-${d.id}"><h3 id="${headingId}">${l.dataset(d.id)}</h3>
${pairs([
  [l.created, day(d.publishedAt)],
  [l.level, l.levels[d.level]],
  [l.period, html`${day(d.from)} – ${day(d.to - 1)}`],
  [l.items, list(d.items.map((name) => columnLabel(name)[lang]))],
  [l.method, methods],
])}
<h4 id="${provisionsId}">${l.provisions}</h4>
${provisions}</div>
`;
}

/**
 * `/privacy/anonymized`: the register APPI 43(3) and 44 ask for — each dataset's items from the moment it
 * exists, the method of provision before any provision, and the provisions made. Pure: the same policy,
 * language and datasets give the same bytes (the route derives its ETag from them).
 */
export function renderAnonymizedRegister(loaded: LoadedPolicy, lang: Lang, datasets: readonly PublishedDataset[]): string {
  const ctx = noticeContext(loaded, lang);
  const l = anonymizedLabels[lang];
  const register = datasets.length ? datasets.map((d) => datasetCard(d, ctx)) : html`<p>${l.none}</p>`;
  return renderLayout({
    loaded,
    lang,
    page: 'anonymized',
    title: l.title,
    body: html`<p>${l.lead}</p>
${section({ id: 'how', heading: l.howHeading, body: list([...l.how]) })}
${section({ id: 'register', heading: l.registerHeading, body: html`${register}` })}
${linkParagraph(l.contact, pageHref('privacy', lang, 'contact'), ctx.t.pages.privacy)}`,
  });
}

/** The privacy notice's section pointing to the register. */
export function anonymizedSection({ lang, t }: NoticeContext): Section {
  const l = anonymizedLabels[lang];
  return { id: 'anonymized', heading: l.sectionHeading, body: linkParagraph(l.sectionIntro, pageHref('anonymized', lang), t.pages.anonymized) };
}
