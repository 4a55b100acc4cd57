/** The chart card: the selected metric over time, its interval, the CSV of the series. */
import type { Interval } from '../../../server/stats/wire.ts';
import { locale, t } from '../i18n/index.ts';
import { exportUrl, fetchTimeseries } from '../lib/api.ts';
import { daysBetween, hourIn, openBucket, previousDays } from '../lib/days.ts';
import { formatRange } from '../lib/format.ts';
import { useRemote } from '../lib/use-remote.ts';
import { Chart } from './Chart.tsx';
import { CsvLink } from './CsvLink.tsx';
import type { ViewProps } from './Overview.tsx';
import { Empty, ErrorBox, Skeleton } from './States.tsx';

/** The intervals worth offering for a range of `days` days (the API allows hours for up to 31 days). */
export function intervalsFor(days: number): Interval[] {
  const out: Interval[] = [];
  if (days <= 7) out.push('hour');
  if (days > 1) out.push('day');
  if (days >= 14) out.push('week');
  if (days >= 60) out.push('month');
  return out;
}

export interface TimeseriesCardProps extends ViewProps {
  range?: { from: string; to: string };
  /** the site's time zone, to tell the bucket still filling up */
  tz: string;
}

export function TimeseriesCard({ site, view, update, params, range, tz }: TimeseriesCardProps) {
  const days = range ? daysBetween(range.from, range.to) + 1 : null;
  const options = days ? intervalsFor(days) : [];
  const q = new URLSearchParams(params);
  if (view.interval && options.includes(view.interval)) q.set('interval', view.interval);
  const series = useRemote(`ts|${site}|${q}`, () => fetchTimeseries(site, q));
  const interval = series.data?.interval;

  // the previous period, same length and interval, for the dashed line
  let prevQuery: URLSearchParams | null = null;
  if (view.compare && range && interval) {
    const before = previousDays(range.from, range.to);
    prevQuery = new URLSearchParams(params);
    prevQuery.delete('date');
    prevQuery.set('period', 'custom');
    prevQuery.set('from', before.from);
    prevQuery.set('to', before.to);
    prevQuery.set('interval', interval);
  }
  const previous = useRemote(prevQuery ? `ts|${site}|${prevQuery}` : null, () => fetchTimeseries(site, prevQuery!));

  const metricName = t(`kpi.${view.metric}`);
  const points = series.data?.points;
  const empty = points !== undefined && points.every((p) => p.visits === 0 && p.pageviews === 0);
  const csvQuery = new URLSearchParams(params);
  if (interval) csvQuery.set('interval', interval);

  return (
    <section class="card chart-card" aria-labelledby="chart-title">
      <header class="card-head">
        <h2 id="chart-title">{metricName}</h2>
        <div class="card-tools">
          {options.length > 1 && interval && (
            <label class="select select-small">
              <span class="sr-only">{t('chart.interval')}</span>
              <select value={interval} onChange={(e) => update({ ...view, interval: e.currentTarget.value as Interval }, { replace: true })}>
                {options.map((i) => (
                  <option key={i} value={i}>
                    {t(`interval.${i}`)}
                  </option>
                ))}
              </select>
            </label>
          )}
          {view.compare && (
            <span class="legend muted" aria-hidden="true">
              <i class="dot" /> {t('chart.current')} <i class="dot dot-prev" /> {t('chart.previous')}
            </span>
          )}
          <CsvLink href={exportUrl(site, 'timeseries', csvQuery)} name={metricName} />
        </div>
      </header>
      <div class={`chart-body${series.loading && points ? ' stale' : ''}`} aria-busy={series.loading}>
        {series.error && !points ? (
          <ErrorBox error={series.error} retry={series.retry} />
        ) : !points || !interval ? (
          <Skeleton class="chart-skeleton" lines={1} />
        ) : empty ? (
          <Empty />
        ) : (
          <Chart
            points={points}
            previous={view.compare ? previous.data?.points : undefined}
            metric={view.metric}
            interval={interval}
            open={openBucket(
              points.map((p) => p.date),
              interval,
              hourIn(tz),
            )}
            locale={locale.value}
            label={t('chart.label', { metric: metricName, interval: t(`interval.${interval}`).toLowerCase(), range: range ? formatRange(range.from, range.to, locale.value) : '' })}
            labels={{ current: t('chart.current'), previous: t('chart.previous') }}
          />
        )}
      </div>
    </section>
  );
}
