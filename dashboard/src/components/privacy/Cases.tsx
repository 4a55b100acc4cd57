/**
 * /app/privacy/cases: the privacy office's cases, soonest due first, overdue ones marked; filters by state,
 * status and type in the query string. /app/privacy/cases/new: the form that records a new one.
 */
import { useEffect, useState } from 'preact/hooks';
import { locale, t } from '../../i18n/index.ts';
import { createCase, fetchCases, type CaseView } from '../../lib/api.ts';
import { formatInstant, formatYen } from '../../lib/format.ts';
import { linkClick, navigate, route } from '../../lib/router.ts';
import { useRemote } from '../../lib/use-remote.ts';
import {
  caseApiQuery,
  caseChannels,
  caseStates,
  caseStatuses,
  channelKey,
  DAY_MS,
  dueState,
  emptyCaseForm,
  feeApplies,
  newCaseBody,
  parseCaseFilters,
  printCaseFilters,
  privacyPath,
  requestTypes,
  typeKey,
  statusKey,
  type CaseFilters,
  type NewCaseForm,
  type Problem,
} from '../../state/privacy.ts';
import { ErrorBox, errorText, Skeleton } from '../States.tsx';
import { DueNote, FieldProblem, invalid, PageHead, StatusBadge, usePolicy } from './common.tsx';

export function CasesPage() {
  const filters = parseCaseFilters(route.value.search);
  const query = caseApiQuery(filters);
  const list = useRemote(`cases|${JSON.stringify(query)}`, (signal) => fetchCases(query, signal));
  const policy = usePolicy();
  const now = Date.now();
  const l = locale.value;
  const set = (next: CaseFilters) => {
    const q = printCaseFilters(next);
    navigate(`${privacyPath.cases}${q ? `?${q}` : ''}`, { replace: true });
  };

  useEffect(() => {
    document.title = `${t('cases.title')} · ashiato`;
  }, [l]);

  const cases = list.data;
  return (
    <>
      <PageHead title={t('cases.title')} intro={policy.data ? t('cases.intro', { days: policy.data.requests.responseDays }) : t('cases.introPlain')}>
        <a class="btn btn-primary" href={privacyPath.newCase} onClick={linkClick}>
          <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" class="btn-icon">
            <path d="M8 3v10M3 8h10" />
          </svg>
          {t('cases.new')}
        </a>
      </PageHead>

      <div class="toolbar" role="search">
        <div class="segmented" role="group" aria-label={t('cases.show')}>
          {caseStates.map((s) => (
            <button key={s} type="button" aria-pressed={filters.state === s} onClick={() => set({ ...filters, state: s })}>
              {t(`cases.state.${s}`)}
            </button>
          ))}
        </div>
        <label class="select select-small">
          <span class="sr-only">{t('cases.status')}</span>
          <select
            value={filters.status ?? ''}
            onChange={(e) => {
              const v = e.currentTarget.value as CaseFilters['status'] | '';
              const next: CaseFilters = { ...filters };
              if (v) next.status = v;
              else delete next.status;
              set(next);
            }}
          >
            <option value="">
              {t('cases.status')}: {t('common.any')}
            </option>
            {caseStatuses.map((s) => (
              <option key={s} value={s}>
                {t(statusKey(s))}
              </option>
            ))}
          </select>
        </label>
        <label class="select select-small">
          <span class="sr-only">{t('cases.type')}</span>
          <select
            value={filters.type ?? ''}
            onChange={(e) => {
              const v = e.currentTarget.value as CaseFilters['type'] | '';
              const next: CaseFilters = { ...filters };
              if (v) next.type = v;
              else delete next.type;
              set(next);
            }}
          >
            <option value="">
              {t('cases.type')}: {t('common.any')}
            </option>
            {requestTypes.map((type) => (
              <option key={type} value={type}>
                {t(typeKey(type))}
              </option>
            ))}
          </select>
        </label>
        {cases && (
          <span class="muted toolbar-count" aria-live="polite">
            {t(cases.length === 1 ? 'cases.count.one' : 'cases.count.other', { n: cases.length })}
          </span>
        )}
      </div>

      {list.error && !cases ? (
        <ErrorBox error={list.error} retry={list.retry} vars={{ area: 'privacy' }} />
      ) : !cases ? (
        <div class="card card-pad">
          <Skeleton lines={5} />
        </div>
      ) : cases.length === 0 ? (
        <div class="card empty">
          <p class="empty-title">{t('cases.none')}</p>
          <p class="empty-hint">{t('cases.noneHint')}</p>
        </div>
      ) : (
        <div class={`card table-card${list.loading ? ' stale' : ''}`}>
          <CaseTable cases={cases} now={now} />
        </div>
      )}
    </>
  );
}

function CaseTable({ cases, now }: { cases: CaseView[]; now: number }) {
  const l = locale.value;
  return (
    <table class="ptable cases-table">
      <thead>
        <tr>
          <th scope="col">{t('cases.col.id')}</th>
          <th scope="col">{t('cases.col.type')}</th>
          <th scope="col">{t('cases.col.status')}</th>
          <th scope="col">{t('cases.col.received')}</th>
          <th scope="col">{t('cases.col.due')}</th>
          <th scope="col">{t('cases.col.requester')}</th>
        </tr>
      </thead>
      <tbody>
        {cases.map((c) => {
          const state = dueState(c, now);
          return (
            <tr key={c.id} class={state.kind === 'overdue' ? 'is-overdue' : ''} data-case={c.id}>
              <th scope="row" class="num-cell">
                <a href={privacyPath.case(c.id)} onClick={linkClick} class="row-link" aria-label={t('cases.open', { id: c.id })}>
                  {c.id}
                </a>
              </th>
              <td data-label={t('cases.col.type')} class="type-cell">
                {t(typeKey(c.type))}
                {c.agent && <span class="muted small"> · {t('case.agent')}</span>}
              </td>
              <td data-label={t('cases.col.status')}>
                <StatusBadge status={c.status} />
              </td>
              <td data-label={t('cases.col.received')} class="nowrap">
                {formatInstant(c.receivedAt, l)}
              </td>
              <td data-label={t('cases.col.due')} class="due-cell">
                {state.kind === 'closed' ? (
                  <span class="muted">{c.closedAt ? formatInstant(c.closedAt, l) : formatInstant(c.dueAt, l)}</span>
                ) : (
                  <>
                    <span class="nowrap">{formatInstant(c.dueAt, l)}</span>
                    <DueNote c={c} now={now} />
                  </>
                )}
              </td>
              <td data-label={t('cases.col.requester')} class="requester-cell">
                {c.requester.name ?? <span class="muted">{t('common.none')}</span>}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function NewCasePage() {
  const policy = usePolicy();
  const [form, setForm] = useState<NewCaseForm>(() => emptyCaseForm(Date.now()));
  const [problems, setProblems] = useState<Partial<Record<keyof NewCaseForm, Problem>>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const l = locale.value;

  useEffect(() => {
    document.title = `${t('newCase.title')} · ashiato`;
  }, [l]);

  const set =
    <K extends keyof NewCaseForm>(key: K) =>
    (value: NewCaseForm[K]) => {
      setForm((f) => ({ ...f, [key]: value }));
      if (problems[key]) setProblems((p) => ({ ...p, [key]: undefined }));
    };

  async function submit(e: Event) {
    e.preventDefault();
    const checked = newCaseBody(form, Date.now());
    if (!checked.ok) {
      setProblems(checked.problems);
      const first = Object.keys(checked.problems)[0];
      (document.querySelector(`[name="${first}"]`) as HTMLElement | null)?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const created = await createCase(checked.body);
      navigate(privacyPath.case(created.id));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  const fee = form.type && feeApplies(form.type) ? (policy.data?.requests.fees[form.type] ?? 0) : 0;
  const days = policy.data?.requests.responseDays;
  const checked = newCaseBody(form, Date.now());
  const dueDate = days && checked.ok ? formatInstant(checked.body.receivedAt + days * DAY_MS, l) : null;

  return (
    <>
      <p class="crumb">
        <a href={privacyPath.cases} onClick={linkClick}>
          ← {t('case.back')}
        </a>
      </p>
      <PageHead title={t('newCase.title')} intro={t('newCase.intro')} />
      <form class="card card-pad form-card" onSubmit={submit} noValidate aria-describedby={error ? 'new-case-error' : undefined}>
        <div class="form-grid">
          <label class="field">
            <span>{t('newCase.type')}</span>
            <span class="select select-block">
              <select name="type" value={form.type} onChange={(e) => set('type')(e.currentTarget.value as NewCaseForm['type'])} required {...invalid('p-type', problems.type)}>
                <option value="">{t('newCase.choose')}</option>
                {requestTypes.map((type) => (
                  <option key={type} value={type}>
                    {t(typeKey(type))}
                  </option>
                ))}
              </select>
            </span>
            <FieldProblem id="p-type" problem={problems.type} />
            {form.type && <span class="field-note">{fee > 0 ? t('newCase.fee', { fee: formatYen(fee, l) }) : t('newCase.noFee')}</span>}
          </label>

          <fieldset class="field fieldset" {...invalid('p-channel', problems.channel)}>
            <legend>{t('newCase.channel')}</legend>
            <div class="choice-row">
              {caseChannels.map((ch) => (
                <label key={ch} class="choice">
                  <input type="radio" name="channel" value={ch} checked={form.channel === ch} onChange={() => set('channel')(ch)} />
                  {t(channelKey(ch))}
                </label>
              ))}
            </div>
            <FieldProblem id="p-channel" problem={problems.channel} />
          </fieldset>

          <label class="field">
            <span>{t('newCase.received')}</span>
            <input type="date" name="received" value={form.received} max={emptyCaseForm(Date.now()).received} onInput={(e) => set('received')(e.currentTarget.value)} required {...invalid('p-received', problems.received)} />
            <FieldProblem id="p-received" problem={problems.received} />
            {dueDate && <span class="field-note">{t('newCase.due', { date: dueDate, n: days! })}</span>}
          </label>

          <fieldset class="field fieldset">
            <legend>{t('newCase.language')}</legend>
            <div class="choice-row">
              {(['ja', 'en'] as const).map((lang) => (
                <label key={lang} class="choice" lang={lang}>
                  <input type="radio" name="language" value={lang} checked={form.language === lang} onChange={() => set('language')(lang)} />
                  {lang === 'ja' ? '日本語' : 'English'}
                </label>
              ))}
            </div>
          </fieldset>

          <label class="field">
            <span>
              {t('newCase.name')} <span class="field-note">({t('common.optional')})</span>
            </span>
            <input name="name" autocomplete="off" value={form.name} onInput={(e) => set('name')(e.currentTarget.value)} {...invalid('p-name', problems.name)} />
            <FieldProblem id="p-name" problem={problems.name} />
          </label>

          <label class="field">
            <span>
              {t('newCase.contact')} <span class="field-note">({t('common.optional')})</span>
            </span>
            <input name="contact" autocomplete="off" value={form.contact} onInput={(e) => set('contact')(e.currentTarget.value)} {...invalid('p-contact', problems.contact)} />
            <FieldProblem id="p-contact" problem={problems.contact} />
          </label>

          <label class="choice field-wide">
            <input type="checkbox" name="agent" checked={form.agent} onChange={(e) => set('agent')(e.currentTarget.checked)} />
            {t('newCase.agent')}
          </label>

          <label class="field field-wide">
            <span>
              {t('newCase.summary')} <span class="field-note">({t('common.optional')})</span>
            </span>
            <textarea name="summary" rows={3} value={form.summary} onInput={(e) => set('summary')(e.currentTarget.value)} aria-describedby="summary-hint" {...invalid('p-summary', problems.summary)} />
            <span class="field-note" id="summary-hint">
              {t('newCase.summaryHint')}
            </span>
            <FieldProblem id="p-summary" problem={problems.summary} />
          </label>
        </div>
        {error !== null && (
          <p class="form-error" id="new-case-error" role="alert">
            {errorText(error, { area: 'privacy' })}
          </p>
        )}
        {Object.values(problems).some(Boolean) && (
          <p class="form-error" role="alert">
            {t('problem.fix')}
          </p>
        )}
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {busy ? t('newCase.busy') : t('newCase.submit')}
          </button>
          <a class="btn" href={privacyPath.cases} onClick={linkClick}>
            {t('common.cancel')}
          </a>
        </div>
      </form>
    </>
  );
}
