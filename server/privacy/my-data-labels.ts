import type { Lang } from '../../policy/notice/labels.ts';

/**
 * The words of /privacy/my-data that do not come from the policy. `client` is what the page's script
 * needs (it arrives as JSON in the page, so the script carries no text of its own); `{name}` marks a value
 * the script fills in.
 */
export interface MyDataLabels {
  lead: string;
  noKey: { heading: string; how: string; openFromSite: string; cookieless: string };
  noscript: string;
  held: { heading: string; aggregates: string; events: string; sessions: string; receipts: string; provisions: string };
  eventCols: readonly string[];
  sessionCols: readonly string[];
  receiptCols: readonly string[];
  provisionCols: readonly string[];
  download: { heading: string; body: string; json: string; csv: string };
  remove: { heading: string; body: string; aggregates: string; confirm: string; button: string };
  suspend: { heading: string; body: string; optOut: string; button: string };
  consent: { heading: string; body: string; withdrawBody: string; button: string };
  other: string;
  client: Omit<MyDataClientTexts, 'categories' | 'grounds' | 'items'>;
}

/** Texts the page's script uses (server/privacy/my-data-client.ts). */
export interface MyDataClientTexts {
  loading: string;
  failed: string;
  nothing: string;
  summary: string;
  period: string;
  truncated: string;
  deleted: string;
  deletedRepeat: string;
  suspended: string;
  suspendedStatus: string;
  withdrawn: string;
  downloadFailed: string;
  pageview: string;
  event: string;
  none: string;
  actions: Record<'accept_all' | 'reject_all' | 'custom' | 'withdraw' | 'gpc', string>;
  /** consent category id → its label in the policy */
  categories: Record<string, string>;
  /** legal ground id → its label in the policy */
  grounds: Record<string, string>;
  /** policy item id → its label in the policy */
  items: Record<string, string>;
}

const ja: MyDataLabels = {
  lead: 'このページでは、当サイトのアクセス解析がこのブラウザについて保有しているデータを確認し、ダウンロード、削除、利用の停止、同意の撤回ができます。',
  noKey: {
    heading: 'データの見つけ方',
    how: 'データは、サイトがこのブラウザに保存した無作為の識別子（Cookie）だけを手がかりに探します。氏名やメールアドレスなどを入力していただくことはありません。',
    openFromSite:
      'サイトの「あなたのデータ」のリンクからこのページを開いてください。リンクはURLの「#」より後ろの部分で識別子をこのページに渡します。この部分はブラウザからどのサーバーにも送信されず、ページを開くとすぐにアドレス欄から消去します。',
    cookieless:
      'Cookieを使わずに計測した閲覧（同意がない場合やグローバル・プライバシー・コントロールが有効な場合）は、毎日入れ替えて48時間後に削除する鍵で計算した値で数えています。この値からあなたを割り出すことは当社にもできないため、このページで表示することはできません。こうしたデータも保存期間が過ぎると自動的に削除されます。',
  },
  noscript: 'このページでデータを表示するにはJavaScriptが必要です。JavaScriptを使えない場合は、下記の窓口へご請求ください。',
  held: {
    heading: '保有しているデータ',
    aggregates: '閲覧数などの統計（個人を識別できない集計値）はこの一覧に含まれず、削除後も残ります。',
    events: '閲覧・操作の記録',
    sessions: '訪問',
    receipts: '同意の記録',
    provisions: '第三者への提供の記録',
  },
  eventCols: ['日時', '種類', 'ページ', 'タイトル', '参照元', '国', 'ブラウザ・OS・端末', 'IPアドレス（切り捨て後）'],
  sessionCols: ['開始', '最後の閲覧', '最初のページ', '最後のページ', '閲覧数', '操作数', '参照元', '国', 'ブラウザ・OS・端末'],
  receiptCols: ['日時', '選択', '同意した区分', '拒否した区分', 'ページ', 'ポリシーの版ID'],
  provisionCols: ['提供先', '提供した項目', '提供日・期間', '根拠'],
  download: {
    heading: 'ダウンロード',
    body: '保有しているデータを電子データとして保存できます。JSONはすべての項目を含み、CSVは表計算ソフトで開けます。',
    json: 'JSON形式でダウンロード',
    csv: 'CSV形式でダウンロード',
  },
  remove: {
    heading: '削除',
    body: 'このブラウザの閲覧・操作の記録と訪問の記録を削除し、同意の記録からは内容（選択、ページ、IPアドレス、ブラウザの情報）を消去します。同意の記録は改ざんを検知できる形で保管しているため、日時と検証用の値だけが残ります。',
    aggregates: 'すでに集計済みの統計は個人を識別できない数値のため、削除されません。削除したことは、削除した件数とともに、識別子そのものを含まない形で記録します。削除後にこのブラウザでサイトを閲覧すると、再び記録されます。記録を止めるには、下の「利用の停止」もお使いください。',
    confirm: '削除すると元に戻せないことを理解しました',
    button: 'データを削除する',
  },
  suspend: {
    heading: '利用の停止',
    body: 'このブラウザの識別子を今後の計測に使わないよう、当社のサーバー側で停止します。停止後に届いた閲覧の情報は記録しません。',
    optOut: 'ブラウザからの送信自体も止めるには、サイトの「Cookie設定」でアクセス解析を拒否してください。',
    button: '利用を停止する',
  },
  consent: {
    heading: '同意の変更・撤回',
    body: '同意の内容は、サイトの各ページにある「Cookie設定」からいつでも変更できます。',
    withdrawBody: '次のボタンで同意を撤回すると、撤回の記録を残し、このブラウザの識別子の利用も停止します。サイト上の設定（外部ツールの停止など）にも反映するには、あわせてサイトの「Cookie設定」ですべて拒否を選んでください。',
    button: '同意を撤回する',
  },
  other: 'このページで扱えないご請求（利用目的の通知、訂正など）や苦情・ご相談は、プライバシーポリシーに記載の窓口で受け付けます。',
  client: {
    loading: 'データを読み込んでいます…',
    failed: 'データを読み込めませんでした。時間をおいて、もう一度お試しください。',
    nothing: 'このブラウザについて保有しているデータはありません。',
    summary: '閲覧・操作の記録{events}件（訪問{sessions}回分）と、同意の記録{receipts}件を保有しています。',
    period: '記録の期間：{from}から{to}まで',
    truncated: '新しい{shown}件を表示しています。すべての記録はダウンロードしたファイルでご確認ください。',
    deleted: '削除しました（閲覧・操作の記録{events}件、訪問{sessions}件、内容を消去した同意の記録{receipts}件）。',
    deletedRepeat: '同じ識別子のデータの削除は、これまでに{count}回記録されています。',
    suspended: 'このブラウザの識別子の利用を停止しました。',
    suspendedStatus: 'このブラウザの識別子は利用を停止しています。',
    withdrawn: '同意の撤回を記録し、このブラウザの識別子の利用を停止しました。',
    downloadFailed: 'ダウンロードできませんでした。もう一度お試しください。',
    pageview: 'ページの閲覧',
    event: '操作',
    none: '（なし）',
    actions: { accept_all: 'すべて許可', reject_all: 'すべて拒否', custom: '項目を選択', withdraw: '撤回', gpc: 'GPCによる拒否' },
  },
};

const en: MyDataLabels = {
  lead: "This page shows what this site's analytics hold about this browser, and lets you download it, delete it, stop its use or withdraw your consent.",
  noKey: {
    heading: 'How this page finds your data',
    how: 'It looks for data only by the random identifiers (cookies) the site stored in this browser. You are never asked to type a name, an e-mail address or anything else.',
    openFromSite:
      "Open this page with the “Your data” link on the site. The link hands the identifiers to this page in the part of the address after “#”, which browsers never send to any server, and the page removes it from the address bar as soon as it opens.",
    cookieless:
      'Visits counted without a cookie (where you have not consented, or Global Privacy Control is on) are counted with a value computed with a key that is replaced daily and deleted after 48 hours. Nobody, not even we, can tell which of those values is yours, so this page cannot show them. They too are deleted automatically at the end of their retention period.',
  },
  noscript: 'This page needs JavaScript to show your data. If you cannot use JavaScript, please send your request to the desk below.',
  held: {
    heading: 'What we hold',
    aggregates: 'Statistics such as page-view counts (aggregates that identify no one) are not part of this list and remain after a deletion.',
    events: 'Pages viewed and actions taken',
    sessions: 'Visits',
    receipts: 'Consent records',
    provisions: 'Provision to third parties',
  },
  eventCols: ['Time', 'Kind', 'Page', 'Title', 'Came from', 'Country', 'Browser, OS, device', 'IP address (shortened)'],
  sessionCols: ['Started', 'Last page view', 'First page', 'Last page', 'Page views', 'Actions', 'Came from', 'Country', 'Browser, OS, device'],
  receiptCols: ['Time', 'Choice', 'Accepted', 'Refused', 'Page', 'Policy revision'],
  provisionCols: ['Recipient', 'Items provided', 'Date or period', 'Legal ground'],
  download: {
    heading: 'Download',
    body: 'Save the data we hold as a file. JSON has every field; CSV opens in a spreadsheet.',
    json: 'Download as JSON',
    csv: 'Download as CSV',
  },
  remove: {
    heading: 'Delete',
    body: "Deletes this browser's records of pages viewed, actions and visits, and erases the content of its consent records (choices, page, IP address, browser details). Consent records are kept so that tampering can be detected, so only their time and checksums remain.",
    aggregates: 'Statistics already computed are counts that identify no one and are not deleted. We record that a deletion took place and how many records it removed, without the identifier itself. Pages this browser views after the deletion are recorded again; to prevent that, also use “Stop using my data” below.',
    confirm: 'I understand that a deletion cannot be undone',
    button: 'Delete my data',
  },
  suspend: {
    heading: 'Stop using my data',
    body: "Stops, on our server, the use of this browser's identifier: nothing it sends afterwards is recorded.",
    optOut: "To stop your browser from sending anything at all, also refuse analytics in the site's “Cookie settings”.",
    button: 'Stop using it',
  },
  consent: {
    heading: 'Change or withdraw consent',
    body: "You can change your choices at any time with “Cookie settings” on any page of the site.",
    withdrawBody:
      "Withdrawing here records the withdrawal and also stops the use of this browser's identifier. For the site's own settings (such as external tools) to follow, also choose “Reject all” in the site's “Cookie settings”.",
    button: 'Withdraw consent',
  },
  other: 'Other requests (such as being told the purposes of use, or correction) and complaints go to the desk named in the privacy notice.',
  client: {
    loading: 'Loading your data…',
    failed: 'Your data could not be loaded. Please try again later.',
    nothing: 'We hold no data about this browser.',
    summary: 'We hold {events} records of pages viewed and actions taken (in {sessions} visits) and {receipts} consent records.',
    period: 'From {from} to {to}',
    truncated: 'Showing the newest {shown}. The downloaded file has every record.',
    deleted: 'Deleted: {events} records of pages and actions, {sessions} visits; the content of {receipts} consent records erased.',
    deletedRepeat: 'Deletions for the same identifier have been recorded {count} times before.',
    suspended: "The use of this browser's identifier is stopped.",
    suspendedStatus: "The use of this browser's identifier is stopped.",
    withdrawn: "Your withdrawal is recorded, and the use of this browser's identifier is stopped.",
    downloadFailed: 'The download failed. Please try again.',
    pageview: 'Page view',
    event: 'Action',
    none: '(none)',
    actions: { accept_all: 'Accepted all', reject_all: 'Refused all', custom: 'Chose categories', withdraw: 'Withdrew', gpc: 'Refused by GPC' },
  },
};

export const myDataLabels: Record<Lang, MyDataLabels> = { ja, en };
