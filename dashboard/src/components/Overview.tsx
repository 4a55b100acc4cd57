/** A site's overview at /app/<site>: everything on it follows the query string (state/view.ts). */
import { useEffect } from 'preact/hooks';
import { cards } from '../cards.ts';
import { t } from '../i18n/index.ts';
import { ApiError, fetchSummary } from '../lib/api.ts';
import { todayIn } from '../lib/days.ts';
import { navigate, route } from '../lib/router.ts';
import { useRemote } from '../lib/use-remote.ts';
import { loadSites, sites } from '../state/session.ts';
import { apiParams, parseView, printView, type View } from '../state/view.ts';
import { BreakdownCard } from './BreakdownCard.tsx';
import { TopBar } from './Chrome.tsx';
import { DatePicker } from './DatePicker.tsx';
import { DetailsDialog } from './DetailsDialog.tsx';
import { FilterBar } from './FilterBar.tsx';
import { Kpis } from './Kpis.tsx';
import { ErrorBox } from './States.tsx';
import { TimeseriesCard } from './TimeseriesCard.tsx';

export type Update = (next: View, options?: { replace?: boolean }) => void;

export interface ViewProps {
  site: string;
  view: View;
  update: Update;
  /** the view's range and filters as the API takes them */
  params: URLSearchParams;
}

export function Overview({ site }: { site: string }) {
  useEffect(() => void loadSites(), []);
  const view = parseView(route.value.search);
  const params = apiParams(view);
  const update: Update = (next, options) => {
    const query = printView(next);
    navigate(`/app/${encodeURIComponent(site)}${query ? `?${query}` : ''}`, options);
  };
  const summary = useRemote(`summary|${site}|${params}`, () => fetchSummary(site, params));
  const tz = sites.value?.find((s) => s.id === site)?.timezone ?? summary.data?.range.tz ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const today = todayIn(tz);
  const props: ViewProps = { site, view, update, params };

  useEffect(() => {
    document.title = `${site} · ashiato`;
  }, [site]);

  if (summary.error instanceof ApiError && summary.error.code === 'unknown_site') {
    return (
      <>
        <TopBar site={site} />
        <main class="page" id="main">
          <ErrorBox error={summary.error} vars={{ site }} />
        </main>
      </>
    );
  }

  return (
    <>
      <TopBar site={site} />
      <main class="page" id="main">
        <div class="controls">
          <FilterBar {...props} />
          <DatePicker {...props} today={today} range={summary.data?.range} />
        </div>
        <Kpis {...props} summary={summary} />
        <TimeseriesCard {...props} range={summary.data?.range} tz={tz} />
        <div class="grid">
          {cards.map((spec) => (
            <BreakdownCard key={`${spec.id}`} spec={spec} {...props} />
          ))}
        </div>
        <footer class="page-foot muted">{t('app.aggregates')}</footer>
      </main>
      {view.details && <DetailsDialog key={view.details} {...props} dimension={view.details} />}
    </>
  );
}
