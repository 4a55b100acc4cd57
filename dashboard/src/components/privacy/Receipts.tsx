/**
 * /app/privacy/receipts: the consent receipts, newest first, searchable by site, date range and consent id
 * (in the query string), 50 at a time with "Load more" (the API's cursor); each row opens to every field the
 * receipt holds. "Verify chain" walks the whole hash chain on the server.
 */
import { useEffect, useState } from 'preact/hooks';
import { locale, t } from '../../i18n/index.ts';
import { fetchReceipts, verifyReceipts, type ReceiptView } from '../../lib/api.ts';
import { formatDateTime, formatInstant } from '../../lib/format.ts';
import { navigate, route } from '../../lib/router.ts';
import { parseReceiptFilters, printReceiptFilters, privacyPath, rangeProblems, receiptApiQuery, type ReceiptFilters } from '../../state/privacy.ts';
import { FieldProblem, invalid, PageHead, PagedList, ShortHash, usePaged, VerifyChain } from './common.tsx';

interface Pages {
  receipts: ReceiptView[];
  nextCursor: string | null;
}


export function ReceiptsPage() {
  const filters = parseReceiptFilters(route.value.search);
  const [form, setForm] = useState<ReceiptFilters>(filters);
  const [problems, setProblems] = useState<ReturnType<typeof rangeProblems>>({});
  const l = locale.value;
  const key = `receipts|${printReceiptFilters(filters)}`;
  const paged = usePaged<ReceiptView>(
    key,
    (signal) => fetchReceipts(receiptApiQuery(filters), signal).then((p: Pages) => ({ items: p.receipts, nextCursor: p.nextCursor })),
    (cursor) => fetchReceipts(receiptApiQuery(filters, cursor)).then((p: Pages) => ({ items: p.receipts, nextCursor: p.nextCursor })),
  );

  useEffect(() => {
    document.title = `${t('receipts.title')} · ashiato`;
  }, [l]);
  // back/forward: the form follows the URL
  useEffect(() => setForm(filters), [route.value.search]);

  function search(e: Event) {
    e.preventDefault();
    const found = rangeProblems(form.from, form.to);
    setProblems(found);
    if (Object.keys(found).length) return;
    const q = printReceiptFilters(form);
    navigate(`${privacyPath.receipts}${q ? `?${q}` : ''}`);
  }

  const filtered = !!printReceiptFilters(filters);
  return (
    <>
      <PageHead title={t('receipts.title')} intro={t('receipts.intro')}>
        <VerifyChain verify={verifyReceipts} />
      </PageHead>

      <form class="card card-pad filter-form" role="search" onSubmit={search} noValidate>
        <label class="field">
          <span>{t('receipts.site')}</span>
          <input name="site" value={form.site} placeholder={t('receipts.sitePlaceholder')} autocomplete="off" spellcheck={false} onInput={(e) => setForm({ ...form, site: e.currentTarget.value })} />
        </label>
        <label class="field">
          <span>{t('common.from')}</span>
          <input type="date" name="from" value={form.from} onInput={(e) => setForm({ ...form, from: e.currentTarget.value })} {...invalid('p-from', problems.from)} />
          <FieldProblem id="p-from" problem={problems.from} />
        </label>
        <label class="field">
          <span>{t('common.to')}</span>
          <input type="date" name="to" value={form.to} onInput={(e) => setForm({ ...form, to: e.currentTarget.value })} {...invalid('p-to', problems.to)} />
          <FieldProblem id="p-to" problem={problems.to} />
        </label>
        <label class="field field-grow">
          <span>{t('receipts.consentId')}</span>
          <input name="consent" class="mono" value={form.consentId} autocomplete="off" spellcheck={false} onInput={(e) => setForm({ ...form, consentId: e.currentTarget.value })} />
        </label>
        <div class="filter-actions">
          <button type="submit" class="btn btn-primary">
            {t('common.search')}
          </button>
          {filtered && (
            <button
              type="button"
              class="btn"
              onClick={() => {
                setForm({ site: '', from: '', to: '', consentId: '' });
                setProblems({});
                navigate(privacyPath.receipts);
              }}
            >
              {t('common.clear')}
            </button>
          )}
        </div>
      </form>

      <PagedList paged={paged} empty={t('receipts.none')} skeleton={6}>
        {(items) => (
          <table class="ptable receipts-table">
            <thead>
              <tr>
                <th scope="col">{t('receipts.col.time')}</th>
                <th scope="col">{t('receipts.col.site')}</th>
                <th scope="col">{t('receipts.col.action')}</th>
                <th scope="col">{t('receipts.col.accepted')}</th>
                <th scope="col">{t('receipts.col.consentId')}</th>
              </tr>
            </thead>
            {items.map((r) => (
              <ReceiptRows key={r.seq} r={r} />
            ))}
          </table>
        )}
      </PagedList>
    </>
  );
}

/** One receipt: a row, and a second row with every field when opened. */
function ReceiptRows({ r }: { r: ReceiptView }) {
  const [open, setOpen] = useState(false);
  const l = locale.value;
  const id = `receipt-${r.seq}`;
  const none = <span class="muted">{t('common.none')}</span>;
  const list = (v: string[] | null) => (v && v.length ? v.join(', ') : none);
  return (
    <tbody class={open ? 'open' : ''} data-seq={r.seq}>
      <tr>
        <th scope="row" class="nowrap">
          <button type="button" class="disclose" aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)}>
            <svg viewBox="0 0 12 12" width="10" height="10" aria-hidden="true">
              <path d="M4 2.5L7.5 6 4 9.5" />
            </svg>
            {formatDateTime(r.ts, l)}
          </button>
        </th>
        <td data-label={t('receipts.col.site')}>{r.site}</td>
        <td data-label={t('receipts.col.action')}>
          {r.redactedAt !== null ? <span class="muted">{t('receipts.redacted', { date: formatInstant(r.redactedAt, l) })}</span> : r.action ? t(`consent.${r.action}`) : none}
        </td>
        <td data-label={t('receipts.col.accepted')}>{r.redactedAt !== null ? none : list(r.accepted)}</td>
        <td data-label={t('receipts.col.consentId')}>{r.consentId ? <code class="id-code">{r.consentId}</code> : none}</td>
      </tr>
      {open && (
        <tr class="detail-row" id={id}>
          <td colSpan={5}>
            <dl class="facts facts-grid" aria-label={t('receipts.details', { seq: r.seq })}>
              <dt>{t('receipt.seq')}</dt>
              <dd>{r.seq}</dd>
              <dt>{t('receipt.revision')}</dt>
              <dd>{r.revision ? <code>{r.revision}</code> : none}</dd>
              <dt>{t('receipt.mode')}</dt>
              <dd>{r.mode ?? none}</dd>
              <dt>{t('receipt.accepted')}</dt>
              <dd>{list(r.accepted)}</dd>
              <dt>{t('receipt.rejected')}</dt>
              <dd>{list(r.rejected)}</dd>
              <dt>{t('receipt.language')}</dt>
              <dd>{r.language ?? none}</dd>
              <dt>{t('receipt.path')}</dt>
              <dd class="wrap-anywhere">{r.path ?? none}</dd>
              <dt>{t('receipt.ip')}</dt>
              <dd>{r.ipTrunc ?? none}</dd>
              <dt>{t('receipt.browser')}</dt>
              <dd>{r.browser ? `${r.browser}${r.browserVersion ? ` ${r.browserVersion}` : ''}` : none}</dd>
              <dt>{t('receipt.os')}</dt>
              <dd>{r.os ?? none}</dd>
              <dt>{t('receipt.device')}</dt>
              <dd>{r.device ?? none}</dd>
              <dt>{t('receipt.bannerHash')}</dt>
              <dd>
                <ShortHash hash={r.bannerHash} />
              </dd>
              <dt>{t('receipt.contentHash')}</dt>
              <dd>
                <ShortHash hash={r.contentHash} />
              </dd>
              <dt>{t('receipt.prevHash')}</dt>
              <dd>
                <ShortHash hash={r.prevHash} />
              </dd>
              <dt>{t('receipt.hash')}</dt>
              <dd>
                <ShortHash hash={r.hash} />
              </dd>
            </dl>
          </td>
        </tr>
      )}
    </tbody>
  );
}
