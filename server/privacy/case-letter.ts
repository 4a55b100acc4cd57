import type { LoadedPolicy } from '../../policy/load.ts';
import { html, trusted } from '../../policy/notice/html.ts';
import { labels, type Lang } from '../../policy/notice/labels.ts';
import type { RequestType } from '../store/tables/privacy.ts';
import type { CaseDetail } from './cases.ts';
import { PrivacyError } from './http.ts';
import { OFFICE_TIME_ZONE } from './wire.ts';

/**
 * The answer letter of a closed case, in Japanese or English, as HTML (printable, no scripts) and as plain
 * text (for e-mail). Both come from one model, so they always say the same: the request, the result — or
 * the refusal and the policy's reason for it — any fee, and where to ask about the answer.
 */

type Block = { kind: 'p'; text: string } | { kind: 'list'; items: string[] } | { kind: 'pairs'; entries: [string, string][] } | { kind: 'h'; text: string };

export interface Letter {
  lang: Lang;
  title: string;
  date: string;
  reference: string;
  to: string;
  from: string[];
  blocks: Block[];
}

interface LetterLabels {
  to(name: string | null): string;
  reference(id: number): string;
  title(type: string): string;
  intro(received: string, type: string): string;
  result: string;
  answered: Record<RequestType, string>;
  exported(records: number): string;
  deleted(events: number, sessions: number, receipts: number): string;
  refused: string;
  reason: string;
  note: string;
  fee: string;
  feeLine(amount: string, paid: string | null): string;
  contact: string;
  window: string;
  address: string;
  email: string;
  phone: string;
  hours: string;
  closing(company: string): string[];
}

const ja: LetterLabels = {
  to: (name) => `${name ?? 'ご請求者'} 様`,
  reference: (id) => `受付番号 ${id}`,
  title: (type) => `「${type}」のご請求について（回答）`,
  intro: (received, type) => `${received}に受け付けました「${type}」のご請求について、次のとおり回答いたします。`,
  result: '回答',
  answered: {
    purpose_notification: '当サイトの閲覧に伴って取得する情報は、次の目的のためにのみ利用しています。',
    disclosure: '当社が保有しているデータを、電子データにてお渡しいたします。',
    correction: 'ご指摘いただいた内容を確認し、訂正いたしました。',
    addition: 'ご指摘いただいた内容を確認し、追加いたしました。',
    deletion: 'ご請求の対象となるデータを削除いたしました。',
    suspension: 'ご請求の対象となるデータの利用を停止いたしました。',
    stop_third_party_provision: 'ご請求の対象となるデータの第三者への提供を停止いたしました。',
    complaint: 'お寄せいただいた内容を確認いたしました。',
  },
  exported: (records) => `お渡しするデータ：${records.toLocaleString('ja-JP')}件の記録`,
  deleted: (events, sessions, receipts) =>
    `削除した記録：閲覧・操作の記録${events.toLocaleString('ja-JP')}件、訪問${sessions.toLocaleString('ja-JP')}件、内容を消去した同意の記録${receipts.toLocaleString('ja-JP')}件`,
  refused: '誠に恐れ入りますが、このご請求には次の理由によりお応えすることができません。',
  reason: '理由',
  note: '補足',
  fee: '手数料',
  feeLine: (amount, paid) => (paid ? `${amount}（${paid}に受領）` : amount),
  contact: 'この回答についてのお問い合わせ先',
  window: '窓口',
  address: '所在地',
  email: 'メール',
  phone: '電話',
  hours: '受付時間',
  closing: () => ['以上'],
};

const en: LetterLabels = {
  to: (name) => `Dear ${name ?? 'requester'},`,
  reference: (id) => `Reference no. ${id}`,
  title: (type) => `Our answer to your request: ${type}`,
  intro: (received, type) => `We have dealt with your request (${type}), received on ${received}, as follows.`,
  result: 'Our answer',
  answered: {
    purpose_notification: 'We use the information collected when you browse this site for the following purposes only.',
    disclosure: 'We are providing the data we hold, as an electronic record.',
    correction: 'We have checked what you pointed out and corrected it.',
    addition: 'We have checked what you pointed out and added it.',
    deletion: 'We have deleted the data your request concerns.',
    suspension: 'We have stopped using the data your request concerns.',
    stop_third_party_provision: 'We have stopped providing the data your request concerns to third parties.',
    complaint: 'We have looked into what you told us.',
  },
  exported: (records) => `Data provided: ${records.toLocaleString('en')} records`,
  deleted: (events, sessions, receipts) =>
    `Deleted: ${events.toLocaleString('en')} records of pages and actions, ${sessions.toLocaleString('en')} visits; the content of ${receipts.toLocaleString('en')} consent records erased`,
  refused: 'We are sorry, but we cannot meet this request, for the following reason.',
  reason: 'Reason',
  note: 'Further information',
  fee: 'Fee',
  feeLine: (amount, paid) => (paid ? `${amount} (received on ${paid})` : amount),
  contact: 'Questions about this answer',
  window: 'Desk',
  address: 'Address',
  email: 'E-mail',
  phone: 'Phone',
  hours: 'Hours',
  closing: (company) => ['Yours sincerely,', company],
};

const letterLabels: Record<Lang, LetterLabels> = { ja, en };

/** Letters date their days in the office's zone (the policies ashiato serves are Japanese). */
export const LETTER_TIME_ZONE = OFFICE_TIME_ZONE;
function isoDay(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
}

export function buildLetter(detail: CaseDetail, loaded: LoadedPolicy, lang: Lang, timeZone = LETTER_TIME_ZONE): Letter {
  if (detail.closedAt === null) throw new PrivacyError('not_decided', `case ${detail.id} is ${detail.status}; a letter is written once it is answered or refused`, 409);
  const { policy } = loaded;
  const t = labels[lang];
  const l = letterLabels[lang];
  const text = (v: { ja: string; en: string }) => v[lang];
  const day = (ms: number) => t.date(isoDay(ms, timeZone));
  const type = t.privacy.requests.types[detail.type];
  const blocks: Block[] = [{ kind: 'p', text: l.intro(day(detail.receivedAt), type) }, { kind: 'h', text: l.result }];

  if (detail.status === 'refused') {
    const reason = policy.requests.nonDisclosureReasons.find((r) => r.id === detail.refusalReason);
    blocks.push({ kind: 'p', text: l.refused }, { kind: 'pairs', entries: [[l.reason, reason ? text(reason.label) : (detail.refusalReason ?? '')]] });
  } else {
    blocks.push({ kind: 'p', text: l.answered[detail.type] });
    if (detail.type === 'purpose_notification') blocks.push({ kind: 'list', items: policy.purposes.map((p) => text(p.label)) });
    const facts: string[] = [];
    for (const a of detail.actions) {
      const d = a.details as Record<string, number>;
      if (a.action === 'export') facts.push(l.exported(Number(d.rows ?? 0)));
      if (a.action === 'delete') facts.push(l.deleted(Number(d.events ?? 0), Number(d.sessions ?? 0), Number(d.receipts ?? 0)));
    }
    if (facts.length) blocks.push({ kind: 'list', items: facts });
  }
  if (detail.answerNote) blocks.push({ kind: 'h', text: l.note }, { kind: 'p', text: detail.answerNote });
  if (detail.fee.due > 0) {
    blocks.push({ kind: 'pairs', entries: [[l.fee, l.feeLine(t.fee(detail.fee.due), detail.fee.paidAt === null ? null : day(detail.fee.paidAt))]] });
  }
  const { contact } = policy.controller;
  blocks.push(
    { kind: 'h', text: l.contact },
    {
      kind: 'pairs',
      entries: [
        [l.window, `${text(policy.controller.name)} ${text(contact.window)}`],
        [l.address, text(policy.controller.address)],
        ...(contact.email ? ([[l.email, contact.email]] as [string, string][]) : []),
        ...(contact.phone ? ([[l.phone, contact.phone]] as [string, string][]) : []),
        [l.hours, text(contact.hours)],
      ],
    },
    ...l.closing(text(policy.controller.name)).map((line): Block => ({ kind: 'p', text: line })),
  );
  return {
    lang,
    title: l.title(type),
    date: day(detail.closedAt),
    reference: l.reference(detail.id),
    to: l.to(detail.requester.name),
    from: [text(policy.controller.name), text(contact.window), text(policy.controller.address)],
    blocks,
  };
}

const letterCss = `body{font:11pt/1.7 system-ui,"Hiragino Sans","Noto Sans JP","Yu Gothic UI",Meiryo,sans-serif;color:#111;background:#fff;max-width:42rem;margin:2rem auto;padding:0 1rem}
.meta{text-align:end;margin:0}.from{text-align:end;margin:1rem 0}h1{font-size:1.25rem;text-align:center;margin:2rem 0 1.5rem}h2{font-size:1.05rem;margin:1.5rem 0 .5rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0}@media print{body{margin:0;max-width:none}}`;

export function letterHtml(letter: Letter): string {
  const blocks = letter.blocks.map((b) =>
    b.kind === 'p'
      ? html`<p>${b.text}</p>`
      : b.kind === 'h'
        ? html`<h2>${b.text}</h2>`
        : b.kind === 'list'
          ? html`<ul>${b.items.map((i) => html`<li>${i}</li>`)}</ul>`
          : html`<dl>${b.entries.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`,
  );
  return html`<!doctype html>
<html lang="${letter.lang}">
<head><meta charset="utf-8"><title>${letter.title}</title><style>${trusted(letterCss)}</style></head>
<body>
<p class="meta">${letter.reference}</p>
<p class="meta">${letter.date}</p>
<p>${letter.to}</p>
<p class="from">${letter.from.map((line, i) => html`${i ? html`<br>` : ''}${line}`)}</p>
<h1>${letter.title}</h1>
${blocks}
</body>
</html>
`.value;
}

export function letterText(letter: Letter): string {
  const lines = [letter.reference, letter.date, '', letter.to, '', ...letter.from, '', letter.title, ''];
  for (const b of letter.blocks) {
    if (b.kind === 'p') lines.push(b.text, '');
    else if (b.kind === 'h') lines.push(`■ ${b.text}`);
    else if (b.kind === 'list') lines.push(...b.items.map((i) => `・${i}`), '');
    else lines.push(...b.entries.map(([k, v]) => `${k}: ${v}`), '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
