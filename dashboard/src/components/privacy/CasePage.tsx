/**
 * /app/privacy/cases/<id>: one case from receipt to answer. The next step (or refusal with one of the
 * policy's reasons), the identity check, the agent's authority, the fee, the linked ids and the actions on
 * their data, the documents, and — once closed — the answer letter to preview and print. Beside it, the
 * case's details and its history (status changes from the audit log, actions from the case).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { locale, t } from '../../i18n/index.ts';
import {
  ApiError,
  deleteCaseData,
  documentUrl,
  exportCase,
  fetchAudit,
  fetchCase,
  letterUrl,
  linkCase,
  suspendCaseData,
  transitionCase,
  updateCase,
  uploadDocument,
  type AuditEntryView,
  type CaseDetail,
} from '../../lib/api.ts';
import { formatDateTime, formatInstant, formatNumber, formatYen } from '../../lib/format.ts';
import { linkClick } from '../../lib/router.ts';
import { useRemote } from '../../lib/use-remote.ts';
import {
  actionBlocker,
  canWritePrivacy,
  caseTimeline,
  channelKey,
  checkStatuses,
  closedStatuses,
  documentMediaType,
  documentProblem,
  dueState,
  feeApplies,
  formatBytes,
  forwardSteps,
  identityBody,
  identityForm,
  identityStatuses,
  labelOf,
  linkBodies,
  privacyPath,
  refusalBody,
  statusKey,
  transitionBlocker,
  typeKey,
  type CaseStatus,
  type IdentityForm,
  type Lang,
  type PrivacyPolicyView,
  type Problem,
  type TimelineEvent,
} from '../../state/privacy.ts';
import { me } from '../../state/session.ts';
import { ErrorBox, errorText, Skeleton } from '../States.tsx';
import { downloadBlob, DueNote, FieldProblem, invalid, PolicyMissing, StatusBadge, usePolicy } from './common.tsx';

interface SectionProps {
  c: CaseDetail;
  policy: PrivacyPolicyView | undefined;
  policyError: unknown;
  /** reload the case (and its history) after a change */
  changed: () => void;
  writable: boolean;
}

/** A button's work: busy while it runs, its error kept for the section to show. */
function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function run(work: () => Promise<unknown>): Promise<boolean> {
    setBusy(true);
    setError(null);
    try {
      await work();
      return true;
    } catch (err) {
      setError(err);
      return false;
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, run, clear: () => setError(null) };
}

function ActionError({ error, id }: { error: unknown; id?: string }) {
  if (error === null) return null;
  return (
    <p class="form-error" role="alert" id={id}>
      {errorText(error, { area: 'privacy' })}
    </p>
  );
}

/** Up to this many pages of each audit action are read for a case's history. */
const HISTORY_PAGES = 4;

/** The audit entries about this case since it was recorded (the API filters by action and time, not target). */
async function caseHistory(c: CaseDetail, signal: AbortSignal): Promise<{ entries: AuditEntryView[]; complete: boolean }> {
  const target = `case:${c.id}`;
  const lists = await Promise.all(
    (['case.create', 'case.transition', 'case.update'] as const).map(async (action) => {
      const found: AuditEntryView[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < HISTORY_PAGES; page++) {
        const query: Record<string, string> & { limit: string } = { limit: '500', action, from: String(c.createdAt) };
        if (cursor) query.cursor = cursor;
        const answer = await fetchAudit(query, signal);
        found.push(...answer.entries.filter((e) => e.target === target));
        cursor = answer.nextCursor;
        if (!cursor) return { found, complete: true };
      }
      return { found, complete: false };
    }),
  );
  return { entries: lists.flatMap((l) => l.found), complete: lists.every((l) => l.complete) };
}

export function CasePage({ id }: { id: number }) {
  const [version, setVersion] = useState(0);
  const detail = useRemote(`case|${id}|${version}`, (signal) => fetchCase(id, signal));
  const policy = usePolicy();
  const c = detail.data;
  const history = useRemote(c ? `history|${id}|${c.updatedAt}` : null, (signal) => caseHistory(c!, signal));
  const l = locale.value;
  const now = Date.now();
  const changed = () => setVersion((v) => v + 1);

  useEffect(() => {
    document.title = `${t('case.title', { id })} · ashiato`;
  }, [id, l]);

  if (detail.error && !c) {
    return (
      <>
        <BackLink />
        <ErrorBox error={detail.error} retry={detail.error instanceof ApiError && detail.error.status === 404 ? undefined : detail.retry} vars={{ area: 'privacy' }} />
      </>
    );
  }
  if (!c) {
    return (
      <>
        <BackLink />
        <div class="card card-pad">
          <Skeleton lines={6} />
        </div>
      </>
    );
  }

  const closed = closedStatuses.has(c.status);
  const writable = canWritePrivacy(me.value) && !closed && c.purgedAt === null;
  const props: SectionProps = { c, policy: policy.data, policyError: policy.error, changed, writable };
  const state = dueState(c, now);

  return (
    <>
      <BackLink />
      <div class="case-head">
        <div>
          <h1>
            {t('case.title', { id: c.id })} <span class="case-type">· {t(typeKey(c.type))}</span>
          </h1>
          <p class="case-status-line">
            <StatusBadge status={c.status} />
            <DueNote c={c} now={now} />
          </p>
        </div>
      </div>

      <div class={`case-layout${detail.loading ? ' stale' : ''}`}>
        <Facts c={c} policy={policy.data} overdue={state.kind === 'overdue'} />
        <div class="case-main">
          <NextStep {...props} />
          {closed && <Letter c={c} />}
          <Identity {...props} />
          {c.agent && <Agent {...props} />}
          {(feeApplies(c.type) || c.fee.due > 0) && <Fee {...props} />}
          <Links {...props} />
          <Actions {...props} />
          <Documents {...props} writable={canWritePrivacy(me.value) && c.purgedAt === null} />
          {!closed && <Letter c={c} />}
        </div>
        <section class="card card-pad case-history" aria-labelledby="history-title">
          <h2 id="history-title">{t('timeline.title')}</h2>
          {history.error && !history.data ? (
            <ErrorBox error={history.error} retry={history.retry} vars={{ area: 'privacy' }} />
          ) : (
            <Timeline
              events={caseTimeline(c, history.data?.entries ?? [])}
              loading={!history.data}
              complete={history.data?.complete ?? true}
              policy={policy.data}
            />
          )}
        </section>
      </div>
    </>
  );
}

function BackLink() {
  return (
    <p class="crumb">
      <a href={privacyPath.cases} onClick={linkClick}>
        ← {t('case.back')}
      </a>
    </p>
  );
}

function Facts({ c, policy, overdue }: { c: CaseDetail; policy: PrivacyPolicyView | undefined; overdue: boolean }) {
  const l = locale.value;
  const none = <span class="muted">{t('common.none')}</span>;
  return (
    <section class="card card-pad case-facts" aria-labelledby="facts-title">
      <h2 id="facts-title">{t('case.facts')}</h2>
      <dl class="facts">
        <dt>{t('case.received')}</dt>
        <dd>{formatInstant(c.receivedAt, l)}</dd>
        <dt>{t('case.due')}</dt>
        <dd class={overdue ? 'text-bad' : ''}>{formatInstant(c.dueAt, l)}</dd>
        {c.closedAt !== null && (
          <>
            <dt>{t('case.closed')}</dt>
            <dd>{formatInstant(c.closedAt, l)}</dd>
          </>
        )}
        <dt>{t('case.channel')}</dt>
        <dd>{t(channelKey(c.channel))}</dd>
        <dt>{t('case.requester')}</dt>
        <dd>{c.requester.name ?? none}</dd>
        <dt>{t('case.contact')}</dt>
        <dd class="wrap-anywhere">{c.requester.contact ?? none}</dd>
        <dt>{t('case.agent')}</dt>
        <dd>{c.agent ? t('common.yes') : t('common.no')}</dd>
        <dt>{t('case.language')}</dt>
        <dd>{c.language === 'ja' ? '日本語' : 'English'}</dd>
        {c.fee.due > 0 && (
          <>
            <dt>{t('fee.title')}</dt>
            <dd>
              {formatYen(c.fee.due, l)} · {c.fee.paidAt !== null ? t('fee.paidOn', { date: formatInstant(c.fee.paidAt, l) }) : t('fee.unpaid')}
            </dd>
          </>
        )}
      </dl>
      {c.status === 'refused' && c.refusalReason && (
        <>
          <h3 class="facts-sub">{t('case.reason')}</h3>
          <p data-testid="refusal-reason">{labelOf(policy?.requests.nonDisclosureReasons, c.refusalReason, l)}</p>
        </>
      )}
      {c.summary && (
        <>
          <h3 class="facts-sub">{t('case.summary')}</h3>
          <p class="pre-wrap">{c.summary}</p>
        </>
      )}
      {c.purgedAt !== null && <p class="notice">{t('case.purged', { date: formatInstant(c.purgedAt, l) })}</p>}
    </section>
  );
}

// ---- the next step, and refusal -----------------------------------------------------------------------

function NextStep({ c, policy, policyError, changed, writable }: SectionProps) {
  const step = useAction();
  const [note, setNote] = useState('');
  const [refusing, setRefusing] = useState(false);
  const closed = closedStatuses.has(c.status);
  const steps = forwardSteps(c);

  async function move(to: CaseStatus) {
    const body = to === 'answered' && note.trim() ? { to, answerNote: note.trim() } : { to };
    if (await step.run(() => transitionCase(c.id, body))) {
      setNote('');
      changed();
    }
  }

  return (
    <section class={`card card-pad${closed ? '' : ' step-card'}`} aria-labelledby="step-title">
      <h2 id="step-title">{t('case.next')}</h2>
      {closed ? (
        <p class="muted">{t('case.closedNote')}</p>
      ) : !writable ? (
        <p class="muted">{t(statusKey(c.status))}</p>
      ) : refusing ? (
        policy ? (
          <Refusal c={c} policy={policy} done={changed} cancel={() => setRefusing(false)} />
        ) : (
          <>
            <PolicyMissing error={policyError} />
            <button type="button" class="btn" onClick={() => setRefusing(false)}>
              {t('common.cancel')}
            </button>
          </>
        )
      ) : (
        <>
          {steps.includes('answered') && (
            <label class="field">
              <span>
                {t('case.answerNote')} <span class="field-note">({t('common.optional')})</span>
              </span>
              <textarea rows={2} value={note} onInput={(e) => setNote(e.currentTarget.value)} aria-describedby="answer-hint" />
              <span class="field-note" id="answer-hint">
                {t('case.answerHint')}
              </span>
            </label>
          )}
          <div class="step-buttons">
            {steps.map((to, i) => {
              const blocker = transitionBlocker(c, to);
              const hint = blocker ? `block-${to}` : undefined;
              return (
                <div key={to} class="step">
                  <button
                    type="button"
                    class={`btn ${i === 0 && !blocker ? 'btn-primary' : ''}`}
                    disabled={step.busy || !!blocker}
                    aria-describedby={hint}
                    onClick={() => move(to)}
                    data-to={to}
                  >
                    {t(`case.to.${to as Exclude<CaseStatus, 'received' | 'refused'>}`)}
                  </button>
                  {blocker && (
                    <span class="field-note" id={hint}>
                      {t(blocker)}
                    </span>
                  )}
                </div>
              );
            })}
            {c.next.includes('refused') && (
              <div class="step step-end">
                <button type="button" class="btn btn-quiet-danger" onClick={() => setRefusing(true)}>
                  {t('refuse.open')}
                </button>
              </div>
            )}
          </div>
          <ActionError error={step.error} />
        </>
      )}
    </section>
  );
}

function Refusal({ c, policy, done, cancel }: { c: CaseDetail; policy: PrivacyPolicyView; done: () => void; cancel: () => void }) {
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [problems, setProblems] = useState<Partial<Record<'reason' | 'note', Problem>>>({});
  const action = useAction();
  const l = locale.value;
  const select = useRef<HTMLSelectElement>(null);
  useEffect(() => select.current?.focus(), []);

  async function submit(e: Event) {
    e.preventDefault();
    const checked = refusalBody(reason, note, policy.requests.nonDisclosureReasons);
    if (!checked.ok) {
      setProblems(checked.problems);
      return;
    }
    setProblems({});
    if (await action.run(() => transitionCase(c.id, checked.body))) done();
  }

  return (
    <form class="refusal" onSubmit={submit} noValidate aria-labelledby="refuse-title" data-testid="refusal">
      <h3 id="refuse-title">{t('refuse.title')}</h3>
      <label class="field">
        <span>{t('refuse.reason')}</span>
        <span class="select select-block">
          <select ref={select} name="reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)} required {...invalid('p-reason', problems.reason)}>
            <option value="">{t('refuse.choose')}</option>
            {policy.requests.nonDisclosureReasons.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label[l]}
              </option>
            ))}
          </select>
        </span>
        <FieldProblem id="p-reason" problem={problems.reason} />
      </label>
      <label class="field">
        <span>
          {t('refuse.note')} <span class="field-note">({t('common.optional')})</span>
        </span>
        <textarea name="refusal-note" rows={2} value={note} onInput={(e) => setNote(e.currentTarget.value)} {...invalid('p-note', problems.note)} />
        <FieldProblem id="p-note" problem={problems.note} />
      </label>
      <p class="muted small">{t('refuse.confirm')}</p>
      <ActionError error={action.error} />
      <div class="form-actions">
        <button type="submit" class="btn btn-danger" disabled={action.busy}>
          {t('refuse.submit')}
        </button>
        <button type="button" class="btn" onClick={cancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

// ---- identity, agent, fee -----------------------------------------------------------------------------

function Identity({ c, policy, policyError, changed, writable }: SectionProps) {
  const [form, setForm] = useState<IdentityForm>(() => identityForm(c));
  const [problems, setProblems] = useState<Partial<Record<'method' | 'document', Problem>>>({});
  const [saved, setSaved] = useState(false);
  const action = useAction();
  const l = locale.value;
  // a reload (after any change) shows what the server holds
  useEffect(() => setForm(identityForm(c)), [c.identity.status, c.identity.method, c.identity.document]);
  const docs = policy?.requests.identityDocuments;

  const current =
    c.identity.method === 'document' && c.identity.document !== null
      ? docs?.[c.identity.document]?.[l]
      : c.identity.method === 'cookie'
        ? t('identity.cookie')
        : null;

  async function submit(e: Event) {
    e.preventDefault();
    setSaved(false);
    const checked = identityBody(form, docs?.length ?? 0);
    if (!checked.ok) {
      setProblems(checked.problems);
      return;
    }
    setProblems({});
    if (await action.run(() => updateCase(c.id, { identity: checked.body }))) {
      setSaved(true);
      changed();
    }
  }

  return (
    <section class="card card-pad" aria-labelledby="identity-title">
      <h2 id="identity-title">
        {t('identity.title')} <span class={`check check-${c.identity.status}`}>{t(`identity.${c.identity.status}`)}</span>
      </h2>
      {current && <p class="muted small">{current}</p>}
      {writable && (
        <form class="identity-form" onSubmit={submit} noValidate>
          <fieldset class="field fieldset">
            <legend>{t('identity.result')}</legend>
            <div class="choice-row">
              {identityStatuses.map((s) => (
                <label key={s} class="choice">
                  <input type="radio" name="identity-status" value={s} checked={form.status === s} onChange={() => setForm({ ...form, status: s })} />
                  {t(`identity.${s}`)}
                </label>
              ))}
            </div>
          </fieldset>
          {form.status !== 'not_required' && (
            <fieldset class="field fieldset" {...invalid('p-method', problems.method)}>
              <legend>{t('identity.method')}</legend>
              <div class="choice-row">
                <label class="choice">
                  <input type="radio" name="identity-method" value="document" checked={form.method === 'document'} onChange={() => setForm({ ...form, method: 'document' })} />
                  {t('identity.document')}
                </label>
                <label class="choice">
                  <input type="radio" name="identity-method" value="cookie" checked={form.method === 'cookie'} onChange={() => setForm({ ...form, method: 'cookie', document: '' })} />
                  {t('identity.cookie')}
                </label>
              </div>
              <FieldProblem id="p-method" problem={problems.method} />
            </fieldset>
          )}
          {form.status !== 'not_required' &&
            form.method === 'document' &&
            (docs ? (
              <fieldset class="field fieldset" {...invalid('p-document', problems.document)}>
                <legend>{t('identity.which')}</legend>
                <div class="choice-list">
                  {docs.map((d, i) => (
                    <label key={i} class="choice">
                      <input type="radio" name="identity-document" value={String(i)} checked={form.document === String(i)} onChange={() => setForm({ ...form, document: String(i) })} />
                      <span>{d[l]}</span>
                    </label>
                  ))}
                </div>
                <FieldProblem id="p-document" problem={problems.document} />
              </fieldset>
            ) : (
              <PolicyMissing error={policyError} />
            ))}
          <ActionError error={action.error} />
          <div class="form-actions">
            <button type="submit" class="btn" disabled={action.busy}>
              {action.busy ? t('common.saving') : t('identity.save')}
            </button>
            {saved && !action.busy && (
              <span class="saved" role="status">
                {t('common.saved')}
              </span>
            )}
          </div>
        </form>
      )}
    </section>
  );
}

function Agent({ c, policy, changed, writable }: SectionProps) {
  const action = useAction();
  const l = locale.value;
  const status = c.agentAuthority ?? 'pending';
  return (
    <section class="card card-pad" aria-labelledby="agent-title">
      <h2 id="agent-title">
        {t('agent.title')} <span class={`check check-${status}`}>{t(`agent.${status}`)}</span>
      </h2>
      {policy && <p class="muted small">{t('agent.needs', { docs: policy.requests.agentDocuments[l] })}</p>}
      {writable && (
        <div class="segmented segmented-wide" role="group" aria-label={t('agent.title')}>
          {checkStatuses.map((s) => (
            <button
              key={s}
              type="button"
              aria-pressed={status === s}
              disabled={action.busy}
              onClick={async () => {
                if (s !== status && (await action.run(() => updateCase(c.id, { agentAuthority: s })))) changed();
              }}
            >
              {t(`agent.${s}`)}
            </button>
          ))}
        </div>
      )}
      <ActionError error={action.error} />
    </section>
  );
}

function Fee({ c, changed, writable }: SectionProps) {
  const action = useAction();
  const l = locale.value;
  return (
    <section class="card card-pad" aria-labelledby="fee-title">
      <h2 id="fee-title">
        {t('fee.title')}{' '}
        {c.fee.due > 0 && <span class={`check ${c.fee.paidAt !== null ? 'check-verified' : 'check-pending'}`}>{c.fee.paidAt !== null ? t('fee.paidOn', { date: formatInstant(c.fee.paidAt, l) }) : t('fee.unpaid')}</span>}
      </h2>
      {c.fee.due === 0 ? (
        <p class="muted">{t('fee.none')}</p>
      ) : (
        <div class="fee-row">
          <span class="fee-amount">{formatYen(c.fee.due, l)}</span>
          {writable &&
            (c.fee.paidAt === null ? (
              <button type="button" class="btn" disabled={action.busy} onClick={async () => (await action.run(() => updateCase(c.id, { feePaid: true }))) && changed()}>
                {t('fee.markPaid')}
              </button>
            ) : (
              <button type="button" class="btn-link" disabled={action.busy} onClick={async () => (await action.run(() => updateCase(c.id, { feePaid: false }))) && changed()}>
                {t('fee.undo')}
              </button>
            ))}
        </div>
      )}
      <ActionError error={action.error} />
    </section>
  );
}

// ---- linked ids and the actions on their data ---------------------------------------------------------

function Links({ c, changed }: SectionProps) {
  const [kind, setKind] = useState<'cookie' | 'consent'>('cookie');
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<Problem | undefined>();
  const action = useAction();
  const canAdd = canWritePrivacy(me.value) && c.purgedAt === null && !closedStatuses.has(c.status);

  async function submit(e: Event) {
    e.preventDefault();
    const checked = linkBodies(kind, text);
    if (!checked.ok) {
      setProblem(checked.problems.ids);
      return;
    }
    setProblem(undefined);
    if (await action.run(() => linkCase(c.id, checked.body.links))) {
      setText('');
      changed();
    }
  }

  return (
    <section class="card card-pad" aria-labelledby="links-title">
      <h2 id="links-title">{t('links.title')}</h2>
      <p class="muted small">{t('links.intro')}</p>
      {c.links.length === 0 ? (
        <p class="muted">{t('links.none')}</p>
      ) : (
        <ul class="id-list">
          {c.links.map((link) => (
            <li key={link.id}>
              <span class="id-kind">{t(link.kind === 'cookie' ? 'links.cookie' : 'links.consent')}</span>
              {link.value ? <code>{link.value}</code> : <span class="muted">{t('links.removed')}</span>}
            </li>
          ))}
        </ul>
      )}
      {canAdd && (
        <form class="links-form" onSubmit={submit} noValidate>
          <label class="field">
            <span>{t('links.kind')}</span>
            <span class="select select-block">
              <select name="link-kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as 'cookie' | 'consent')}>
                <option value="cookie">{t('links.cookie')}</option>
                <option value="consent">{t('links.consent')}</option>
              </select>
            </span>
          </label>
          <label class="field links-ids">
            <span>{t('links.ids')}</span>
            <textarea name="link-ids" rows={2} class="mono" spellcheck={false} autocomplete="off" value={text} onInput={(e) => setText(e.currentTarget.value)} {...invalid('p-ids', problem)} />
            <FieldProblem id="p-ids" problem={problem} />
          </label>
          <div class="form-actions">
            <button type="submit" class="btn" disabled={action.busy}>
              {t('links.add')}
            </button>
          </div>
          <ActionError error={action.error} />
        </form>
      )}
    </section>
  );
}

function actionSummary(a: CaseDetail['actions'][number]): string {
  const d = a.details as Record<string, number | string>;
  const n = (v: unknown) => formatNumber(Number(v ?? 0), locale.value);
  if (a.action === 'export') return t('actions.exported', { rows: n(d.rows), format: String(d.format ?? '').toUpperCase() });
  if (a.action === 'delete') return t('actions.deleted', { events: n(d.events), sessions: n(d.sessions), receipts: n(d.receipts) });
  return t('actions.suspended', { n: n(d.cookieIds) });
}

function Actions({ c, changed }: SectionProps) {
  const action = useAction();
  const [confirming, setConfirming] = useState<'delete' | 'suspend' | null>(null);
  const l = locale.value;
  const writer = canWritePrivacy(me.value);
  const exportBlock = actionBlocker(c, 'export');
  const deleteBlock = actionBlocker(c, 'delete');
  const suspendBlock = actionBlocker(c, 'suspend');
  const note = [exportBlock, suspendBlock].find(Boolean) ?? null;

  async function download(format: 'json' | 'csv') {
    if (
      await action.run(async () => {
        const file = await exportCase(c.id, format);
        downloadBlob(file.blob, file.fileName);
      })
    )
      changed();
  }

  return (
    <section class="card card-pad" aria-labelledby="actions-title">
      <h2 id="actions-title">{t('actions.title')}</h2>
      {writer && !closedStatuses.has(c.status) && (
        <>
          <div class="action-buttons">
            <button type="button" class="btn" disabled={action.busy || !!exportBlock} onClick={() => download('json')}>
              {t('actions.export')}
            </button>
            <button type="button" class="btn" disabled={action.busy || !!exportBlock} onClick={() => download('csv')}>
              {t('actions.exportCsv')}
            </button>
            <button type="button" class="btn btn-quiet-danger" disabled={action.busy || !!deleteBlock} onClick={() => setConfirming('delete')}>
              {t('actions.delete')}
            </button>
            <button type="button" class="btn btn-quiet-danger" disabled={action.busy || !!suspendBlock} onClick={() => setConfirming('suspend')}>
              {t('actions.suspend')}
            </button>
          </div>
          {note && <p class="field-note">{t(note)}</p>}
          {confirming && (
            <div class="confirm" role="group" aria-label={t(confirming === 'delete' ? 'actions.delete' : 'actions.suspend')}>
              <p>{t(confirming === 'delete' ? 'actions.confirmDelete' : 'actions.confirmSuspend')}</p>
              <div class="form-actions">
                <button
                  type="button"
                  class="btn btn-danger"
                  autoFocus
                  disabled={action.busy}
                  onClick={async () => {
                    const which = confirming;
                    if (await action.run(() => (which === 'delete' ? deleteCaseData(c.id) : suspendCaseData(c.id)))) {
                      setConfirming(null);
                      changed();
                    }
                  }}
                >
                  {t(confirming === 'delete' ? 'actions.delete' : 'actions.suspend')}
                </button>
                <button type="button" class="btn" onClick={() => setConfirming(null)}>
                  {t('common.cancel')}
                </button>
              </div>
            </div>
          )}
          <ActionError error={action.error} />
        </>
      )}
      {c.actions.length === 0 ? (
        <p class="muted small">{t('actions.none')}</p>
      ) : (
        <ul class="done-list">
          {c.actions.map((a) => (
            <li key={a.id}>
              <span class="nowrap muted">{formatDateTime(a.at, l)}</span> {actionSummary(a)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

// ---- documents ----------------------------------------------------------------------------------------

/** A file's bytes as base64, in chunks (a 5 MB file would overflow String.fromCharCode's arguments). */
async function base64Of(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function Documents({ c, changed, writable }: SectionProps) {
  const input = useRef<HTMLInputElement>(null);
  const [problem, setProblem] = useState<Problem | undefined>();
  const action = useAction();
  const l = locale.value;

  async function submit(e: Event) {
    e.preventDefault();
    const file = input.current?.files?.[0];
    if (!file) {
      setProblem({ key: 'problem.required' });
      return;
    }
    const bad = documentProblem(file);
    if (bad) {
      setProblem(bad);
      return;
    }
    setProblem(undefined);
    const ok = await action.run(async () => uploadDocument(c.id, { name: file.name, mediaType: documentMediaType(file)!, content: await base64Of(file) }));
    if (ok) {
      if (input.current) input.current.value = '';
      changed();
    }
  }

  return (
    <section class="card card-pad" aria-labelledby="docs-title">
      <h2 id="docs-title">{t('docs.title')}</h2>
      <p class="muted small">{t('docs.intro')}</p>
      {c.documents.length === 0 ? (
        <p class="muted">{t('docs.none')}</p>
      ) : (
        <table class="ptable docs-table">
          <thead>
            <tr>
              <th scope="col">{t('docs.col.name')}</th>
              <th scope="col" class="num">
                {t('docs.col.size')}
              </th>
              <th scope="col">{t('docs.col.added')}</th>
            </tr>
          </thead>
          <tbody>
            {c.documents.map((d) => {
              const name = d.name ?? t('docs.unnamed', { id: d.id });
              return (
                <tr key={d.id} data-document={d.id}>
                  <th scope="row" class="wrap-anywhere">
                    {d.purgedAt === null ? (
                      <a href={documentUrl(c.id, d.id)} download={d.name ?? undefined} aria-label={t('docs.download', { name })}>
                        {name}
                      </a>
                    ) : (
                      <span class="muted">{t('docs.discarded', { date: formatInstant(d.purgedAt, l) })}</span>
                    )}
                    <span class="muted small doc-type"> {d.mediaType}</span>
                  </th>
                  <td data-label={t('docs.col.size')} class="num nowrap">
                    {formatBytes(d.size, l)}
                  </td>
                  <td data-label={t('docs.col.added')} class="nowrap">
                    {formatInstant(d.createdAt, l)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {writable && (
        <form class="upload-form" onSubmit={submit} noValidate>
          <label class="field">
            <span>{t('docs.file')}</span>
            <input
              ref={input}
              type="file"
              name="document"
              accept=".pdf,.jpg,.jpeg,.png,.webp,.heic,.txt,application/pdf,image/jpeg,image/png,image/webp,image/heic,text/plain"
              onChange={() => setProblem(undefined)}
              {...invalid('p-document-file', problem)}
            />
            <FieldProblem id="p-document-file" problem={problem} />
          </label>
          <button type="submit" class="btn" disabled={action.busy}>
            {action.busy ? t('docs.uploading') : t('docs.upload')}
          </button>
          <ActionError error={action.error} />
        </form>
      )}
    </section>
  );
}

// ---- the answer letter --------------------------------------------------------------------------------

function Letter({ c }: { c: CaseDetail }) {
  const [lang, setLang] = useState<Lang>(c.language);
  const frame = useRef<HTMLIFrameElement>(null);
  const closed = c.closedAt !== null;
  const src = letterUrl(c.id, lang);
  return (
    <section class="card card-pad letter-card" aria-labelledby="letter-title">
      <div class="section-head">
        <h2 id="letter-title">{t('letter.title')}</h2>
        {closed && (
          <div class="section-tools">
            <div class="segmented" role="group" aria-label={t('letter.language')}>
              {(['ja', 'en'] as const).map((l) => (
                <button key={l} type="button" lang={l} aria-pressed={lang === l} onClick={() => setLang(l)}>
                  {l === 'ja' ? '日本語' : 'English'}
                </button>
              ))}
            </div>
            <button type="button" class="btn btn-small" onClick={() => frame.current?.contentWindow?.print()}>
              <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" class="btn-icon">
                <path d="M4.5 6V2h7v4M4.5 11.5h-2v-5h11v5h-2M4.5 9.5h7V14h-7z" />
              </svg>
              {t('letter.print')}
            </button>
          </div>
        )}
      </div>
      {!closed ? (
        <p class="muted">{t('letter.notYet')}</p>
      ) : (
        <>
          <iframe
            ref={frame}
            key={src}
            class="letter-frame"
            src={src}
            title={t('letter.frame', { lang: lang === 'ja' ? '日本語' : 'English' })}
            data-testid="letter"
            onLoad={(e) => {
              // same origin: the frame takes the letter's height, so the page scrolls, not the frame
              const el = e.currentTarget;
              const height = el.contentDocument?.documentElement.scrollHeight;
              if (height) el.style.height = `${height + 2}px`;
            }}
          />
          <p class="letter-links small">
            <a href={src} target="_blank" rel="noopener">
              {t('letter.open')}
            </a>
            <a href={letterUrl(c.id, lang, 'text')} target="_blank" rel="noopener">
              {t('letter.text')}
            </a>
          </p>
        </>
      )}
    </section>
  );
}

// ---- history ------------------------------------------------------------------------------------------

function Timeline({ events, loading, complete, policy }: { events: TimelineEvent[]; loading: boolean; complete: boolean; policy: PrivacyPolicyView | undefined }) {
  const l = locale.value;
  const line = (e: TimelineEvent): { text: string; sub?: string | undefined; tone?: string } => {
    switch (e.kind) {
      case 'received':
        return { text: t('timeline.received', { channel: t(channelKey(e.channel)) }) };
      case 'created':
        return { text: t('timeline.created'), sub: e.actor ? t('timeline.by', { actor: e.actor }) : undefined };
      case 'transition':
        return {
          text: t('timeline.transition', { from: t(statusKey(e.from)), to: t(statusKey(e.to)) }),
          sub: [e.reason ? t('timeline.reason', { reason: labelOf(policy?.requests.nonDisclosureReasons, e.reason, l) }) : '', t('timeline.by', { actor: e.actor })]
            .filter(Boolean)
            .join(' · '),
          tone: `tone-${e.to}`,
        };
      case 'update': {
        const known = new Set(['requester', 'agent', 'agentAuthority', 'language', 'summary', 'answerNote', 'identity', 'feeDue', 'feePaid']);
        const fields = e.changed.map((f) => (known.has(f) ? t(`field.${f}` as 'field.identity') : f)).join(', ');
        return { text: t('timeline.update', { fields }), sub: t('timeline.by', { actor: e.actor }) };
      }
      case 'action':
        return {
          text: e.action === 'export' ? t('timeline.export', { rows: formatNumber(Number(e.details.rows ?? 0), l) }) : t(`timeline.${e.action}`),
          tone: 'tone-action',
        };
    }
  };
  return (
    <>
      <ol class="timeline" aria-busy={loading ? 'true' : undefined}>
        {events.map((e, i) => {
          const { text, sub, tone } = line(e);
          return (
            <li key={`${e.kind}-${e.at}-${i}`} class={tone ?? ''} data-kind={e.kind}>
              <span class="timeline-dot" aria-hidden="true" />
              <time dateTime={new Date(e.at).toISOString()}>{formatDateTime(e.at, l)}</time>
              <span class="timeline-text">{text}</span>
              {sub && <span class="timeline-sub muted">{sub}</span>}
            </li>
          );
        })}
      </ol>
      {loading && <p class="muted small">{t('timeline.loading')}</p>}
      {!complete && <p class="muted small">{t('timeline.partial')}</p>}
    </>
  );
}
