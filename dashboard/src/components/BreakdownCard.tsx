/** A breakdown card: tabs of dimensions, the top rows with proportional bars; a click on a row filters by it. */
import { useRef, useState } from 'preact/hooks';
import type { Dimension } from '../../../server/stats/wire.ts';
import { countColumn, dimensionLabel, valueLabel, type CardSpec, type TabId } from '../cards.ts';
import { locale, t } from '../i18n/index.ts';
import { exportUrl, fetchBreakdown, type BreakdownItem } from '../lib/api.ts';
import { formatCount, formatNumber } from '../lib/format.ts';
import { useRemote } from '../lib/use-remote.ts';
import { filterValue, isPropKey, withFilter, type View } from '../state/view.ts';
import { CsvLink } from './CsvLink.tsx';
import type { Update, ViewProps } from './Overview.tsx';
import { Empty, ErrorBox, Skeleton } from './States.tsx';

export const CARD_ROWS = 10;

const propKeys = ['url', 'topic', 'plan', 'path', 'method', 'label'];

export function Tabs({ spec, tab, choose }: { spec: CardSpec; tab: TabId; choose: (t: TabId) => void }) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const move = (e: KeyboardEvent, i: number) => {
    const n = spec.tabs.length;
    const next = e.key === 'ArrowRight' ? (i + 1) % n : e.key === 'ArrowLeft' ? (i - 1 + n) % n : e.key === 'Home' ? 0 : e.key === 'End' ? n - 1 : -1;
    if (next < 0) return;
    e.preventDefault();
    choose(spec.tabs[next]!);
    refs.current[next]?.focus();
  };
  return (
    <div class="tabs" role="tablist" aria-label={t(spec.title)}>
      {spec.tabs.map((id, i) => (
        <button
          key={id}
          ref={(el) => void (refs.current[i] = el)}
          type="button"
          role="tab"
          id={`tab-${spec.id}-${id}`}
          aria-selected={tab === id}
          aria-controls={`panel-${spec.id}`}
          tabIndex={tab === id ? 0 : -1}
          onClick={() => choose(id)}
          onKeyDown={(e) => move(e, i)}
        >
          {t(`tab.${id}`)}
        </button>
      ))}
    </div>
  );
}

function PropForm({ view, update }: { view: View; update: Update }) {
  const [key, setKey] = useState(view.prop ?? '');
  const valid = key === '' || isPropKey(key);
  const event = filterValue(view, 'event');
  return (
    <form
      class="prop-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (key && isPropKey(key)) update({ ...view, prop: key }, { replace: true });
      }}
    >
      <label class="prop-field">
        <span>{t('props.key')}</span>
        <input
          value={key}
          list="prop-keys"
          placeholder={t('props.placeholder')}
          maxLength={64}
          aria-invalid={valid ? undefined : 'true'}
          aria-describedby="prop-help"
          onInput={(e) => setKey(e.currentTarget.value.trim())}
        />
      </label>
      <datalist id="prop-keys">
        {propKeys.map((k) => (
          <option key={k} value={k} />
        ))}
      </datalist>
      <button type="submit" class="btn btn-small" disabled={!key || !valid}>
        {t('props.show')}
      </button>
      {event && <span class="muted prop-event">{t('props.of', { event })}</span>}
      <p class={valid ? 'field-hint' : 'form-error'} id="prop-help">
        {valid ? (view.prop ? '' : t('props.hint')) : t('props.invalid')}
      </p>
    </form>
  );
}

export interface RowsProps {
  dimension: Dimension;
  items: BreakdownItem[];
  view: View;
  update: Update;
}

export function Rows({ dimension, items, view, update }: RowsProps) {
  const count = countColumn(dimension);
  const max = Math.max(1, ...items.map((i) => i.visitors));
  const active = filterValue(view, dimension);
  const dim = dimensionLabel(dimension, locale.value);
  return (
    <ol class="rows">
      {items.map((item) => {
        // a custom property keeps its type (true, 42, "42"); filters compare its text form
        const value = item.value === null ? '(none)' : String(item.value);
        const label = valueLabel(dimension, item.value === null ? null : String(item.value), locale.value);
        return (
          <li key={`${typeof item.value}:${value}`} class={`row${active === value ? ' active' : ''}`}>
            <button
              type="button"
              class="row-main"
              title={t('row.filter', { dim, value: label })}
              onClick={() => update(withFilter(view, { dimension, negated: false, value }))}
              data-value={value}
            >
              <span class="bar" style={{ width: `${(item.visitors / max) * 100}%` }} aria-hidden="true" />
              <span class="row-label">{label}</span>
            </button>
            <span class="row-num" title={formatNumber(item.visitors, locale.value)}>
              {formatCount(item.visitors, locale.value)}
            </span>
            {count && (
              <span class="row-num row-num-2 muted" title={formatNumber(item[count], locale.value)}>
                {formatCount(item[count], locale.value)}
              </span>
            )}
          </li>
        );
      })}
    </ol>
  );
}

export function BreakdownCard({ spec, site, view, update, params }: ViewProps & { spec: CardSpec }) {
  const [tab, setTab] = useState<TabId>(spec.id === 'goals' && view.prop ? 'prop' : spec.tabs[0]!);
  const dimension: Dimension | null = tab === 'prop' ? (view.prop ? `prop:${view.prop}` : null) : tab;
  const remote = useRemote(dimension ? `bd|${site}|${dimension}|${params}` : null, () => fetchBreakdown(site, dimension!, params, CARD_ROWS));
  const items = remote.data?.items;
  const count = dimension ? countColumn(dimension) : null;
  const name = dimension ? dimensionLabel(dimension, locale.value) : t(spec.title);

  return (
    <section class={`card breakdown card-${spec.id}`} aria-labelledby={`card-${spec.id}`} data-card={spec.id}>
      <header class="card-head">
        <h2 id={`card-${spec.id}`}>{t(spec.title)}</h2>
        {spec.tabs.length > 1 && <Tabs spec={spec} tab={tab} choose={setTab} />}
      </header>
      <div class="card-panel" id={`panel-${spec.id}`} role={spec.tabs.length > 1 ? 'tabpanel' : undefined} aria-labelledby={spec.tabs.length > 1 ? `tab-${spec.id}-${tab}` : undefined}>
        {tab === 'prop' && <PropForm view={view} update={update} />}
        {dimension && (
          <div class="list-head muted" aria-hidden="true">
            <span>{name}</span>
            <span class="row-num">{t('col.visitors')}</span>
            {count && <span class="row-num row-num-2">{t(`col.${count}`)}</span>}
          </div>
        )}
        <div class={`list-body${remote.loading && items ? ' stale' : ''}`} aria-busy={remote.loading}>
          {!dimension ? null : remote.error && !items ? (
            <ErrorBox error={remote.error} retry={remote.retry} />
          ) : !items ? (
            <Skeleton lines={6} class="rows-skeleton" />
          ) : items.length === 0 ? (
            <Empty hint={false} />
          ) : (
            <Rows dimension={dimension} items={items} view={view} update={update} />
          )}
        </div>
      </div>
      {dimension && (
        <footer class="card-foot">
          <button type="button" class="btn-link" onClick={() => update({ ...view, details: dimension })} disabled={!items?.length}>
            {t('details.open')}
            <span class="sr-only">: {name}</span>
          </button>
          <CsvLink href={exportUrl(site, dimension, params)} name={name} />
        </footer>
      )}
    </section>
  );
}
