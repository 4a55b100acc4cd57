import type { ItemId, Localized, Policy } from './schema.ts';

/**
 * The columns an anonymized dataset can hold — its "items of information about individuals" (APPI 43(3))
 * — with the collected item each is derived from and what it says, in both languages, for the public
 * register and the manifest. Nothing else can appear in a dataset: no address, cookie, consent or
 * session id, raw URL or query is among them.
 */

export const datasetLevels = ['pageview', 'session'] as const;
export type DatasetLevel = (typeof datasetLevels)[number];

/** The quasi-identifiers, in the order they are generalized away when a class is too small (last first). */
export const quasiIdentifiers = ['time', 'device', 'country', 'browser', 'os', 'entry_section', 'source'] as const;
export type QuasiIdentifier = (typeof quasiIdentifiers)[number];

export interface DatasetColumn {
  name: string;
  levels: readonly DatasetLevel[];
  item: ItemId;
  label: Localized;
}

const both = datasetLevels;
const fixedColumns: readonly DatasetColumn[] = [
  { name: 'key', levels: both, item: 'visitor_id', label: { ja: 'この提供物の中だけで同じ閲覧者の記録をまとめる無作為の符号（作成後に鍵を破棄。他のデータとは照合できません）', en: 'A random code grouping the same visitor’s records within this dataset only (its key was destroyed after the build; it matches nothing else)' } },
  { name: 'seq', levels: ['pageview'], item: 'visitor_id', label: { ja: 'その閲覧者の記録の順番（上限あり）', en: 'Position among that visitor’s records (capped)' } },
  { name: 'time', levels: both, item: 'access_time', label: { ja: '閲覧の日または時間帯（小さな集団では週単位）', en: 'Day or hour of the visit (the week, where a group would be small)' } },
  { name: 'country', levels: both, item: 'country', label: { ja: 'アクセス元の国（まれな国は「その他」）', en: 'Country (rare ones as “other”)' } },
  { name: 'device', levels: both, item: 'device_info', label: { ja: '端末の区分（パソコン・スマートフォン・タブレット）', en: 'Device class (desktop, mobile, tablet)' } },
  { name: 'browser', levels: both, item: 'device_info', label: { ja: 'ブラウザの種類（バージョンなし）', en: 'Browser family (no version)' } },
  { name: 'os', levels: both, item: 'device_info', label: { ja: 'OSの種類（バージョンなし）', en: 'Operating system family (no version)' } },
  { name: 'entry_section', levels: both, item: 'page_url', label: { ja: '訪問の最初のページの区分（URLの第1階層）', en: 'Section of the visit’s first page (first part of the path)' } },
  { name: 'source', levels: both, item: 'referrer', label: { ja: '参照元のドメインまたはキャンペーンの参照元名', en: 'Referring domain or campaign source' } },
  { name: 'pageviews', levels: ['session'], item: 'page_url', label: { ja: '訪問中の閲覧ページ数（上限あり）', en: 'Pages viewed in the visit (top-coded)' } },
  { name: 'events', levels: ['session'], item: 'custom_events', label: { ja: '訪問中の操作の数（上限あり）', en: 'Actions in the visit (top-coded)' } },
  { name: 'duration_min', levels: ['session'], item: 'access_time', label: { ja: '訪問の長さ（分、上限あり）', en: 'Visit length in minutes (top-coded)' } },
  { name: 'type', levels: ['pageview'], item: 'access_time', label: { ja: '記録の種類（ページ閲覧または操作）', en: 'Kind of record (page view or action)' } },
  { name: 'section', levels: ['pageview'], item: 'page_url', label: { ja: '閲覧したページの区分（URLの第1階層）', en: 'Section of the page (first part of the path)' } },
  { name: 'event', levels: ['pageview'], item: 'custom_events', label: { ja: '操作の名前（まれなものは「その他」）', en: 'Name of the action (rare ones as “other”)' } },
];

const titleColumn: DatasetColumn = { name: 'title', levels: ['pageview'], item: 'page_title', label: { ja: 'ページのタイトル（まれなものは削除）', en: 'Page title (rare ones removed)' } };
const propColumn = (key: string): DatasetColumn => ({
  name: `prop:${key}`,
  levels: ['pageview'],
  item: 'custom_events',
  label: { ja: `操作の属性「${key}」（まれな値は削除）`, en: `Action property “${key}” (rare values removed)` },
});

/** Every column a dataset of this level may hold under this policy: items it collects, free text it allows. */
export function datasetColumns(policy: Pick<Policy, 'items' | 'anonymization'>, level: DatasetLevel): DatasetColumn[] {
  const collected = new Set(policy.items.map((i) => i.id));
  const all = [...fixedColumns, ...(policy.anonymization.titles ? [titleColumn] : []), ...policy.anonymization.props.map(propColumn)];
  return all.filter((c) => c.levels.includes(level) && collected.has(c.item));
}

/** A column's description for the register, also for one a later policy no longer offers. */
export function columnLabel(name: string): Localized {
  if (name === 'title') return titleColumn.label;
  if (name.startsWith('prop:')) return propColumn(name.slice(5)).label;
  return fixedColumns.find((c) => c.name === name)?.label ?? { ja: name, en: name };
}

export const isQuasiIdentifier = (name: string): name is QuasiIdentifier => (quasiIdentifiers as readonly string[]).includes(name);
