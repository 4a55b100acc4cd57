/**
 * /app/privacy/provisions: the register of provision to third parties, newest first — recipient, items,
 * period, legal ground and how consent was confirmed — with the exports recorded against each entry, and
 * the form that records a new entry.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { locale, t } from '../../i18n/index.ts';
import { createProvision, fetchProvisions, type ProvisionView } from '../../lib/api.ts';
import { formatDateTime, formatDay, formatInstant, formatNumber, formatRange } from '../../lib/format.ts';
import { useRemote } from '../../lib/use-remote.ts';
import { canWritePrivacy, CONSENT_GROUND, emptyProvisionForm, labelOf, newProvisionBody, type PrivacyPolicyView, type Problem, type ProvisionForm } from '../../state/privacy.ts';
import { me } from '../../state/session.ts';
import { ErrorBox, errorText, Skeleton } from '../States.tsx';
import { FieldProblem, invalid, PageHead, PolicyMissing, ShortHash, usePolicy } from './common.tsx';

export function ProvisionsPage() {
  const [version, setVersion] = useState(0);
  const list = useRemote(`provisions|${version}`, (signal) => fetchProvisions(signal));
  const policy = usePolicy();
  const [adding, setAdding] = useState(false);
  const [added, setAdded] = useState<number | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const l = locale.value;

  useEffect(() => {
    document.title = `${t('prov.title')} · ashiato`;
  }, [l]);

  const provisions = list.data;
  return (
    <>
      <PageHead title={t('prov.title')} intro={t('prov.intro')}>
        {canWritePrivacy(me.value) && !adding && (
          <button type="button" class="btn btn-primary" ref={button} onClick={() => setAdding(true)} aria-expanded="false">
            <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" class="btn-icon">
              <path d="M8 3v10M3 8h10" />
            </svg>
            {t('prov.new')}
          </button>
        )}
      </PageHead>

      {adding &&
        (policy.data ? (
          <NewProvision
            policy={policy.data}
            done={(id) => {
              setAdding(false);
              setAdded(id);
              setVersion((v) => v + 1);
            }}
            cancel={() => {
              setAdding(false);
              setTimeout(() => button.current?.focus());
            }}
          />
        ) : policy.error ? (
          <PolicyMissing error={policy.error} />
        ) : (
          <div class="card card-pad">
            <Skeleton lines={4} />
          </div>
        ))}

      {list.error && !provisions ? (
        <ErrorBox error={list.error} retry={list.retry} vars={{ area: 'privacy' }} />
      ) : !provisions ? (
        <div class="card card-pad">
          <Skeleton lines={6} />
        </div>
      ) : provisions.length === 0 ? (
        <div class="card empty">
          <p class="empty-title">{t('prov.none')}</p>
        </div>
      ) : (
        <ol class={`provision-list${list.loading ? ' stale' : ''}`}>
          {provisions.map((p) => (
            <ProvisionEntry key={p.id} p={p} policy={policy.data} fresh={p.id === added} />
          ))}
        </ol>
      )}
    </>
  );
}

function ProvisionEntry({ p, policy, fresh }: { p: ProvisionView; policy: PrivacyPolicyView | undefined; fresh: boolean }) {
  const l = locale.value;
  const itemLabel = (id: string) => policy?.items.find((i) => i.id === id)?.label[l] ?? id;
  return (
    <li class={`card card-pad provision${fresh ? ' fresh' : ''}`} data-provision={p.id}>
      <div class="provision-head">
        <h2>{p.recipient.name}</h2>
        <span class="muted small">
          #{p.id} · {t('prov.recorded', { date: formatInstant(p.createdAt, l) })}
        </span>
      </div>
      <dl class="facts facts-grid">
        <dt>{t('prov.address')}</dt>
        <dd>{p.recipient.address}</dd>
        <dt>{t('prov.representative')}</dt>
        <dd>{p.recipient.representative}</dd>
        <dt>{t('prov.items')}</dt>
        <dd>
          <ul class="tags">
            {p.items.map((id) => (
              <li key={id} class="tag">
                {itemLabel(id)}
              </li>
            ))}
          </ul>
        </dd>
        <dt>{t('prov.period')}</dt>
        <dd>{p.periodTo ? formatRange(p.periodFrom, p.periodTo, l) : formatDay(p.periodFrom, l, true)}</dd>
        <dt>{t('prov.ground')}</dt>
        <dd>{labelOf(policy?.legalGrounds, p.legalGround, l)}</dd>
        {p.consentConfirmation && (
          <>
            <dt>{t('prov.consent')}</dt>
            <dd class="pre-wrap">{p.consentConfirmation}</dd>
          </>
        )}
        {p.note && (
          <>
            <dt>{t('prov.note')}</dt>
            <dd class="pre-wrap">{p.note}</dd>
          </>
        )}
      </dl>
      <h3 class="facts-sub">{t('prov.exports')}</h3>
      {p.exports.length === 0 ? (
        <p class="muted small">{t('prov.noExports')}</p>
      ) : (
        <table class="ptable exports-table">
          <thead>
            <tr>
              <th scope="col">{t('exp.at')}</th>
              <th scope="col">{t('exp.site')}</th>
              <th scope="col">{t('exp.range')}</th>
              <th scope="col" class="num">
                {t('exp.rows')}
              </th>
              <th scope="col">{t('exp.format')}</th>
              <th scope="col">{t('exp.sha')}</th>
            </tr>
          </thead>
          <tbody>
            {p.exports.map((e) => (
              <tr key={e.id}>
                <th scope="row" class="nowrap">
                  {formatDateTime(e.at, l)}
                </th>
                <td data-label={t('exp.site')}>{e.site ?? t('common.none')}</td>
                <td data-label={t('exp.range')} class="nowrap">
                  {e.from !== null && e.to !== null ? `${formatDateTime(e.from, l)} – ${formatDateTime(e.to, l)}` : t('common.none')}
                </td>
                <td data-label={t('exp.rows')} class="num">
                  {formatNumber(e.rows, l)}
                </td>
                <td data-label={t('exp.format')}>{e.format.toUpperCase()}</td>
                <td data-label={t('exp.sha')}>
                  <ShortHash hash={e.sha256} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </li>
  );
}

function NewProvision({ policy, done, cancel }: { policy: PrivacyPolicyView; done: (id: number) => void; cancel: () => void }) {
  const [form, setForm] = useState<ProvisionForm>(() => emptyProvisionForm(Date.now()));
  const [problems, setProblems] = useState<Partial<Record<keyof ProvisionForm, Problem>>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  const l = locale.value;
  useEffect(() => first.current?.focus(), []);

  const set = <K extends keyof ProvisionForm>(key: K, value: ProvisionForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    if (problems[key]) setProblems((p) => ({ ...p, [key]: undefined }));
  };

  async function submit(e: Event) {
    e.preventDefault();
    const checked = newProvisionBody(form, policy.legalGrounds);
    if (!checked.ok) {
      setProblems(checked.problems);
      const field = Object.keys(checked.problems)[0];
      (document.querySelector(`.provision-form [name="${field}"]`) as HTMLElement | null)?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      done((await createProvision(checked.body)).id);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  const text = (key: 'name' | 'address' | 'representative', label: string) => (
    <label class="field">
      <span>{label}</span>
      <input ref={key === 'name' ? first : undefined} name={key} value={form[key]} autocomplete="off" onInput={(e) => set(key, e.currentTarget.value)} required {...invalid(`p-${key}`, problems[key])} />
      <FieldProblem id={`p-${key}`} problem={problems[key]} />
    </label>
  );

  return (
    <form class="card card-pad form-card provision-form" onSubmit={submit} noValidate aria-labelledby="prov-new-title">
      <h2 id="prov-new-title">{t('prov.new')}</h2>
      <fieldset class="fieldset">
        <legend class="legend-strong">{t('prov.recipient')}</legend>
        <div class="form-grid form-grid-3">
          {text('name', t('prov.name'))}
          {text('address', t('prov.address'))}
          {text('representative', t('prov.representative'))}
        </div>
      </fieldset>

      <fieldset class="field fieldset" {...invalid('p-items', problems.items)}>
        <legend>{t('prov.items')}</legend>
        <div class="choice-grid">
          {policy.items.map((item) => (
            <label key={item.id} class="choice">
              <input
                type="checkbox"
                name="items"
                value={item.id}
                checked={form.items.includes(item.id)}
                onChange={(e) => set('items', e.currentTarget.checked ? [...form.items, item.id] : form.items.filter((i) => i !== item.id))}
              />
              {item.label[l]}
            </label>
          ))}
        </div>
        <FieldProblem id="p-items" problem={problems.items} />
      </fieldset>

      <div class="form-grid">
        <label class="field">
          <span>{t('prov.from')}</span>
          <input type="date" name="periodFrom" value={form.periodFrom} onInput={(e) => set('periodFrom', e.currentTarget.value)} required {...invalid('p-periodFrom', problems.periodFrom)} />
          <FieldProblem id="p-periodFrom" problem={problems.periodFrom} />
        </label>
        <label class="field">
          <span>
            {t('prov.to')} <span class="field-note">({t('common.optional')})</span>
          </span>
          <input type="date" name="periodTo" value={form.periodTo} min={form.periodFrom || undefined} onInput={(e) => set('periodTo', e.currentTarget.value)} aria-describedby="prov-to-hint" {...invalid('p-periodTo', problems.periodTo)} />
          <span class="field-note" id="prov-to-hint">
            {t('prov.toHint')}
          </span>
          <FieldProblem id="p-periodTo" problem={problems.periodTo} />
        </label>
      </div>

      <fieldset class="field fieldset" {...invalid('p-legalGround', problems.legalGround)}>
        <legend>{t('prov.ground')}</legend>
        <div class="choice-list">
          {policy.legalGrounds.map((g) => (
            <label key={g.id} class="choice">
              <input type="radio" name="legalGround" value={g.id} checked={form.legalGround === g.id} onChange={() => set('legalGround', g.id)} />
              <span>{g.label[l]}</span>
            </label>
          ))}
        </div>
        <FieldProblem id="p-legalGround" problem={problems.legalGround} />
      </fieldset>

      {form.legalGround === CONSENT_GROUND && (
        <label class="field">
          <span>{t('prov.consent')}</span>
          <textarea name="consentConfirmation" rows={2} value={form.consentConfirmation} onInput={(e) => set('consentConfirmation', e.currentTarget.value)} required {...invalid('p-consentConfirmation', problems.consentConfirmation)} />
          <FieldProblem id="p-consentConfirmation" problem={problems.consentConfirmation} />
        </label>
      )}

      <label class="field">
        <span>
          {t('prov.note')} <span class="field-note">({t('common.optional')})</span>
        </span>
        <textarea name="note" rows={2} value={form.note} onInput={(e) => set('note', e.currentTarget.value)} {...invalid('p-note', problems.note)} />
        <FieldProblem id="p-note" problem={problems.note} />
      </label>

      {error !== null && (
        <p class="form-error" role="alert">
          {errorText(error, { area: 'privacy' })}
        </p>
      )}
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {busy ? t('prov.busy') : t('prov.submit')}
        </button>
        <button type="button" class="btn" onClick={cancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
