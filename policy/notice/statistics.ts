import type { Section } from './blocks.ts';
import { list } from './blocks.ts';
import type { NoticeContext } from './context.ts';
import { html } from './html.ts';
import type { Lang } from './labels.ts';

/**
 * The privacy notice's section on statistics that leave the company (shared reports, published figures):
 * how small numbers are kept out of them, from the policy's `statistics` settings — the same settings
 * server/stats/published.ts applies.
 */
const statisticsLabels: Record<Lang, { heading: string; lead: string; minCell(k: number): string; daily: string; noise(epsilon: number): string; noNoise: string }> = {
  ja: {
    heading: '公表する統計情報',
    lead: '閲覧状況を集計した統計情報（特定の個人との対応関係が排斥されたもの）を社外に共有・公表する場合は、次の方法で作成します。',
    minCell: (k) => `日ごとに集計し、訪問者が${k}人未満の数値は表示しません。小さな数値はまとめて「その他」とし、その合計も${k}人未満となる場合は、ほかの数値と差し引きして求められないよう追加で非表示にします。`,
    daily: '集計中の日（当日など）の数値は公表しません。複数日の訪問者数は各日の訪問者数の合計です。',
    noise: (e) => `各日の数値に差分プライバシーに基づく乱数のノイズ（ε = ${e}）を加えます。訪問者数がノイズを加えても基準に満たない値は表示しません。`,
    noNoise: '数値にノイズは加えていません。',
  },
  en: {
    heading: 'Statistics we publish',
    lead: 'When we share or publish statistics about how the site is used (aggregates that cannot be linked to any individual), we make them as follows.',
    minCell: (k) => `Figures are counted per day, and no figure of fewer than ${k} visitors is shown. Small figures are pooled into "other"; where that pool is itself below ${k}, further figures are hidden so that none can be worked out by subtraction.`,
    daily: 'Days still in progress (such as today) are not published. Visitors over several days are the sum of each day’s visitors.',
    noise: (e) => `Each day's figures carry random noise under differential privacy (ε = ${e}); values whose noisy visitor count stays below the threshold are not shown.`,
    noNoise: 'No noise is added to the figures.',
  },
};

export function statisticsSection({ lang, policy }: NoticeContext): Section {
  const l = statisticsLabels[lang];
  const { minCellSize, differentialPrivacy } = policy.statistics;
  return {
    id: 'statistics',
    heading: l.heading,
    body: html`<p>${l.lead}</p>
${list([l.minCell(minCellSize), l.daily, differentialPrivacy.enabled ? l.noise(differentialPrivacy.epsilon) : l.noNoise])}`,
  };
}
