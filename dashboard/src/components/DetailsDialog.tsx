/** The long list of one dimension (top 100) in a modal dialog; `?details=<dimension>` keeps it in the URL. */
import { useEffect, useRef } from 'preact/hooks';
import type { Dimension } from '../../../server/stats/wire.ts';
import { countColumn, dimensionLabel, isSessionLevel, valueLabel } from '../cards.ts';
import { locale, t } from '../i18n/index.ts';
import { exportUrl, fetchBreakdown } from '../lib/api.ts';
import { formatDuration, formatNumber, formatPercent } from '../lib/format.ts';
import { useRemote } from '../lib/use-remote.ts';
import { route } from '../lib/router.ts';
import { parseView, withFilter } from '../state/view.ts';
import { CsvLink } from './CsvLink.tsx';
import type { ViewProps } from './Overview.tsx';
import { Empty, ErrorBox, Skeleton } from './States.tsx';

export const DETAILS_ROWS = 100;

export function DetailsDialog({ site, view, update, params, dimension }: ViewProps & { dimension: Dimension }) {
  const ref = useRef<HTMLDialogElement>(null);
  const remote = useRemote(`details|${site}|${dimension}|${params}`, () => fetchBreakdown(site, dimension, params, DETAILS_ROWS));
  // Escape, the close button or the backdrop; not when the page moved on already (a row was clicked)
  const close = () => {
    if (parseView(route.value.search).details === dimension) update({ ...view, details: undefined });
  };

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  const l = locale.value;
  const name = dimensionLabel(dimension, l);
  const count = countColumn(dimension);
  const session = isSessionLevel(dimension);
  const items = remote.data?.items;
  const max = Math.max(1, ...(items ?? []).map((i) => i.visitors));

  return (
    <dialog
      ref={ref}
      class="dialog"
      aria-labelledby="details-title"
      onClose={close}
      onClick={(e) => {
        if (e.target === ref.current) ref.current?.close(); // a click on the backdrop
      }}
    >
      <div class="dialog-inner">
        <header class="dialog-head">
          <div>
            <h2 id="details-title">{t('details.title', { name })}</h2>
            <p class="muted">{t('details.subtitle', { n: DETAILS_ROWS })}</p>
          </div>
          <div class="card-tools">
            <CsvLink href={exportUrl(site, dimension, params)} name={name} />
            <button type="button" class="icon-btn" onClick={() => ref.current?.close()} aria-label={t('details.close')}>
              <svg viewBox="0 0 12 12" width="14" height="14" aria-hidden="true">
                <path d="M3 3l6 6M9 3l-6 6" />
              </svg>
            </button>
          </div>
        </header>
        <div class="dialog-body">
          {remote.error && !items ? (
            <ErrorBox error={remote.error} retry={remote.retry} />
          ) : !items ? (
            <Skeleton lines={10} />
          ) : items.length === 0 ? (
            <Empty />
          ) : (
            <table class="details-table">
              <thead>
                <tr>
                  <th scope="col">{name}</th>
                  <th scope="col" class="num">
                    {t('col.visitors')}
                  </th>
                  <th scope="col" class="num">
                    {t('col.visits')}
                  </th>
                  {count && (
                    <th scope="col" class="num">
                      {t(`col.${count}`)}
                    </th>
                  )}
                  {session && (
                    <th scope="col" class="num">
                      {t('col.bounceRate')}
                    </th>
                  )}
                  {session && (
                    <th scope="col" class="num">
                      {t('col.visitDuration')}
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {items.map((item) => {
                  // a custom property keeps its type (true, 42, "42"); filters compare its text form
        const value = item.value === null ? '(none)' : String(item.value);
                  const label = valueLabel(dimension, item.value === null ? null : String(item.value), l);
                  return (
                    <tr key={`${typeof item.value}:${value}`}>
                      <th scope="row">
                        <button
                          type="button"
                          class="row-main"
                          title={t('row.filter', { dim: name, value: label })}
                          onClick={() => update(withFilter(view, { dimension, negated: false, value }))}
                        >
                          <span class="bar" style={{ width: `${(item.visitors / max) * 100}%` }} aria-hidden="true" />
                          <span class="row-label">{label}</span>
                        </button>
                      </th>
                      <td class="num">{formatNumber(item.visitors, l)}</td>
                      <td class="num">{formatNumber(item.visits, l)}</td>
                      {count && <td class="num">{formatNumber(item[count], l)}</td>}
                      {session && <td class="num">{item.bounceRate === null ? '—' : formatPercent(item.bounceRate, l)}</td>}
                      {session && <td class="num">{item.visitDuration === null ? '—' : formatDuration(item.visitDuration, l)}</td>}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </div>
      </div>
    </dialog>
  );
}
