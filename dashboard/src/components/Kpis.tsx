/** The six headline numbers with their change; a click shows that metric in the chart. */
import type { ComponentChildren } from 'preact';
import { locale, t } from '../i18n/index.ts';
import type { SummaryReport } from '../lib/api.ts';
import { formatMetric, formatMetricFull, formatPercent, type Metric } from '../lib/format.ts';
import type { Remote } from '../lib/use-remote.ts';
import { metrics } from '../state/view.ts';
import type { ViewProps } from './Overview.tsx';
import { ErrorBox } from './States.tsx';

/** Whether more is better: a lower bounce rate is the good direction. */
const higherIsBetter = (metric: Metric) => metric !== 'bounceRate';

export function Change({ metric, change }: { metric: Metric; change: number | null }) {
  if (change === null) {
    return (
      <span class="change none">
        <span aria-hidden="true">—</span>
        <span class="sr-only">{t('change.none')}</span>
      </span>
    );
  }
  const amount = formatPercent(Math.abs(change), locale.value);
  const tone = change === 0 ? 'flat' : change > 0 === higherIsBetter(metric) ? 'good' : 'bad';
  return (
    <span class={`change ${tone}`}>
      <span aria-hidden="true">
        {change > 0 ? '↑' : change < 0 ? '↓' : '→'} {amount}
      </span>
      <span class="sr-only">{t(change > 0 ? 'change.up' : change < 0 ? 'change.down' : 'change.same', { n: amount })}</span>
    </span>
  );
}

/** One headline card: a toggle that puts its metric in the chart (staff overview and shared view alike). */
export function KpiButton({ metric, selected, choose, children }: { metric: Metric; selected: boolean; choose: () => void; children: ComponentChildren }) {
  return (
    <button type="button" class={`kpi${selected ? ' selected' : ''}`} aria-pressed={selected} title={t('kpi.show', { metric: t(`kpi.${metric}`) })} onClick={choose} data-metric={metric}>
      <span class="kpi-label">{t(`kpi.${metric}`)}</span>
      {children}
    </button>
  );
}

export function Kpis({ view, update, summary }: ViewProps & { summary: Remote<SummaryReport> }) {
  const data = summary.data;
  if (!data && summary.error) return <ErrorBox error={summary.error} retry={summary.retry} />;
  return (
    <section class={`kpis${summary.loading && data ? ' stale' : ''}`} aria-busy={summary.loading}>
      {metrics.map((m) => {
        return (
          <KpiButton key={m} metric={m} selected={view.metric === m} choose={() => update({ ...view, metric: m }, { replace: true })}>
            {data ? (
              <>
                <span class="kpi-value" data-value={data.current[m]} title={formatMetricFull(m, data.current[m], locale.value)}>
                  {formatMetric(m, data.current[m], locale.value)}
                </span>
                <Change metric={m} change={data.change[m]} />
                {view.compare && <span class="kpi-prev muted">{t('change.previous', { value: formatMetric(m, data.previous[m], locale.value) })}</span>}
              </>
            ) : (
              <>
                <span class="skeleton kpi-skel-value" aria-hidden="true" />
                <span class="skeleton kpi-skel-change" aria-hidden="true" />
              </>
            )}
          </KpiButton>
        );
      })}
    </section>
  );
}
