/**
 * /app/privacy/releases: anonymized datasets, newest first — what each holds, how it was processed and how
 * safe it came out (k achieved, records left out, class sizes), its files, the published methods of
 * provision and the provisions made — with the forms that create a dataset, publish a method and record a
 * provision. Only privacy staff see the forms and the download links; the server enforces the same and
 * refuses a provision before a method is published.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { locale, t } from '../../i18n/index.ts';
import { createRelease, fetchReleaseColumns, fetchReleases, publishReleaseNotice, recordReleaseDisclosure, releaseFileUrl } from '../../lib/api.ts';
import { formatDay, formatInstant, formatNumber } from '../../lib/format.ts';
import { useRemote } from '../../lib/use-remote.ts';
import { OFFICE_TIME_ZONE } from '../../../../server/privacy/wire.ts';
import { todayIn } from '../../lib/days.ts';
import type { Problem } from '../../state/privacy.ts';
import {
  canHandleReleases,
  emptyReleaseForm,
  newDisclosureBody,
  newNoticeBody,
  newReleaseBody,
  releaseStage,
  suppressedPercent,
  toggleColumn,
  type DisclosureForm,
  type NoticeForm,
  type ReleaseForm,
  type ReleaseView,
} from '../../state/releases.ts';
import { me } from '../../state/session.ts';
import { ErrorBox, errorText, Skeleton } from '../States.tsx';
import { FieldProblem, invalid, PageHead, ShortHash } from './common.tsx';

type Problems<F> = Partial<Record<keyof F, Problem>>;

/** A small form's state: values, field problems, the server's refusal, busy; emptied after a success unless told not to. */
function useForm<F extends object>(initial: () => F, { resetOnSuccess = true } = {}) {
  const [form, setForm] = useState<F>(initial);
  const [problems, setProblems] = useState<Problems<F>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof F>(key: K, value: F[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setProblems((p) => ({ ...p, [key]: undefined }));
  };
  /** checks, sends, and reports; `send` runs only when the check passes */
  const submit = async <B,>(check: { ok: true; body: B } | { ok: false; problems: Problems<F> }, send: (body: B) => Promise<unknown>) => {
    if (!check.ok) return setProblems(check.problems);
    setBusy(true);
    setError(null);
    try {
      await send(check.body);
      if (resetOnSuccess) setForm(initial()); // a published method or recorded provision is not offered again as a draft
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return { form, set, problems, error, busy, submit };
}

function FormError({ error }: { error: unknown }) {
  return error === null ? null : (
    <p class="form-error" role="alert">
      {errorText(error, { area: 'privacy' })}
    </p>
  );
}

export function ReleasesPage() {
  const [version, setVersion] = useState(0);
  const list = useRemote(`releases|${version}`, (signal) => fetchReleases(signal));
  const mayHandle = canHandleReleases(me.value);
  const l = locale.value;
  const refresh = () => setVersion((v) => v + 1);

  useEffect(() => {
    document.title = `${t('rel.title')} · ashiato`;
  }, [l]);

  const releases = list.data;
  return (
    <>
      <PageHead title={t('rel.title')} intro={t('rel.intro')}>
        <a class="btn" href={`/privacy/anonymized?lang=${l}`} target="_blank" rel="noopener">
          {t('rel.register')}
        </a>
      </PageHead>
      {mayHandle ? <NewRelease done={refresh} site={releases?.[0]?.site ?? ''} /> : <p class="notice">{t('rel.readOnly')}</p>}
      {list.error && !releases ? (
        <ErrorBox error={list.error} retry={list.retry} vars={{ area: 'privacy' }} />
      ) : !releases ? (
        <div class="card card-pad">
          <Skeleton lines={6} />
        </div>
      ) : releases.length === 0 ? (
        <div class="card empty">
          <p class="empty-title">{t('rel.none')}</p>
        </div>
      ) : (
        <ol class={`provision-list release-list${list.loading ? ' stale' : ''}`}>
          {releases.map((r) => (
            <Release key={r.id} r={r} mayHandle={mayHandle} changed={refresh} />
          ))}
        </ol>
      )}
    </>
  );
}

function NewRelease({ done, site }: { done: () => void; site: string }) {
  // kept after a success: the next dataset is often the same site and period at the other level
  const f = useForm<ReleaseForm>(() => emptyReleaseForm(todayIn(OFFICE_TIME_ZONE), site), { resetOnSuccess: false });
  const { form, set, problems } = f;
  const allowed = useRemote('release-columns', (signal) => fetchReleaseColumns(signal));
  // the form's days are the site's: its zone once the site is known, the office's until then
  const timeZone = allowed.data?.sites.find((s) => s.id === form.site.trim())?.timeZone ?? OFFICE_TIME_ZONE;
  const defaults = useRef(emptyReleaseForm(todayIn(OFFICE_TIME_ZONE)));
  useEffect(() => {
    const next = emptyReleaseForm(todayIn(timeZone));
    // move the default period to the site's calendar, unless the user chose other days
    if (form.from === defaults.current.from && form.to === defaults.current.to && (next.from !== form.from || next.to !== form.to)) {
      set('from', next.from);
      set('to', next.to);
    }
    defaults.current = next;
  }, [timeZone]);
  const l = locale.value;
  const columns = allowed.data?.levels[form.level] ?? [];
  const names = columns.map((c) => c.name);
  const onSubmit = (e: Event) => {
    e.preventDefault();
    void f.submit(newReleaseBody(form, timeZone), async (body) => {
      await createRelease(body);
      done();
    });
  };
  return (
    <form class="card card-pad form-card release-form" onSubmit={onSubmit} noValidate aria-labelledby="rel-new-title">
      <h2 id="rel-new-title">{t('rel.new')}</h2>
      <div class="form-grid form-grid-3">
        <label class="field">
          <span>{t('rel.site')}</span>
          <input name="site" value={form.site} autocomplete="off" onInput={(e) => set('site', e.currentTarget.value)} required {...invalid('r-site', problems.site)} />
          <FieldProblem id="r-site" problem={problems.site} />
        </label>
        <label class="field">
          <span>{t('rel.from')}</span>
          <input type="date" name="from" value={form.from} onInput={(e) => set('from', e.currentTarget.value)} required {...invalid('r-from', problems.from)} />
          <FieldProblem id="r-from" problem={problems.from} />
        </label>
        <label class="field">
          <span>{t('rel.to')}</span>
          <input type="date" name="to" value={form.to} min={form.from || undefined} onInput={(e) => set('to', e.currentTarget.value)} required {...invalid('r-to', problems.to)} />
          <FieldProblem id="r-to" problem={problems.to} />
        </label>
      </div>
      <fieldset class="field fieldset">
        <legend>{t('rel.level')}</legend>
        <div class="choice-list">
          {(['session', 'pageview'] as const).map((level) => (
            <label key={level} class="choice">
              <input
                type="radio"
                name="level"
                value={level}
                checked={form.level === level}
                onChange={() => {
                  set('level', level);
                  set('columns', null); // each level has its own columns: start again from all of them
                }}
              />
              <span>{t(`rel.level.${level}`)}</span>
            </label>
          ))}
        </div>
      </fieldset>
      {columns.length > 0 && (
        <fieldset class="field fieldset" {...invalid('r-columns', problems.columns)}>
          <legend>{t('rel.columns')}</legend>
          <p class="field-note">{t('rel.columnsHint', { k: allowed.data?.k ?? '' })}</p>
          <div class="choice-grid">
            {columns.map((c) => (
              <label key={c.name} class="choice" title={c.label[l]}>
                <input type="checkbox" name="columns" value={c.name} checked={form.columns?.includes(c.name) ?? true} onChange={(e) => set('columns', toggleColumn(form.columns, names, c.name, e.currentTarget.checked))} />
                <span>
                  <code>{c.name}</code> {c.quasiIdentifier && <span class="muted small">{t('rel.quasiIdentifier')}</span>}
                </span>
              </label>
            ))}
          </div>
          <FieldProblem id="r-columns" problem={problems.columns} />
        </fieldset>
      )}
      <FormError error={f.error} />
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={f.busy}>
          {f.busy ? t('rel.busy') : t('rel.submit')}
        </button>
      </div>
    </form>
  );
}

function Release({ r, mayHandle, changed }: { r: ReleaseView; mayHandle: boolean; changed: () => void }) {
  const l = locale.value;
  const stage = releaseStage(r);
  const { risk } = r;
  return (
    <li class="card card-pad provision release" data-release={r.id} data-stage={stage}>
      <div class="provision-head">
        <h2>{t('rel.dataset', { id: r.id })}</h2>
        <span class="badge">{t(`rel.stage.${stage}`)}</span>
        <span class="muted small">{t('rel.created', { date: formatInstant(r.createdAt, l), who: r.creator })}</span>
      </div>
      <dl class="facts facts-grid">
        <dt>{t('rel.site')}</dt>
        <dd>
          {r.site} · {t(`rel.level.${r.level}`)}
        </dd>
        <dt>{t('rel.period')}</dt>
        <dd>
          {formatInstant(r.from, l)} – {formatInstant(r.to - 1, l)}
        </dd>
        <dt>{t('rel.records')}</dt>
        <dd>{formatNumber(r.records, l)}</dd>
        <dt>{t('rel.k')}</dt>
        <dd>{t('rel.kValue', { required: r.kRequired, achieved: r.kAchieved ?? '—' })}</dd>
        <dt>{t('rel.suppressed')}</dt>
        <dd>
          {t('rel.suppressedValue', {
            pct: formatNumber(suppressedPercent(r), l),
            built: formatNumber(risk.recordsBuilt, l),
            k: formatNumber(risk.suppressed.kAnonymity, l),
            link: formatNumber(risk.suppressed.linkage, l),
            cap: formatNumber(risk.suppressed.sequenceCap, l),
          })}
        </dd>
        <dt>{t('rel.classes')}</dt>
        <dd>{t('rel.classesValue', { count: formatNumber(risk.classes.count, l), median: risk.classes.median ?? '—' })}</dd>
        <dt>{t('rel.linkage')}</dt>
        <dd>{t('rel.linkageValue', { n: formatNumber(risk.linkedVisitorsBelowK, l), of: formatNumber(risk.visitors, l) })}</dd>
        <dt>{t('rel.items')}</dt>
        <dd>
          <ul class="tags">
            {r.items.map((item) => (
              <li key={item} class="tag">
                <code>{item}</code>
              </li>
            ))}
          </ul>
        </dd>
        {mayHandle && (
          <>
            <dt>{t('rel.files')}</dt>
            <dd>
              <ul class="plain-list">
                {r.files.map((file) => (
                  <li key={file.name}>
                    <a href={releaseFileUrl(r.id, file.name)} download={file.name}>
                      {file.name}
                    </a>{' '}
                    <span class="muted small">
                      {formatNumber(file.rows, l)} · <ShortHash hash={file.sha256} />
                    </span>
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
      </dl>

      <h3 class="facts-sub">{t('rel.methods')}</h3>
      {r.notices.length === 0 ? (
        <p class="muted small">{t('rel.noMethod')}</p>
      ) : (
        <ul class="plain-list">
          {r.notices.map((n) => (
            <li key={n.id}>
              <span class="pre-wrap">{n.method[l]}</span> <span class="muted small">{t('rel.methodPublished', { date: formatInstant(n.publishedAt, l) })}</span>
            </li>
          ))}
        </ul>
      )}
      {mayHandle && <PublishMethod id={r.id} done={changed} />}

      <h3 class="facts-sub">{t('rel.provisions')}</h3>
      {r.disclosures.length === 0 ? (
        <p class="muted small">{t('rel.noProvisions')}</p>
      ) : (
        <ul class="plain-list">
          {r.disclosures.map((d) => (
            <li key={d.id}>
              {formatDay(d.releasedOn, l, true)} · {d.recipient === 'public' ? t('rel.toPublic') : `${t('rel.toThirdParty')}: ${d.recipient.name}`}
            </li>
          ))}
        </ul>
      )}
      {mayHandle && (r.notices.length ? <RecordProvision id={r.id} timeZone={r.method.timeZone} done={changed} /> : <p class="muted small">{t('rel.needMethod')}</p>)}
    </li>
  );
}

function PublishMethod({ id, done }: { id: number; done: () => void }) {
  const f = useForm<NoticeForm>(() => ({ ja: '', en: '' }));
  const onSubmit = (e: Event) => {
    e.preventDefault();
    void f.submit(newNoticeBody(f.form), async (body) => {
      await publishReleaseNotice(id, body);
      done();
    });
  };
  return (
    <form class="release-subform" onSubmit={onSubmit} noValidate aria-label={t('rel.publishMethod')}>
      <div class="form-grid">
        {(['ja', 'en'] as const).map((lang) => (
          <label key={lang} class="field">
            <span>{t(lang === 'ja' ? 'rel.methodJa' : 'rel.methodEn')}</span>
            <textarea name={`method-${lang}`} rows={2} value={f.form[lang]} onInput={(e) => f.set(lang, e.currentTarget.value)} {...invalid(`m-${id}-${lang}`, f.problems[lang])} />
            <FieldProblem id={`m-${id}-${lang}`} problem={f.problems[lang]} />
          </label>
        ))}
      </div>
      <FormError error={f.error} />
      <button type="submit" class="btn" disabled={f.busy}>
        {f.busy ? t('rel.publishing') : t('rel.publishMethod')}
      </button>
    </form>
  );
}

/** The provision's day is the release's site's day (the server checks it there), whatever the browser's zone. */
function RecordProvision({ id, timeZone, done }: { id: number; timeZone: string; done: () => void }) {
  const today = todayIn(timeZone);
  const f = useForm<DisclosureForm>(() => ({ to: 'third_party', name: '', releasedOn: today }));
  const onSubmit = (e: Event) => {
    e.preventDefault();
    void f.submit(newDisclosureBody(f.form, today), async (body) => {
      await recordReleaseDisclosure(id, body);
      done();
    });
  };
  return (
    <form class="release-subform" onSubmit={onSubmit} noValidate aria-label={t('rel.provide')}>
      <fieldset class="field fieldset">
        <legend>{t('rel.recipient')}</legend>
        <div class="choice-list">
          {(['third_party', 'public'] as const).map((to) => (
            <label key={to} class="choice">
              <input type="radio" name={`to-${id}`} value={to} checked={f.form.to === to} onChange={() => f.set('to', to)} />
              <span>{t(to === 'public' ? 'rel.toPublic' : 'rel.toThirdParty')}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <div class="form-grid">
        {f.form.to === 'third_party' && (
          <label class="field">
            <span>{t('rel.recipient')}</span>
            <input name="recipient" value={f.form.name} autocomplete="off" onInput={(e) => f.set('name', e.currentTarget.value)} {...invalid(`d-${id}-name`, f.problems.name)} />
            <FieldProblem id={`d-${id}-name`} problem={f.problems.name} />
          </label>
        )}
        <label class="field">
          <span>{t('rel.releasedOn')}</span>
          <input type="date" name="releasedOn" value={f.form.releasedOn} max={today} onInput={(e) => f.set('releasedOn', e.currentTarget.value)} {...invalid(`d-${id}-date`, f.problems.releasedOn)} />
          <FieldProblem id={`d-${id}-date`} problem={f.problems.releasedOn} />
        </label>
      </div>
      <FormError error={f.error} />
      <button type="submit" class="btn" disabled={f.busy}>
        {f.busy ? t('rel.recording') : t('rel.record')}
      </button>
    </form>
  );
}
