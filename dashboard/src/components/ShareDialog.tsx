/**
 * The site header's "Share" button and its dialog (admins and marketers): the site's read-only links, a
 * form for a new one, and the new link's address, shown once, since the server keeps only its hash.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { locale, t } from '../i18n/index.ts';
import { ApiError, createSharedLink, fetchSharedLinks, revokeSharedLink, type PublicSharedLink } from '../lib/api.ts';
import { formatInstant } from '../lib/format.ts';
import { useRemote } from '../lib/use-remote.ts';
import { EXPIRY_MAX_DAYS, LABEL_MAX, linkStatus, newLinkBody, shareUrl, sortLinks, type NewLinkForm } from '../state/share.ts';
import { me } from '../state/session.ts';
import { ErrorBox, errorText, Skeleton } from './States.tsx';

/** Roles the server lets manage shared links. */
export const canShare = (): boolean => {
  const user = me.value?.user;
  return !!user && (user.role === 'admin' || user.role === 'marketer') && !user.mustChangePassword;
};

export function ShareButton({ site }: { site: string }) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  if (!canShare()) return null;
  return (
    <>
      <button type="button" class="btn btn-small share-btn" ref={button} onClick={() => setOpen(true)} title={t('share.buttonTitle')} aria-haspopup="dialog">
        <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
          <path d="M6.5 9.5l3-3M7 4.5l1.2-1.2a2.6 2.6 0 013.7 3.7L10.7 8.2M9 11.5l-1.2 1.2a2.6 2.6 0 01-3.7-3.7L5.3 7.8" />
        </svg>
        {t('share.button')}
      </button>
      {open && (
        <ShareDialog
          key={site}
          site={site}
          onClose={() => {
            setOpen(false);
            button.current?.focus();
          }}
        />
      )}
    </>
  );
}

function CreatedLink({ url }: { url: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const input = useRef<HTMLInputElement>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(url);
      setCopied('yes');
    } catch {
      // no clipboard permission (or not a secure context): select it for Ctrl+C
      input.current?.select();
      setCopied(document.execCommand?.('copy') ? 'yes' : 'failed');
    }
  }
  return (
    <div class="share-created" role="status">
      <p class="share-created-title">{t('share.created')}</p>
      <p class="share-once">
        <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
          <path d="M8 1.8l6.4 11.4H1.6z" />
          <path d="M8 6.4v3.2M8 11.3v.1" />
        </svg>
        {t('share.once')}
      </p>
      <div class="share-url-row">
        <label class="sr-only" for="share-url">
          {t('share.url')}
        </label>
        <input id="share-url" ref={input} class="share-url" readOnly value={url} onFocus={(e) => e.currentTarget.select()} data-testid="share-url" />
        <button type="button" class="btn btn-primary btn-small" onClick={copy}>
          {copied === 'yes' ? t('share.copied') : t('share.copy')}
        </button>
      </div>
      {copied === 'failed' && <p class="form-error">{t('share.copyFailed')}</p>}
    </div>
  );
}

function NewLink({ site, created }: { site: string; created: (url: string) => void }) {
  const [form, setForm] = useState<NewLinkForm>({ label: '', password: '', expiresInDays: '' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (key: keyof NewLinkForm) => (e: { currentTarget: HTMLInputElement }) => setForm({ ...form, [key]: e.currentTarget.value });

  async function submit(e: Event) {
    e.preventDefault();
    const checked = newLinkBody(form);
    if (!checked.ok) {
      setError(t(`share.problem.${checked.problem}`));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const link = await createSharedLink(site, checked.body);
      setForm({ label: '', password: '', expiresInDays: '' });
      created(shareUrl(location.origin, link.token));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="share-form" onSubmit={submit} noValidate aria-labelledby="share-new-title" aria-describedby={error ? 'share-form-error' : undefined}>
      <h3 id="share-new-title">{t('share.new')}</h3>
      <div class="share-fields">
        <label class="field">
          <span>{t('share.label')}</span>
          <input value={form.label} maxLength={LABEL_MAX} placeholder={t('share.labelPlaceholder')} onInput={set('label')} name="label" />
        </label>
        <label class="field">
          <span>{t('share.password')}</span>
          <input
            type="password"
            name="share-password"
            autocomplete="new-password"
            value={form.password}
            onInput={set('password')}
            aria-describedby="share-password-hint"
          />
          <span class="field-note" id="share-password-hint">
            {t('share.passwordHint')}
          </span>
        </label>
        <label class="field">
          <span>{t('share.expires')}</span>
          <input type="number" inputMode="numeric" min={1} max={EXPIRY_MAX_DAYS} step={1} value={form.expiresInDays} onInput={set('expiresInDays')} name="expires" aria-describedby="share-expires-hint" />
          <span class="field-note" id="share-expires-hint">
            {t('share.expiresHint')}
          </span>
        </label>
      </div>
      {error && (
        <p class="form-error" id="share-form-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" class="btn btn-primary" disabled={busy}>
        {busy ? t('share.creating') : t('share.create')}
      </button>
    </form>
  );
}

function LinkRow({ link, now, revoke }: { link: PublicSharedLink; now: number; revoke?: () => Promise<void> }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const l = locale.value;
  const label = link.label ?? t('share.untitled');
  const status = linkStatus(link, now);
  return (
    <tr data-link={link.id}>
      <th scope="row" class={link.label ? '' : 'muted'}>
        {label}
      </th>
      <td class="nowrap">{formatInstant(link.createdAt, l)}</td>
      <td class="nowrap">
        {status === 'revoked' ? (
          <span class="muted">{t('share.statusRevoked')}</span>
        ) : status === 'expired' ? (
          <span class="muted">{t('share.statusExpired')}</span>
        ) : link.expiresAt === null ? (
          t('share.never')
        ) : (
          formatInstant(link.expiresAt, l)
        )}
      </td>
      <td>{link.passwordProtected ? t('share.yes') : t('share.no')}</td>
      <td class="share-actions">
        {revoke &&
          (confirming ? (
            <span class="share-confirm" role="group" aria-label={t('share.revokeOf', { label })}>
              <span class="muted">{t('share.revokeConfirm')}</span>
              <button
                type="button"
                class="btn btn-small btn-danger"
                disabled={busy}
                autoFocus
                onClick={async () => {
                  setBusy(true);
                  try {
                    await revoke();
                  } catch (err) {
                    setError(err);
                    setBusy(false);
                  }
                }}
              >
                {t('share.revoke')}
              </button>
              <button type="button" class="btn btn-small" onClick={() => setConfirming(false)}>
                {t('share.cancel')}
              </button>
            </span>
          ) : (
            <button type="button" class="btn btn-small" onClick={() => setConfirming(true)} aria-label={t('share.revokeOf', { label })}>
              {t('share.revoke')}
            </button>
          ))}
        {error !== null && (
          <p class="form-error" role="alert">
            {errorText(error)}
          </p>
        )}
      </td>
    </tr>
  );
}

function LinkTable({ links, now, revoke }: { links: PublicSharedLink[]; now: number; revoke?: (id: string) => Promise<void> }) {
  return (
    <table class="details-table share-table">
      <thead>
        <tr>
          <th scope="col">{t('share.colLabel')}</th>
          <th scope="col">{t('share.colCreated')}</th>
          <th scope="col">{t('share.colExpires')}</th>
          <th scope="col">{t('share.colProtected')}</th>
          <th scope="col">
            <span class="sr-only">{t('share.revoke')}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {links.map((link) => (
          <LinkRow key={link.id} link={link} now={now} revoke={revoke ? () => revoke(link.id) : undefined} />
        ))}
      </tbody>
    </table>
  );
}

export function ShareDialog({ site, onClose }: { site: string; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [version, setVersion] = useState(0);
  const [url, setUrl] = useState<string | null>(null);
  const list = useRemote(`links|${site}|${version}`, () => fetchSharedLinks(site));
  const now = Date.now();

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  const links = list.data ? sortLinks(list.data, now) : null;
  const revoke = async (id: string) => {
    try {
      await revokeSharedLink(site, id);
    } catch (err) {
      // already revoked elsewhere: the list is stale, not the action
      if (!(err instanceof ApiError && err.code === 'not_found')) throw err;
    }
    setVersion((v) => v + 1);
  };

  return (
    <dialog
      ref={ref}
      class="dialog share-dialog"
      aria-labelledby="share-title"
      onClose={onClose}
      onClick={(e) => {
        if (e.target === ref.current) ref.current?.close(); // a click on the backdrop
      }}
    >
      <div class="dialog-inner">
        <header class="dialog-head">
          <div>
            <h2 id="share-title">{t('share.title', { site })}</h2>
            <p class="muted">{t('share.intro')}</p>
          </div>
          <button type="button" class="icon-btn" onClick={() => ref.current?.close()} aria-label={t('share.close')}>
            <svg viewBox="0 0 12 12" width="14" height="14" aria-hidden="true">
              <path d="M3 3l6 6M9 3l-6 6" />
            </svg>
          </button>
        </header>
        <div class="dialog-body share-body">
          {url && <CreatedLink key={url} url={url} />}
          <NewLink
            site={site}
            created={(next) => {
              setUrl(next);
              setVersion((v) => v + 1);
            }}
          />
          <section class="share-list" aria-labelledby="share-links-title">
            <h3 id="share-links-title">{t('share.links')}</h3>
            {list.error && !list.data ? (
              <ErrorBox error={list.error} retry={list.retry} />
            ) : !links ? (
              <Skeleton lines={3} />
            ) : links.active.length === 0 && links.inactive.length === 0 ? (
              <p class="muted share-none">{t('share.none')}</p>
            ) : (
              <>
                {links.active.length > 0 ? <LinkTable links={links.active} now={now} revoke={revoke} /> : <p class="muted share-none">{t('share.none')}</p>}
                {links.inactive.length > 0 && (
                  <details class="share-inactive">
                    <summary>{t('share.inactive', { n: links.inactive.length })}</summary>
                    <LinkTable links={links.inactive} now={now} />
                  </details>
                )}
              </>
            )}
          </section>
        </div>
      </div>
    </dialog>
  );
}
