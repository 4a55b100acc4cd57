import type { DatasetLevel } from '../dataset-columns.ts';
import type { Lang } from './labels.ts';

/** The words of /privacy/anonymized and of the privacy notice's section linking to it. */
export interface AnonymizedLabels {
  title: string;
  lead: string;
  howHeading: string;
  how: readonly string[];
  registerHeading: string;
  none: string;
  dataset(id: number): string;
  created: string;
  level: string;
  levels: Record<DatasetLevel, string>;
  period: string;
  items: string;
  method: string;
  methodPublished(date: string): string;
  noMethod: string;
  provisions: string;
  noProvisions: string;
  date: string;
  recipient: string;
  toPublic: string;
  toThirdParty: string;
  /** before the link to the privacy notice's contact desk */
  contact: string;
  /** the /privacy section */
  sectionHeading: string;
  sectionIntro: string;
}

const ja: AnonymizedLabels = {
  title: '匿名加工情報の公表',
  lead: '当社は、サイトの閲覧記録から、特定の個人を識別できず、もとの記録に復元できないように加工した情報（匿名加工情報）を作成することがあります。個人情報保護法にもとづき、作成したときはそれに含まれる情報の項目を、第三者に提供するときはあらかじめその項目と提供の方法を、このページでお知らせします。',
  howHeading: '加工の方法と安全管理',
  how: [
    'Cookie識別子、IPアドレス、同意の記録の番号など、閲覧者にひも付く符号はすべて削除します。',
    '同じ閲覧者の記録をまとめる符号は提供物ごとに無作為に作り、作成に使った鍵はその場で破棄します。別の提供物や当社の記録と突き合わせることはできません。',
    'ページは区分に、参照元はドメインに、ブラウザとOSは種類に、日時は日または時間帯にまとめ、まれな値は「その他」にするか削除します。',
    '国・端末・ブラウザ・OS・入口ページの区分・参照元・日付の組み合わせが同じ閲覧者が一定数に満たない記録は、さらにまとめるか削除します。',
    '受け取る方には、匿名加工情報であることと、本人を識別する目的で他の情報と照合してはならないことを、すべてのファイルの冒頭で明示します。',
    '加工の方法に関する情報は権限のある担当者だけが扱い、作成・提供・ダウンロードはすべて操作ログに記録します。苦情やお問い合わせはプライバシーポリシーに記載の窓口で受け付けます。',
  ],
  registerHeading: '作成した匿名加工情報',
  none: '現在、公表している匿名加工情報はありません。',
  dataset: (id) => `匿名加工情報 第${id}号`,
  created: '作成・公表日',
  level: '記録の単位',
  levels: { pageview: 'ページ閲覧・操作ごと', session: '訪問ごと' },
  period: 'もとにした閲覧記録の期間',
  items: '含まれる情報の項目',
  method: '第三者への提供の方法',
  methodPublished: (date) => `${date}公表`,
  noMethod: '第三者への提供は予定していません。',
  provisions: '提供の記録',
  noProvisions: 'まだ提供していません。',
  date: '提供日',
  recipient: '提供先',
  toPublic: '一般に公開',
  toThirdParty: '第三者',
  contact: '匿名加工情報の取扱いに関する苦情やお問い合わせは、プライバシーポリシーに記載の窓口で受け付けます。',
  sectionHeading: '匿名加工情報',
  sectionIntro: '閲覧記録から作成した匿名加工情報の項目と、第三者への提供の方法は、次のページで公表しています。',
};

const en: AnonymizedLabels = {
  title: 'Anonymously processed information',
  lead: 'From the records of visits to this site we may create information processed so that no one can be identified from it and the original records cannot be restored (anonymously processed information). As Japan’s Act on the Protection of Personal Information requires, this page lists the items each such dataset contains as soon as it is created and, before any of it goes to a third party, those items and how it is provided.',
  howHeading: 'How it is processed and protected',
  how: [
    'Every code tied to a visitor — cookie identifiers, IP addresses, consent record numbers — is deleted.',
    'A dataset groups one visitor’s records under a random code made for that dataset alone; the key used to make it is destroyed straight away, so the code matches nothing in any other dataset or in our own records.',
    'Pages are reduced to their section, referrers to their domain, browsers and operating systems to their family, times to the day or hour; rare values become “other” or are removed.',
    'Records whose combination of country, device, browser, operating system, entry section, referrer and date is shared by too few visitors are generalized further or removed.',
    'Every file begins by telling its recipient that it is anonymously processed information and must not be combined with other information to identify anyone.',
    'Only authorized staff handle information about the processing; every creation, provision and download is in our audit log. Questions and complaints go to the contact desk named in the privacy notice.',
  ],
  registerHeading: 'Datasets created',
  none: 'No anonymously processed information is published at present.',
  dataset: (id) => `Dataset No. ${id}`,
  created: 'Created and published',
  level: 'One record per',
  levels: { pageview: 'page view or action', session: 'visit' },
  period: 'Visits it was made from',
  items: 'Items of information it contains',
  method: 'How it is provided to third parties',
  methodPublished: (date) => `published ${date}`,
  noMethod: 'No provision to third parties is planned.',
  provisions: 'Provisions',
  noProvisions: 'Not provided to anyone yet.',
  date: 'Date',
  recipient: 'Provided to',
  toPublic: 'The public',
  toThirdParty: 'A third party',
  contact: 'Questions and complaints about how we handle this information go to the contact desk named in the privacy notice:',
  sectionHeading: 'Anonymously processed information',
  sectionIntro: 'The items of the anonymously processed information we create from visit records, and how it is provided to third parties, are published here:',
};

export const anonymizedLabels: Record<Lang, AnonymizedLabels> = { ja, en };
