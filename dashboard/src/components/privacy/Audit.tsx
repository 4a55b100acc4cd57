/**
 * /app/privacy/audit: the staff audit log, newest first, by action and date range (in the query string),
 * 50 entries at a time with "Load more"; "Verify chain" walks the whole hash chain on the server.
 */
import { useEffect, useState } from 'preact/hooks';
import { locale, t } from '../../i18n/index.ts';
import { fetchAudit, verifyAudit, type AuditEntryView } from '../../lib/api.ts';
import { formatDateTime } from '../../lib/format.ts';
import { linkClick, navigate, route } from '../../lib/router.ts';
import {
  auditActionKey,
  auditActions,
  auditApiQuery,
  caseTarget,
  detailPairs,
  parseAuditFilters,
  printAuditFilters,
  privacyPath,
  rangeProblems,
  type AuditFilters,
} from '../../state/privacy.ts';
import { FieldProblem, invalid, PageHead, PagedList, usePaged, VerifyChain } from './common.tsx';

export function AuditPage() {
  const filters = parseAuditFilters(route.value.search);
  const [form, setForm] = useState<AuditFilters>(filters);
  const [problems, setProblems] = useState<ReturnType<typeof rangeProblems>>({});
  const l = locale.value;
  const paged = usePaged<AuditEntryView>(
    `audit|${printAuditFilters(filters)}`,
    (signal) => fetchAudit(auditApiQuery(filters), signal).then((p) => ({ items: p.entries, nextCursor: p.nextCursor })),
    (cursor) => fetchAudit(auditApiQuery(filters, cursor)).then((p) => ({ items: p.entries, nextCursor: p.nextCursor })),
  );

  useEffect(() => {
    document.title = `${t('audit.title')} · ashiato`;
  }, [l]);
  useEffect(() => setForm(filters), [route.value.search]);

  function apply(e: Event) {
    e.preventDefault();
    const found = rangeProblems(form.from, form.to);
    setProblems(found);
    if (Object.keys(found).length) return;
    const q = printAuditFilters(form);
    navigate(`${privacyPath.audit}${q ? `?${q}` : ''}`);
  }

  return (
    <>
      <PageHead title={t('audit.title')} intro={t('audit.intro')}>
        <VerifyChain verify={verifyAudit} />
      </PageHead>

      <form class="card card-pad filter-form" role="search" onSubmit={apply} noValidate>
        <label class="field">
          <span>{t('audit.action')}</span>
          <span class="select select-block">
            <select name="action" value={form.action} onChange={(e) => setForm({ ...form, action: e.currentTarget.value })}>
              <option value="">{t('audit.anyAction')}</option>
              {auditActions.map((a) => (
                <option key={a} value={a}>
                  {t(auditActionKey(a)!)}
                </option>
              ))}
              {form.action && !(auditActions as readonly string[]).includes(form.action) && <option value={form.action}>{form.action}</option>}
            </select>
          </span>
        </label>
        <label class="field">
          <span>{t('common.from')}</span>
          <input type="date" name="from" value={form.from} onInput={(e) => setForm({ ...form, from: e.currentTarget.value })} {...invalid('pa-from', problems.from)} />
          <FieldProblem id="pa-from" problem={problems.from} />
        </label>
        <label class="field">
          <span>{t('common.to')}</span>
          <input type="date" name="to" value={form.to} onInput={(e) => setForm({ ...form, to: e.currentTarget.value })} {...invalid('pa-to', problems.to)} />
          <FieldProblem id="pa-to" problem={problems.to} />
        </label>
        <div class="filter-actions">
          <button type="submit" class="btn btn-primary">
            {t('audit.show')}
          </button>
        </div>
      </form>

      <PagedList paged={paged} empty={t('audit.none')} skeleton={8}>
        {(items) => (
          <table class="ptable audit-table">
            <thead>
              <tr>
                <th scope="col">{t('audit.col.time')}</th>
                <th scope="col">{t('audit.col.actor')}</th>
                <th scope="col">{t('audit.col.action')}</th>
                <th scope="col">{t('audit.col.target')}</th>
                <th scope="col">{t('audit.col.details')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((e) => (
                <AuditRow key={e.seq} e={e} />
              ))}
            </tbody>
          </table>
        )}
      </PagedList>
    </>
  );
}

function AuditRow({ e }: { e: AuditEntryView }) {
  const l = locale.value;
  const key = auditActionKey(e.action);
  const caseId = caseTarget(e.target);
  const provision = /^provision:(\d+)$/.exec(e.target ?? '')?.[1];
  const pairs = detailPairs(e.details);
  return (
    <tr data-seq={e.seq} data-action={e.action}>
      <th scope="row" class="nowrap">
        <time dateTime={new Date(e.ts).toISOString()}>{formatDateTime(e.ts, l)}</time>
        <span class="muted small seq"> #{e.seq}</span>
      </th>
      <td data-label={t('audit.col.actor')} class="wrap-anywhere">
        {e.actor}
      </td>
      <td data-label={t('audit.col.action')}>
        {key ? t(key) : e.action}
        {key && <code class="action-code">{e.action}</code>}
      </td>
      <td data-label={t('audit.col.target')}>
        {caseId !== null ? (
          <a href={privacyPath.case(caseId)} onClick={linkClick}>
            {t('case.title', { id: caseId })}
          </a>
        ) : provision ? (
          <a href={privacyPath.provisions} onClick={linkClick}>
            {t('audit.provision', { id: provision })}
          </a>
        ) : (
          (e.target ?? <span class="muted">{t('common.none')}</span>)
        )}
      </td>
      <td data-label={t('audit.col.details')}>
        {pairs.length === 0 ? (
          <span class="muted">{t('common.none')}</span>
        ) : (
          <dl class="kv">
            {pairs.map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
          </dl>
        )}
      </td>
    </tr>
  );
}
