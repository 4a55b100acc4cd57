/** The overview's breakdown cards: each a group of dimensions shown as tabs, as in Plausible. */
import type { Dimension } from '../../server/stats/wire.ts';
import type { MessageKey } from './i18n/en.ts';
import { countryName } from './lib/format.ts';
import type { Locale } from './i18n/translate.ts';
import { translate } from './i18n/translate.ts';

export type TabId = Exclude<Dimension, `prop:${string}`> | 'prop';

export interface CardSpec {
  id: 'pages' | 'sources' | 'locations' | 'devices' | 'goals';
  title: MessageKey;
  tabs: readonly TabId[];
}

export const cards: readonly CardSpec[] = [
  { id: 'pages', title: 'card.pages', tabs: ['page', 'entry_page', 'exit_page'] },
  { id: 'sources', title: 'card.sources', tabs: ['source', 'utm_source', 'utm_medium', 'utm_campaign'] },
  { id: 'locations', title: 'card.locations', tabs: ['country'] },
  { id: 'devices', title: 'card.devices', tabs: ['browser', 'os', 'device'] },
  { id: 'goals', title: 'card.goals', tabs: ['event', 'prop'] },
];

/** What a row's second number counts, besides visitors: page views of a page, occurrences of an event. */
export function countColumn(dimension: Dimension): 'pageviews' | 'events' | null {
  if (dimension === 'page') return 'pageviews';
  if (dimension === 'event' || dimension.startsWith('prop:')) return 'events';
  return null;
}

/** Session-level dimensions carry bounce rate and visit duration. */
export const isSessionLevel = (dimension: Dimension): boolean => dimension !== 'page' && dimension !== 'event' && !dimension.startsWith('prop:');

/** A dimension's name in the UI: "Page", "Property “url”". */
export function dimensionLabel(dimension: Dimension, locale: Locale): string {
  if (dimension.startsWith('prop:')) return translate(locale, 'dim.prop', { key: dimension.slice(5) });
  return translate(locale, `dim.${dimension as TabId}` as MessageKey);
}

/** A value as people read it: country names, device kinds, and what an empty value means. */
export function valueLabel(dimension: Dimension, value: string | null, locale: Locale): string {
  if (value === null || value === '' || value === '(none)') return translate(locale, dimension === 'source' ? 'value.direct' : 'value.none');
  if (dimension === 'country') return countryName(value, locale);
  if (dimension === 'device' && (value === 'desktop' || value === 'mobile' || value === 'tablet')) return translate(locale, `device.${value}`);
  return value;
}
