import { t } from '../i18n/index.ts';

/** A download of a report as CSV (the API sends it as an attachment). */
export function CsvLink({ href, name }: { href: string; name: string }) {
  return (
    <a class="csv-link" href={href} download aria-label={t('csv.exportOf', { name })} title={t('csv.exportOf', { name })}>
      <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
        <path d="M8 2v8m0 0l-3-3m3 3l3-3M3 13h10" />
      </svg>
      {t('csv.export')}
    </a>
  );
}
