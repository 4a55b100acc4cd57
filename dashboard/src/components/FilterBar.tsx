/** The active filters as chips; × removes one. */
import { dimensionLabel, valueLabel } from '../cards.ts';
import { locale, t } from '../i18n/index.ts';
import { withoutFilter } from '../state/view.ts';
import type { ViewProps } from './Overview.tsx';

export function FilterBar({ view, update }: ViewProps) {
  if (!view.filters.length) return <div class="filters" />;
  return (
    <div class="filters" role="group" aria-label={t('filter.label')}>
      {view.filters.map((f) => {
        const dim = dimensionLabel(f.dimension, locale.value);
        const value = valueLabel(f.dimension, f.value, locale.value);
        const label = t(f.negated ? 'filter.isNot' : 'filter.is', { dim, value });
        return (
          <span class="chip" key={`${f.negated}${f.dimension}`} data-filter={`${f.negated ? 'fn' : 'f'}.${f.dimension}`}>
            <span class="chip-text" title={label}>
              <span class="chip-dim">{dim}</span>
              {f.negated ? <span class="chip-op"> ≠ </span> : null}
              <span class="chip-value">{value}</span>
            </span>
            <button type="button" class="chip-remove" aria-label={t('filter.remove', { label })} onClick={() => update(withoutFilter(view, f.dimension, f.negated))}>
              <svg viewBox="0 0 12 12" width="12" height="12" aria-hidden="true">
                <path d="M3 3l6 6M9 3l-6 6" />
              </svg>
            </button>
          </span>
        );
      })}
      {view.filters.length > 1 && (
        <button type="button" class="btn-link" onClick={() => update({ ...view, filters: [] })}>
          {t('filter.clear')}
        </button>
      )}
    </div>
  );
}
