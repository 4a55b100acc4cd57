import type { ConsentModeName, requestTypes, legalClasses } from '../schema.ts';

/**
 * The words of the notice pages that do not come from the policy: headings, field names and a few
 * sentences describing what ashiato itself does. Everything specific to the company is in the policy.
 */

export const langs = ['ja', 'en'] as const;
export type Lang = (typeof langs)[number];

/** Each language's name in that language, for the switch link. */
export const langNames: Record<Lang, string> = { ja: '日本語', en: 'English' };

type RequestType = (typeof requestTypes)[number];
type LegalClass = (typeof legalClasses)[number];

export interface NoticeLabels {
  skipToContent: string;
  siteNav: string;
  contents: string;
  language: string;
  pages: { privacy: string; external: string; myData: string; anonymized: string };
  policyRevision: string;
  lastRevised: string;

  date(iso: string): string;
  days(n: number): string;
  fee(yen: number): string;
  free: string;
  /** a parenthetical remark after a word, with the language's own brackets */
  paren(text: string): string;
  /** what separates a field name from its value in running text */
  colon: string;

  privacy: {
    title: string;
    lead(company: string): string;
    controller: { heading: string; name: string; address: string; representative: string };
    purposes: { heading: string; intro: string };
    items: {
      heading: string;
      purposes: string;
      retention: string;
      legalClass: string;
      classNames: Record<LegalClass, string>;
      classNotes: Record<LegalClass, string>;
      handlingHeading: string;
      cookieLifetime: string;
      noCookie: string;
      ipStored: string;
      ipPrefixes(v4: number, v6: number): string;
      hashKey: string;
      hashKeyLife(hours: number): string;
      /** what is linked when a visitor changes their consent choice during a visit */
      visitLink: string;
      visitLinkNote(idleMinutes: number): string;
      recordsHeading: string;
      consentReceipts: string;
      caseDocuments: string;
      provisionRecords: string;
    };
    consent: {
      heading: string;
      categoriesHeading: string;
      category: string;
      description: string;
      choice: string;
      required: string;
      optional: string;
      regionsHeading: string;
      regionsIntro: string;
      region: string;
      whatHappens: string;
      otherCountries: string;
      unknownCountry: string;
      modes: Record<ConsentModeName, string>;
      gpc: string;
      noCookieCounting: string;
      changeChoice: string;
    };
    external: { heading: string; intro: string };
    thirdParty: {
      heading: string;
      statement: string;
      jointUseHeading: string;
      jointUseIntro: string;
      jointItems: string;
      jointParties: string;
      jointPurpose: string;
      jointResponsible: string;
      noJointUse: string;
      processorsHeading: string;
      processorsIntro: string;
      processor: string;
      task: string;
      noProcessors: string;
    };
    requests: {
      heading: string;
      intro: string;
      selfService: string;
      typesHeading: string;
      type: string;
      fee: string;
      types: Record<RequestType, string>;
      procedureHeading: string;
      sendTo: string;
      email: string;
      post: string;
      identityHeading: string;
      identityIntro: string;
      agentHeading: string;
      agentIntro: string;
      responseHeading: string;
      responseDays(n: number): string;
      refusalHeading: string;
      refusalIntro: string;
    };
    security: { heading: string; intro: string };
    contact: { heading: string; intro: string; window: string; address: string; email: string; phone: string; hours: string };
    revisions: { heading: string; intro: string; date: string; changes: string; revisionNote: string };
  };

  external: {
    title: string;
    lead: string;
    recipient: string;
    sends: string;
    purpose: string;
    category: string;
    categoryRequired: string;
    categoryOptional: string;
    optOut: string;
    optOutHere: string;
    privacyPolicy: string;
    ownPolicy: string;
    none: string;
    changeChoice: string;
  };
}

const enMonths = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const dateParts = (iso: string) => iso.split('-').map(Number) as [number, number, number];

const ja: NoticeLabels = {
  skipToContent: '本文へ移動',
  siteNav: 'プライバシーに関するページ',
  contents: '目次',
  language: '表示言語',
  pages: { privacy: 'プライバシーポリシー', external: '外部送信について', myData: 'あなたのデータ', anonymized: '匿名加工情報' },
  policyRevision: '版ID',
  lastRevised: '最終改定日',

  date: (iso) => {
    const [y, m, d] = dateParts(iso);
    return `${y}年${m}月${d}日`;
  },
  days: (n) => `${n.toLocaleString('ja-JP')}日`,
  fee: (yen) => `${yen.toLocaleString('ja-JP')}円`,
  free: '無料',
  paren: (text) => `（${text}）`,
  colon: '：',

  privacy: {
    title: 'プライバシーポリシー',
    lead: (company) =>
      `${company}（以下「当社」）は、当サイトの閲覧に伴って取得する情報の取扱いを次のとおり定め、個人情報の保護に関する法律にもとづき公表すべき事項とあわせてお知らせします。`,
    controller: { heading: '事業者', name: '名称', address: '住所', representative: '代表者' },
    purposes: { heading: '利用目的', intro: 'アクセス解析で取得する情報は、次の目的の範囲内でのみ利用します。' },
    items: {
      heading: '取得する情報と保存期間',
      purposes: '利用目的',
      retention: '保存期間',
      legalClass: '法律上の区分',
      classNames: { personally_referable: '個人関連情報', personal: '個人情報', statistics: '統計情報' },
      classNotes: {
        personally_referable: 'Cookie識別子や閲覧履歴など、それだけでは特定の個人を識別できない情報です。当社はこれを氏名などの個人情報とひも付けません。',
        personal: '特定の個人を識別できる情報です。',
        statistics: '個人との対応関係を排した集計値です。',
      },
      handlingHeading: 'Cookie・IPアドレスの扱い',
      cookieLifetime: 'Cookieの有効期間',
      noCookie: '計測にCookieは使用しません。',
      ipStored: '保存するIPアドレス',
      ipPrefixes: (v4, v6) => `IPv4は先頭${v4}ビット、IPv6は先頭${v6}ビットのみを保存し、残りは保存前に切り捨てます。`,
      hashKey: 'Cookieを使わない場合の計算用の鍵',
      hashKeyLife: (hours) => `無作為に生成し、サイトのタイムゾーンで毎日0時に入れ替え、使い始めてから${hours}時間後に削除します。`,
      visitLink: '訪問の途中で選択を変えた場合',
      visitLinkNote: (idle) =>
        `その訪問は一つの訪問として数えます。同意した場合は訪問の始めのCookieを使わない値のまま続け、新しいCookieのIDは次の訪問から使います。同意を撤回した場合やGPCで拒否した場合は、その訪問の記録全体をCookieのIDからCookieを使わない値に移します。二つを結び付けるのはその訪問（${idle}分間操作がないと終わります）だけで、結び付きはメモリ上にしか持たず、前後の訪問とは結び付けません。`,
      recordsHeading: 'その他の記録の保存期間',
      consentReceipts: '同意・拒否・撤回の記録',
      caseDocuments: '開示等の請求でご提出いただいた書類（回答の完了から）',
      provisionRecords: '第三者提供の記録',
    },
    consent: {
      heading: '同意の選択と地域ごとの扱い',
      categoriesHeading: '同意の区分',
      category: '区分',
      description: '内容',
      choice: '選択',
      required: '常に有効（サイトの提供に必要）',
      optional: '同意・拒否を選べます',
      regionsHeading: '地域ごとの扱い',
      regionsIntro:
        'アクセス元の国に応じて次のとおり扱います。国は受信時にIPアドレスから判定し、判定結果の国だけを保存します。',
      region: '地域',
      whatHappens: '扱い',
      otherCountries: 'その他の国・地域',
      unknownCountry: '国を判定できない場合',
      modes: {
        'opt-in': '事前に同意をうかがいます。同意をいただくまで、端末にCookieを保存せず、同意が必要な外部ツールも動作させません。',
        notice: 'このポリシーでお知らせしたうえで計測します。いつでも拒否できます。',
        'opt-out': '拒否（オプトアウト）のお申し出があるまで計測します。いつでも拒否できます。',
      },
      gpc: 'どの地域でも、ブラウザからグローバル・プライバシー・コントロール（GPC）の信号が送られた場合は拒否として扱い、Cookieを使いません。',
      noCookieCounting: 'Cookieを使わない場合も、上記の鍵で計算した日ごとに変わる値により閲覧数を数えます。',
      changeChoice: '選択の変更や同意の撤回は、いつでも次のページから行えます。',
    },
    external: {
      heading: '外部送信',
      intro: 'ページの表示時にブラウザから送信される情報、その送信先と利用目的は、次のページにまとめています。',
    },
    thirdParty: {
      heading: '第三者への提供',
      statement: '当社は、次のいずれかに当たる場合を除き、取得した情報を第三者（外国にある第三者を含みます）に提供しません。',
      jointUseHeading: '共同利用',
      jointUseIntro: '次のとおり共同して利用します。',
      jointItems: '共同して利用する項目',
      jointParties: '共同して利用する者の範囲',
      jointPurpose: '利用する者の利用目的',
      jointResponsible: '管理について責任を有する者',
      noJointUse: '共同利用は行っていません。',
      processorsHeading: '取扱いの委託',
      processorsIntro:
        '取扱いの一部を委託する場合は、安全管理を義務付ける契約を委託先と結び、委託先に対して必要かつ適切な監督を行います。',
      processor: '委託先',
      task: '委託する業務',
      noProcessors: '取扱いの委託は行っていません。',
    },
    requests: {
      heading: '開示等のご請求',
      intro: '当社が保有するあなたに関するデータについて、次のご請求やお申し出を受け付けます。',
      selfService: 'このブラウザにひも付くデータは、次のページでいつでも確認、ダウンロード、削除、利用停止ができます。',
      typesHeading: 'ご請求の種類と手数料',
      type: 'ご請求の種類',
      fee: '手数料',
      types: {
        purpose_notification: '利用目的の通知',
        disclosure: '開示',
        correction: '内容の訂正',
        addition: '内容の追加',
        deletion: '内容の削除',
        suspension: '利用の停止・消去',
        stop_third_party_provision: '第三者への提供の停止',
        complaint: '苦情・ご相談',
      },
      procedureHeading: 'ご請求の方法',
      sendTo: '送付先',
      email: 'メール',
      post: '郵送',
      identityHeading: '本人確認書類',
      identityIntro: '次のいずれかを添えてください。',
      agentHeading: '代理人によるご請求',
      agentIntro: '法定代理人や、ご本人が委任した代理人もご請求いただけます。その場合は次の書類が必要です。',
      responseHeading: '回答の時期',
      responseDays: (n) => `必要な書類がそろってから、原則として${n}日以内に回答します。`,
      refusalHeading: 'ご請求にお応えできない場合',
      refusalIntro: '次の場合は、ご請求の全部または一部にお応えできないことがあります。その場合は、理由を添えてお知らせします。',
    },
    security: {
      heading: '安全管理のために講じた措置',
      intro: '取得した情報の漏えい、滅失、毀損を防ぐため、次の措置を講じています。',
    },
    contact: {
      heading: 'お問い合わせ・苦情の窓口',
      intro: '取扱いに関するお問い合わせや苦情は次の窓口で受け付け、事実を確認したうえで、適切な期間内に誠実にお答えします。',
      window: '窓口',
      address: '所在地',
      email: 'メール',
      phone: '電話',
      hours: '受付時間',
    },
    revisions: {
      heading: '改定履歴',
      intro: 'このポリシーを改定したときは、このページに掲載してお知らせします。',
      date: '改定日',
      changes: '内容',
      revisionNote: '同意の記録には、その時点のこの版IDを記録しています。',
    },
  },

  external: {
    title: '外部送信について',
    lead: '当サイトのページを表示すると、ブラウザから次の送信先に情報が送信されます。電気通信事業法の外部送信規律にもとづき、送信される情報、送信先、利用目的をお知らせします。',
    recipient: '送信先',
    sends: '送信される情報',
    purpose: '利用目的',
    category: '同意の区分',
    categoryRequired: '常に有効',
    categoryOptional: '同意・拒否を選べます',
    optOut: 'オプトアウト（送信の停止）',
    optOutHere: '当サイトの同意の設定から停止できます。',
    privacyPolicy: '送信先のプライバシーポリシー',
    ownPolicy: '当サイトのプライバシーポリシーが適用されます。',
    none: '当サイトには、閲覧者の情報を外部に送信するタグはありません。',
    changeChoice: '同意の選択は、いつでも次のページで変更できます。',
  },
};

const en: NoticeLabels = {
  skipToContent: 'Skip to content',
  siteNav: 'Privacy pages',
  contents: 'Contents',
  language: 'Language',
  pages: { privacy: 'Privacy notice', external: 'External transmission', myData: 'Your data', anonymized: 'Anonymized data' },
  policyRevision: 'Revision id',
  lastRevised: 'Last revised',

  date: (iso) => {
    const [y, m, d] = dateParts(iso);
    return `${d} ${enMonths[m - 1]} ${y}`;
  },
  days: (n) => `${n.toLocaleString('en-US')} ${n === 1 ? 'day' : 'days'}`,
  fee: (yen) => `¥${yen.toLocaleString('en-US')}`,
  free: 'Free',
  paren: (text) => ` (${text})`,
  colon: ': ',

  privacy: {
    title: 'Privacy notice',
    lead: (company) =>
      `This notice explains how ${company} (“we”) handles the information collected when you visit this site, and sets out the matters that Japan's Act on the Protection of Personal Information requires us to make public.`,
    controller: { heading: 'Who we are', name: 'Name', address: 'Address', representative: 'Representative' },
    purposes: { heading: 'Why we collect it', intro: 'We use the information collected by site analytics only for these purposes:' },
    items: {
      heading: 'What we collect and for how long',
      purposes: 'Purposes',
      retention: 'Kept for',
      legalClass: 'Class under the Act',
      classNames: {
        personally_referable: 'Personally referable information',
        personal: 'Personal information',
        statistics: 'Statistical information',
      },
      classNotes: {
        personally_referable:
          'Information such as cookie identifiers and browsing history that does not by itself identify anyone. We never link it to names or other personal information.',
        personal: 'Information that identifies a specific person.',
        statistics: 'Aggregated figures that cannot be traced back to any person.',
      },
      handlingHeading: 'Cookies and IP addresses',
      cookieLifetime: 'Cookie lifetime',
      noCookie: 'No cookie is used for measurement.',
      ipStored: 'IP addresses as stored',
      ipPrefixes: (v4, v6) => `Only the first ${v4} bits of an IPv4 address or ${v6} bits of an IPv6 address are stored; the rest is removed before storage.`,
      hashKey: 'Key used when there is no cookie',
      hashKeyLife: (hours) => `Generated at random, replaced every day at midnight in the site's time zone, and deleted ${hours} hours after it takes effect.`,
      visitLink: 'If you change your choice during a visit',
      visitLinkNote: (idle) =>
        `That visit still counts as one visit. If you consent, it continues under the cookieless value it began with, and the new cookie id is used from your next visit. If you withdraw or object (GPC), the whole visit's records move from the cookie id to the cookieless value. The two are linked for that visit only (it ends after ${idle} minutes without activity), in memory only, never for earlier or later visits.`,
      recordsHeading: 'Other records and how long we keep them',
      consentReceipts: 'Records of consent, refusal and withdrawal',
      caseDocuments: 'Documents sent with a request (counted from our answer)',
      provisionRecords: 'Records of provision to third parties',
    },
    consent: {
      heading: 'Your consent choices and regional rules',
      categoriesHeading: 'Consent categories',
      category: 'Category',
      description: 'What it covers',
      choice: 'Your choice',
      required: 'Always on (needed to run the site)',
      optional: 'Accept or refuse',
      regionsHeading: 'What happens where you are',
      regionsIntro:
        'What we do depends on the country your visit comes from. We look the country up from the IP address on arrival and keep only the country.',
      region: 'Region',
      whatHappens: 'What happens',
      otherCountries: 'All other countries',
      unknownCountry: 'When the country cannot be determined',
      modes: {
        'opt-in': 'We ask first. Until you agree, no cookie is stored on your device and tools that need consent do not run.',
        notice: 'We measure as this notice describes, without asking first. You can refuse at any time.',
        'opt-out': 'We measure unless you opt out. You can opt out at any time.',
      },
      gpc: 'In every region, if your browser sends a Global Privacy Control (GPC) signal, we treat it as a refusal and use no cookie.',
      noCookieCounting: 'Without a cookie, visits are still counted, using the daily-changing value computed with the key above.',
      changeChoice: 'You can change your choices or withdraw consent at any time here:',
    },
    external: {
      heading: 'Information your browser sends',
      intro: 'What your browser sends when you view a page on this site, to whom and why, is listed here:',
    },
    thirdParty: {
      heading: 'Third parties',
      statement: 'We do not provide the information we collect to any third party, in Japan or abroad, except in the following cases:',
      jointUseHeading: 'Joint use',
      jointUseIntro: 'We use the following jointly with others:',
      jointItems: 'What is used jointly',
      jointParties: 'Who uses it jointly',
      jointPurpose: 'Purpose of the joint use',
      jointResponsible: 'Responsible for its management',
      noJointUse: 'We do not use this information jointly with anyone.',
      processorsHeading: 'Service providers acting for us',
      processorsIntro:
        'Where we entrust part of the handling to a service provider, we bind it by contract to keep the data secure and supervise it as necessary and appropriate.',
      processor: 'Provider',
      task: 'What it does for us',
      noProcessors: 'We do not entrust the handling of this information to anyone.',
    },
    requests: {
      heading: 'Requests about your data',
      intro: 'You can make the following requests about the data we hold about you.',
      selfService: 'Data tied to this browser can be viewed, downloaded, deleted or paused at any time here:',
      typesHeading: 'Types of request and fees',
      type: 'Request',
      fee: 'Fee',
      types: {
        purpose_notification: 'Telling you the purposes of use',
        disclosure: 'Disclosure of the data',
        correction: 'Correction',
        addition: 'Addition',
        deletion: 'Deletion',
        suspension: 'Stopping use or erasure',
        stop_third_party_provision: 'Stopping provision to third parties',
        complaint: 'Complaints and questions',
      },
      procedureHeading: 'How to make a request',
      sendTo: 'Where to send it',
      email: 'E-mail',
      post: 'Post',
      identityHeading: 'Identity documents',
      identityIntro: 'Please include one of the following:',
      agentHeading: 'Requests made by an agent',
      agentIntro: 'A legal representative, or an agent you appoint, can make a request for you. They need to send:',
      responseHeading: 'When we answer',
      responseDays: (n) => `As a rule, we answer within ${n} ${n === 1 ? 'day' : 'days'} of receiving everything we need.`,
      refusalHeading: 'When we cannot do what you ask',
      refusalIntro: 'We may be unable to meet all or part of a request in the cases below. If so, we tell you the reason.',
    },
    security: {
      heading: 'How we keep the data secure',
      intro: 'To prevent the information from leaking, being lost or being damaged, we take these measures:',
    },
    contact: {
      heading: 'Contact and complaints',
      intro: 'Questions and complaints about how we handle this information go to the desk below. We check the facts and answer sincerely within a reasonable time.',
      window: 'Desk',
      address: 'Address',
      email: 'E-mail',
      phone: 'Phone',
      hours: 'Hours',
    },
    revisions: {
      heading: 'Revision history',
      intro: 'When we change this notice, we publish the new version on this page.',
      date: 'Date',
      changes: 'Changes',
      revisionNote: 'Each record of consent names the revision id in force when it was given.',
    },
  },

  external: {
    title: 'External transmission',
    lead: "When you view a page on this site, your browser sends information to the recipients below. As the external transmission rules of Japan's Telecommunications Business Act require, we list what is sent, to whom and why.",
    recipient: 'Recipient',
    sends: 'Information sent',
    purpose: 'Purpose',
    category: 'Consent category',
    categoryRequired: 'always on',
    categoryOptional: 'accept or refuse',
    optOut: 'Opting out',
    optOutHere: "Turn it off in this site's consent settings.",
    privacyPolicy: "Recipient's privacy policy",
    ownPolicy: "This site's privacy notice applies.",
    none: "No tag on this site sends visitors' information anywhere else.",
    changeChoice: 'You can change your consent choices at any time here:',
  },
};

export const labels: Record<Lang, NoticeLabels> = { ja, en };

/** A supported language, or undefined: accepts a primary tag with any subtags ("en-GB"), any case. */
export function toLang(tag: string | undefined): Lang | undefined {
  const primary = tag?.trim().toLowerCase().split('-')[0];
  return langs.find((l) => l === primary);
}
