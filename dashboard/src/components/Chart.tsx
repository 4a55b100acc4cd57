/** The time series as a uPlot line: one metric, optionally the previous period dashed behind it. */
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import type { Interval } from '../../../server/stats/wire.ts';
import type { Locale } from '../i18n/translate.ts';
import type { TimeseriesPoint } from '../lib/api.ts';
import { formatBucket, formatMetric, formatMetricFull, labelToUtc, type Metric } from '../lib/format.ts';
import { metricValue, type SharedPoint } from '../state/share.ts';

export interface ChartProps {
  /** a shared link's points may be suppressed (fewer visitors than its minimum cell size): gaps in the line */
  points: readonly (TimeseriesPoint | SharedPoint)[];
  /** the previous period's points, aligned by position */
  previous?: readonly TimeseriesPoint[];
  metric: Metric;
  interval: Interval;
  /** the bucket still filling up (drawn dashed; later ones, the future, are left out), or -1 */
  open: number;
  locale: Locale;
  /** what the chart shows, for screen readers */
  label: string;
  labels: { current: string; previous: string; /** what a suppressed point says instead of its number */ suppressed?: string };
}

const FONT = '12px system-ui, -apple-system, "Segoe UI", "Hiragino Sans", "Noto Sans JP", "Yu Gothic UI", sans-serif';
const durationSteps = [1, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400];

/** A report label from the chart's x value (seconds whose UTC fields are the site's local time). */
const labelOf = (x: number) => new Date(x * 1000).toISOString().slice(0, 16);

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const chartHeight = (width: number) => (width < 480 ? 200 : 260);

function useDarkMode(): boolean {
  const query = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;
  const [dark, setDark] = useState(query?.matches ?? false);
  useEffect(() => {
    if (!query) return;
    const change = () => setDark(query.matches);
    query.addEventListener('change', change);
    return () => query.removeEventListener('change', change);
  }, []);
  return dark;
}

export function Chart({ points, previous, metric, interval, open, locale, label, labels }: ChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const tip = useRef<HTMLDivElement>(null);
  const dark = useDarkMode();

  useEffect(() => {
    const el = host.current!;
    const css = getComputedStyle(el);
    const color = (name: string) => css.getPropertyValue(name).trim();
    const [accent, muted, grid, surface] = [color('--accent'), color('--muted'), color('--border'), color('--surface')];
    const [fillTop, fillBottom] = [color('--chart-fill-top'), color('--chart-fill-bottom')];

    const xs = points.map((p) => labelToUtc(p.date) / 1000);
    const ys = points.map((p) => metricValue(p, metric));
    const last = open >= 0 ? open : ys.length - 1;
    // complete buckets solid; the open one dashed from its predecessor; the future not at all
    const solid = ys.map((y, i) => (open >= 0 && i >= open ? null : y));
    const partial = open >= 0 ? ys.map((y, i) => (i === open || i === open - 1 ? y : null)) : null;
    const prev = previous ? points.map((_, i) => previous[i]?.[metric] ?? null) : null;
    const data = [xs, solid, ...(partial ? [partial] : []), ...(prev ? [prev] : [])] as uPlot.AlignedData;

    const showTip = (u: uPlot) => {
      const box = tip.current;
      if (!box) return;
      const i = u.cursor.idx;
      if (i === null || i === undefined || i > last || u.cursor.left === undefined || u.cursor.left < 0) {
        box.hidden = true;
        return;
      }
      const point = points[i]!;
      const value = ys[i];
      const rows = [`<span class="tip-date">${formatBucket(point.date, interval, locale, true)}</span>`];
      rows.push(
        value === null || value === undefined
          ? `<span class="tip-row"><i class="dot"></i>—</span><span class="tip-note muted">${escapeHtml(labels.suppressed ?? '')}</span>`
          : `<span class="tip-row"><i class="dot"></i>${formatMetricFull(metric, value, locale)}</span>`,
      );
      const before = previous?.[i];
      if (before) {
        rows.push(
          `<span class="tip-row muted"><i class="dot dot-prev"></i>${formatMetricFull(metric, before[metric], locale)} · ${formatBucket(before.date, interval, locale, true)}</span>`,
        );
      }
      box.innerHTML = rows.join('');
      box.hidden = false;
      const over = u.over.getBoundingClientRect();
      const root = el.getBoundingClientRect();
      const x = over.left - root.left + u.valToPos(xs[i]!, 'x');
      const y = over.top - root.top + (typeof value === 'number' ? u.valToPos(value, 'y') : u.bbox.height / devicePixelRatio / 2);
      const flip = x > root.width / 2;
      box.style.left = flip ? '' : `${x + 12}px`;
      box.style.right = flip ? `${root.width - x + 12}px` : '';
      box.style.top = `${Math.max(0, y - 24)}px`;
    };

    const line: uPlot.Series = {
      stroke: accent,
      width: 2,
      fill: (u) => {
        const g = u.ctx.createLinearGradient(0, u.bbox.top, 0, u.bbox.top + u.bbox.height);
        g.addColorStop(0, fillTop);
        g.addColorStop(1, fillBottom);
        return g;
      },
      points: { show: points.length <= 45, size: 5, fill: accent, stroke: accent },
    };

    const opts: uPlot.Options = {
      width: el.clientWidth,
      height: chartHeight(el.clientWidth),
      padding: [16, 28, 0, 0],
      legend: { show: false },
      cursor: {
        drag: { x: false, y: false, setScale: false },
        points: { size: 9, width: 2, fill: accent, stroke: surface },
        y: false,
      },
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      scales: {
        x: { time: true },
        y: { range: (_u, _min, max) => [0, uPlot.rangeNum(0, max > 0 ? max : 1, 0.1, true)[1]] },
      },
      axes: [
        {
          stroke: muted,
          font: FONT,
          grid: { show: false },
          ticks: { show: false },
          gap: 8,
          // labels only at bucket starts, as many as fit
          splits: (u) => {
            const room = Math.max(1, Math.floor(u.bbox.width / devicePixelRatio / 76));
            const step = Math.max(1, Math.ceil(xs.length / room));
            return xs.filter((_, i) => i % step === 0);
          },
          values: (_u, splits) => splits.map((x) => formatBucket(labelOf(x), interval, locale)),
        },
        {
          stroke: muted,
          font: FONT,
          size: 56,
          gap: 8,
          ticks: { show: false },
          grid: { stroke: grid, width: 1 },
          ...(metric === 'visitDuration' ? { incrs: durationSteps } : {}),
          values: (_u, splits) => splits.map((v) => formatMetric(metric, v, locale)),
        },
      ],
      series: [
        {},
        { label: labels.current, ...line },
        ...(partial ? [{ label: labels.current, ...line, dash: [4, 4] }] : []),
        ...(prev ? [{ label: labels.previous, stroke: muted, width: 1.5, dash: [5, 5], points: { show: false } }] : []),
      ],
      hooks: { setCursor: [showTip] },
    };

    const chart = new uPlot(opts, data, el);
    const resize = new ResizeObserver(() => {
      const width = el.clientWidth;
      if (width && width !== chart.width) chart.setSize({ width, height: chartHeight(width) });
    });
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [points, previous, metric, interval, open, locale, dark]);

  return (
    <div class="chart-wrap">
      <div class="chart" ref={host} role="img" aria-label={label} />
      <div class="chart-tip" ref={tip} hidden aria-hidden="true" />
      <table class="sr-only">
        <caption>{label}</caption>
        <tbody>
          {points.map((p, i) => (
            <tr key={p.date}>
              <th scope="row">{formatBucket(p.date, interval, locale, true)}</th>
              <td>{metricValue(p, metric) === null ? labels.suppressed ?? '—' : formatMetricFull(metric, metricValue(p, metric)!, locale)}</td>
              {previous && <td>{previous[i] ? formatMetricFull(metric, previous[i]![metric], locale) : ''}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
