/**
 * A shared link at /share/<token>: one site's overview, read-only, for people without an account. No staff
 * chrome and no way into the staff app; no filters, goals, realtime or CSV. Small cells come back from the
 * API suppressed (server/stats/cell-suppression.ts) and read "—" here, with the reason for screen readers. A
 * protected link asks for its password first; it lives in this tab only (sessionStorage) and travels as
 * X-Share-Password.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Dimension } from '../../../server/stats/wire.ts';
import { cards, countColumn, dimensionLabel, type CardSpec, type TabId } from '../cards.ts';
import { locale, t } from '../i18n/index.ts';
import { ApiError, fetchSharedBreakdown, fetchSharedSummary, fetchSharedTimeseries, type SharedSummaryReport } from '../lib/api.ts';
import { hourIn, openBucket } from '../lib/days.ts';
import { formatCount, formatMetric, formatMetricFull, formatNumber, formatRange } from '../lib/format.ts';
import { navigate, route } from '../lib/router.ts';
import { useRemote } from '../lib/use-remote.ts';
import {
  isHeaderSafe,
  isSuppressed,
  metricValue,
  OTHER,
  parseShareView,
  printShareView,
  shareParams,
  sharePresets,
  sharedChange,
  shareValueLabel,
  visibleRows,
  type ShareView,
} from '../state/share.ts';
import { metrics } from '../state/view.ts';
import { CARD_ROWS, Tabs } from './BreakdownCard.tsx';
import { Chart } from './Chart.tsx';
import { AuthCard, Brand, LanguageSwitch } from './Chrome.tsx';
import { Change, KpiButton } from './Kpis.tsx';
import { Empty, ErrorBox, Skeleton } from './States.tsx';

/** The breakdowns a shared link shows: everything but goals and properties. */
const sharedCards = cards.filter((c) => c.id !== 'goals');

const storageKey = (token: string) => `ashiato.share.${token}`;

function storedPassword(token: string): string | null {
  try {
    return sessionStorage.getItem(storageKey(token));
  } catch {
    return null;
  }
}

function storePassword(token: string, password: string | null): void {
  try {
    if (password) sessionStorage.setItem(storageKey(token), password);
    else sessionStorage.removeItem(storageKey(token));
  } catch {
    // storage blocked: the password stays in memory for this page
  }
}

interface Shared {
  token: string;
  password: string | null;
  view: ShareView;
  params: URLSearchParams;
  /** the minimum cell size the API applied */
  k: number;
}

const codeOf = (error: unknown) => (error instanceof ApiError ? error.code : null);

/** The page around everything a shared link shows when it is not the overview: sign-in-like, one card. */
function Plain({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <AuthCard class="share-card">
      <p class="muted auth-tagline">{t('share.badge')}</p>
      <h1 class="auth-title">{title}</h1>
      {children}
    </AuthCard>
  );
}

function PasswordGate({ error, busy, submit }: { error: unknown; busy: boolean; submit: (password: string) => void }) {
  const [password, setPassword] = useState('');
  const [local, setLocal] = useState(false);
  const code = codeOf(error);
  const message = local || code === 'wrong_password' ? t('share.wrongPassword') : code === 'too_many_attempts' ? t('share.tooMany', { s: (error as ApiError).retryAfter ?? 60 }) : null;
  return (
    <Plain title={t('share.gateTitle')}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!password) return;
          // a password the link could not have been given (see isHeaderSafe) is wrong without asking
          if (!isHeaderSafe(password)) {
            setLocal(true);
            setPassword('');
            return;
          }
          setLocal(false);
          submit(password);
          setPassword('');
        }}
      >
        <p class="field-hint share-gate-text">{t('share.gateText')}</p>
        <label class="field">
          <span>{t('share.gatePassword')}</span>
          <input
            type="password"
            name="password"
            autoFocus
            autocomplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
            aria-invalid={message ? 'true' : undefined}
            aria-describedby={message ? 'share-error' : undefined}
          />
        </label>
        {message && !busy && (
          <p class="form-error" id="share-error" role="alert">
            {message}
          </p>
        )}
        <button type="submit" class="btn btn-primary btn-block" disabled={busy}>
          {busy ? t('share.gateBusy') : t('share.gateSubmit')}
        </button>
      </form>
    </Plain>
  );
}

export function SharedApp({ token }: { token: string }) {
  const view = parseShareView(route.value.search);
  const params = shareParams(view);
  const [password, setPassword] = useState<string | null>(() => storedPassword(token));
  // every submit asks again, even with the same text
  const [attempt, setAttempt] = useState(0);
  const [locked, setLocked] = useState(false);
  const summary = useRemote(`share|${params}|${attempt}`, (signal) => fetchSharedSummary(token, params, password, signal));
  const code = codeOf(summary.error);

  useEffect(() => {
    if (code === 'password_required' || code === 'wrong_password') setLocked(true);
    if (code === 'wrong_password' || code === 'not_found') storePassword(token, null);
    if (summary.data && !summary.loading) {
      setLocked(false);
      storePassword(token, password);
    }
  }, [code, summary.data, summary.loading]);

  const site = summary.data?.site;
  useEffect(() => {
    document.title = site ? `${site} · ashiato` : 'ashiato';
  }, [site]);

  if (code === 'not_found') {
    return (
      <Plain title={t('share.notFoundTitle')}>
        <p class="share-text">{t('share.notFoundText')}</p>
      </Plain>
    );
  }
  const unlocking = locked && (summary.loading || code === 'too_many_attempts');
  if (code === 'password_required' || code === 'wrong_password' || unlocking) {
    return (
      <PasswordGate
        error={summary.error}
        busy={summary.loading}
        submit={(next) => {
          setPassword(next);
          setAttempt((n) => n + 1);
        }}
      />
    );
  }
  if (!summary.data) {
    if (code === 'too_many_attempts' || summary.error) {
      return (
        <Plain title={t('state.error')}>
          <p class="form-error" role="alert">
            {code === 'too_many_attempts' ? t('share.tooMany', { s: (summary.error as ApiError).retryAfter ?? 60 }) : t('error.generic', { code: code ?? 'network' })}
          </p>
          <button type="button" class="btn btn-block" onClick={summary.retry}>
            {t('state.retry')}
          </button>
        </Plain>
      );
    }
    return (
      <div class="boot" aria-busy="true">
        <span class="sr-only">{t('state.loading')}</span>
      </div>
    );
  }
  const shared: Shared = { token, password, view, params, k: summary.data.minCellSize };
  return <SharedOverview {...shared} data={summary.data} loading={summary.loading} error={summary.error} retry={summary.retry} />;
}

function SharedOverview(props: Shared & { data: SharedSummaryReport; loading: boolean; error: unknown; retry: () => void }) {
  const { data, view, k } = props;
  const update = (next: ShareView) => {
    const q = printShareView(next);
    navigate(`/share/${encodeURIComponent(props.token)}${q ? `?${q}` : ''}`, { replace: next.period === view.period });
  };
  const visitors = metricValue(data.current, 'visitors');
  return (
    <>
      <header class="topbar">
        <a class="skip-link" href="#main">
          {t('app.skip')}
        </a>
        <div class="topbar-inner">
          <Brand />
          <span class="site-name">{data.site}</span>
          <span class="badge">{t('share.badge')}</span>
          <span class="spacer" />
          <LanguageSwitch />
        </div>
      </header>
      <main class="page" id="main">
        <div class="controls">
          <p class="share-note muted">
            <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
              <circle cx="8" cy="8" r="6.5" />
              <path d="M8 7v4.2M8 4.6v.1" />
            </svg>
            {data.method === 'differential-privacy' ? t('share.noteNoise', { k, epsilon: data.epsilon }) : t('share.note', { k })}
            {data.withheldDays.current > 0 ? ` · ${t('share.withheldDays', { n: data.withheldDays.current, k })}` : ''}
            {data.pendingDays.current > 0 ? ` · ${t('share.pendingDays', { n: data.pendingDays.current })}` : ''}
          </p>
          <div class="range share-range">
            <div class="range-row">
              <div class="segmented" role="group" aria-label={t('range.label')}>
                {sharePresets.map((p) => (
                  <button key={p} type="button" aria-pressed={view.period === p} onClick={() => update({ ...view, period: p })} data-period={p}>
                    {t(`range.${p}`)}
                  </button>
                ))}
              </div>
              <span class="range-dates">{formatRange(data.range.from, data.range.to, locale.value)}</span>
            </div>
          </div>
        </div>
        {props.error && !props.loading ? <ErrorBox error={props.error} retry={props.retry} /> : null}
        <SharedKpis data={data} view={view} k={k} loading={props.loading} choose={(metric) => update({ ...view, metric })} />
        <SharedChartCard {...props} tz={data.range.tz} range={data.range} />
        <div class="grid">
          {sharedCards.map((spec) => (
            <SharedBreakdownCard key={spec.id} spec={spec} {...props} hasVisitors={visitors === null || visitors > 0} />
          ))}
        </div>
        <footer class="page-foot muted">{t('app.aggregates')}</footer>
      </main>
    </>
  );
}

function Hidden({ k, class: cls }: { k: number; class: string }) {
  const why = t('share.hidden', { k });
  return (
    <span class={cls} title={why}>
      <span aria-hidden="true">—</span>
      <span class="sr-only">{why}</span>
    </span>
  );
}

function SharedKpis({ data, view, k, loading, choose }: { data: SharedSummaryReport; view: ShareView; k: number; loading: boolean; choose: (m: ShareView['metric']) => void }) {
  const change = sharedChange(data.current, data.previous);
  const comparable = !isSuppressed(data.current) && !isSuppressed(data.previous);
  return (
    <section class={`kpis${loading ? ' stale' : ''}`} aria-busy={loading}>
      {metrics.map((m) => {
        const value = metricValue(data.current, m);
        return (
          <KpiButton key={m} metric={m} selected={view.metric === m} choose={() => choose(m)}>
            {value === null ? (
              <Hidden k={k} class="kpi-value kpi-hidden" />
            ) : (
              <span class="kpi-value" data-value={value} title={formatMetricFull(m, value, locale.value)}>
                {formatMetric(m, value, locale.value)}
              </span>
            )}
            {comparable ? (
              <Change metric={m} change={change[m]} />
            ) : (
              <span class="change none">
                <span aria-hidden="true">—</span>
                <span class="sr-only">{t('share.changeHidden', { k })}</span>
              </span>
            )}
          </KpiButton>
        );
      })}
    </section>
  );
}

function SharedChartCard({ token, password, params, view, k, tz, range }: Shared & { tz: string; range: { from: string; to: string } }) {
  const series = useRemote(`share-ts|${params}`, (signal) => fetchSharedTimeseries(token, params, password, signal));
  const metricName = t(`kpi.${view.metric}`);
  const points = series.data?.points;
  const interval = series.data?.interval;
  const empty = points !== undefined && points.every((p) => !isSuppressed(p) && p.visits === 0 && p.pageviews === 0);
  const gaps = points?.some(isSuppressed) ?? false;
  return (
    <section class="card chart-card" aria-labelledby="chart-title">
      <header class="card-head">
        <h2 id="chart-title">{metricName}</h2>
      </header>
      <div class={`chart-body${series.loading && points ? ' stale' : ''}`} aria-busy={series.loading}>
        {series.error && !points ? (
          <ErrorBox error={series.error} retry={series.retry} />
        ) : !points || !interval ? (
          <Skeleton class="chart-skeleton" lines={1} />
        ) : empty ? (
          <Empty hint={false} />
        ) : (
          <>
            <Chart
              points={points}
              metric={view.metric}
              interval={interval}
              open={openBucket(
                points.map((p) => p.date),
                interval,
                hourIn(tz),
              )}
              locale={locale.value}
              label={t('chart.label', { metric: metricName, interval: t(`interval.${interval}`).toLowerCase(), range: formatRange(range.from, range.to, locale.value) })}
              labels={{ current: t('chart.current'), previous: t('chart.previous'), suppressed: t('share.hidden', { k }) }}
            />
            {gaps && <p class="chart-note muted">{t('share.pointsHidden', { k })}</p>}
          </>
        )}
      </div>
    </section>
  );
}

function SharedBreakdownCard({ spec, token, password, params, k, hasVisitors }: Shared & { spec: CardSpec; hasVisitors: boolean }) {
  const [tab, setTab] = useState<TabId>(spec.tabs[0]!);
  const [expanded, setExpanded] = useState(false);
  const dimension = tab as Dimension; // no property tabs here
  const remote = useRemote(`share-bd|${dimension}|${params}`, (signal) => fetchSharedBreakdown(token, dimension, params, password, signal));
  const items = remote.data?.dimension === dimension ? remote.data.items : undefined;
  const count = countColumn(dimension);
  const l = locale.value;
  const { rows, hidden } = visibleRows(items ?? [], expanded, CARD_ROWS);
  const max = Math.max(1, ...rows.map((i) => i.visitors));
  const multi = spec.tabs.length > 1;

  return (
    <section class={`card breakdown share-breakdown card-${spec.id}`} aria-labelledby={`card-${spec.id}`} data-card={spec.id}>
      <header class="card-head">
        <h2 id={`card-${spec.id}`}>{t(spec.title)}</h2>
        {multi && (
          <Tabs
            spec={spec}
            tab={tab}
            choose={(next) => {
              setTab(next);
              setExpanded(false);
            }}
          />
        )}
      </header>
      <div class="card-panel" id={`panel-${spec.id}`} role={multi ? 'tabpanel' : undefined} aria-labelledby={multi ? `tab-${spec.id}-${tab}` : undefined}>
        <div class="list-head muted" aria-hidden="true">
          <span>{dimensionLabel(dimension, l)}</span>
          <span class="row-num">{t('col.visitors')}</span>
          {count && <span class="row-num row-num-2">{t(`col.${count}`)}</span>}
        </div>
        <div class={`list-body${remote.loading && remote.data ? ' stale' : ''}`} aria-busy={remote.loading}>
          {remote.error && !remote.data ? (
            <ErrorBox error={remote.error} retry={remote.retry} />
          ) : !items ? (
            <Skeleton lines={6} class="rows-skeleton" />
          ) : items.length === 0 ? (
            hasVisitors ? (
              <div class="empty">
                <p class="empty-hint">{t('share.hidden', { k })}</p>
              </div>
            ) : (
              <Empty hint={false} />
            )
          ) : (
            <ol class="rows">
              {rows.map((item) => {
                // a custom property keeps its type (true, 42, "42"); filters compare its text form
        const value = item.value === null ? '(none)' : String(item.value);
                const other = item.value === OTHER;
                const label = shareValueLabel(dimension, item.value === null ? null : String(item.value), l);
                return (
                  <li key={`${typeof item.value}:${value}`} class={`row${other ? ' row-other' : ''}`} data-value={value}>
                    <div class="row-main static" title={other ? t('share.otherTitle', { k }) : label}>
                      <span class="bar" style={{ width: `${(item.visitors / max) * 100}%` }} aria-hidden="true" />
                      <span class="row-label">
                        {label}
                        {other && <span class="sr-only"> ({t('share.otherTitle', { k })})</span>}
                      </span>
                    </div>
                    <span class="row-num" title={formatNumber(item.visitors, l)}>
                      {formatCount(item.visitors, l)}
                    </span>
                    {count && (
                      <span class="row-num row-num-2 muted" title={formatNumber(item[count], l)}>
                        {formatCount(item[count], l)}
                      </span>
                    )}
                  </li>
                );
              })}
            </ol>
          )}
        </div>
      </div>
      {(hidden > 0 || (expanded && (items?.length ?? 0) > CARD_ROWS + 1)) && (
        <footer class="card-foot">
          <button type="button" class="btn-link" aria-expanded={expanded} aria-controls={`panel-${spec.id}`} onClick={() => setExpanded((x) => !x)}>
            {expanded ? t('share.less') : t('share.more', { n: items?.length ?? 0 })}
          </button>
        </footer>
      )}
    </section>
  );
}
