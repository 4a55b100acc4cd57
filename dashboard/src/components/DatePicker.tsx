/** Date range: presets, a custom from–to, and the comparison with the previous period. */
import { useEffect, useState } from 'preact/hooks';
import { locale, t } from '../i18n/index.ts';
import { addDays } from '../lib/days.ts';
import { formatRange } from '../lib/format.ts';
import { presetOf, presets, withPreset, type Preset } from '../state/view.ts';
import type { ViewProps } from './Overview.tsx';

export interface DatePickerProps extends ViewProps {
  /** today in the site's zone */
  today: string;
  /** the days the API says the view covers */
  range?: { from: string; to: string };
}

export function DatePicker({ view, update, today, range }: DatePickerProps) {
  const preset = presetOf(view, today);
  const [customOpen, setCustomOpen] = useState(false);
  const [from, setFrom] = useState(view.from ?? range?.from ?? addDays(today, -29));
  const [to, setTo] = useState(view.to ?? range?.to ?? today);

  // the form starts from the range on screen
  useEffect(() => {
    if (!customOpen && range) {
      setFrom(range.from);
      setTo(range.to);
    }
  }, [range?.from, range?.to, customOpen]);

  const invalid = from > to;
  const choose = (value: Preset) => {
    if (value === 'custom') return setCustomOpen(true);
    setCustomOpen(false);
    update(withPreset(view, value, today));
  };
  const apply = (e: Event) => {
    e.preventDefault();
    if (invalid || !from || !to) return;
    setCustomOpen(false);
    update(withPreset(view, 'custom', today, { from, to }));
  };

  return (
    <div class="range">
      <div class="range-row">
        <label class="select">
          <span class="sr-only">{t('range.label')}</span>
          <select value={customOpen ? 'custom' : preset} onChange={(e) => choose(e.currentTarget.value as Preset)} data-testid="range-select">
            {presets.map((p) => (
              <option key={p} value={p}>
                {t(`range.${p}`)}
              </option>
            ))}
          </select>
        </label>
        {range ? (
          <button
            type="button"
            class="range-dates"
            aria-expanded={customOpen}
            aria-controls="custom-range"
            title={t('range.custom')}
            onClick={() => setCustomOpen((open) => !open)}
          >
            <span class="sr-only">{t('range.custom')} </span>
            {formatRange(range.from, range.to, locale.value)}
          </button>
        ) : (
          <span class="range-dates" />
        )}
      </div>
      {customOpen && (
        <form class="custom-range" id="custom-range" onSubmit={apply}>
          <label>
            <span>{t('range.from')}</span>
            <input type="date" value={from} max={today} required onInput={(e) => setFrom(e.currentTarget.value)} aria-invalid={invalid ? 'true' : undefined} />
          </label>
          <label>
            <span>{t('range.to')}</span>
            <input type="date" value={to} max={today} required onInput={(e) => setTo(e.currentTarget.value)} aria-invalid={invalid ? 'true' : undefined} />
          </label>
          <button type="submit" class="btn btn-primary btn-small" disabled={invalid}>
            {t('range.apply')}
          </button>
          {invalid && (
            <p class="form-error" role="alert">
              {t('range.invalid')}
            </p>
          )}
        </form>
      )}
      <label class="toggle">
        <input type="checkbox" checked={view.compare} onChange={(e) => update({ ...view, compare: e.currentTarget.checked }, { replace: true })} />
        <span>{t('range.compare')}</span>
      </label>
    </div>
  );
}
