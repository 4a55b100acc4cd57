/** Choosing a new password: forced after a one-time password, or by choice at /app/password. */
import { useState } from 'preact/hooks';
import { t } from '../i18n/index.ts';
import { changePassword, logout } from '../lib/api.ts';
import { linkClick, navigate } from '../lib/router.ts';
import { me, resetSession } from '../state/session.ts';
import { AuthCard } from './Chrome.tsx';
import { errorText } from './States.tsx';

export function ChangePassword({ forced }: { forced: boolean }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    if (next !== repeat) {
      setError(t('password.mismatch'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      me.value = await changePassword(current, next);
      navigate('/app', { replace: true });
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  }

  return (
    <AuthCard>
      <h1 class="auth-title">{t('password.title')}</h1>
      {forced && <p class="notice">{t('password.forced')}</p>}
      <form onSubmit={submit}>
        <label class="field">
          <span>{t('password.current')}</span>
          <input type="password" autocomplete="current-password" required value={current} onInput={(e) => setCurrent(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>{t('password.new')}</span>
          <input
            type="password"
            autocomplete="new-password"
            required
            minLength={12}
            aria-describedby="password-rules"
            value={next}
            onInput={(e) => setNext(e.currentTarget.value)}
          />
        </label>
        <p class="field-hint" id="password-rules">
          {t('password.rules')}
        </p>
        <label class="field">
          <span>{t('password.confirm')}</span>
          <input type="password" autocomplete="new-password" required value={repeat} onInput={(e) => setRepeat(e.currentTarget.value)} />
        </label>
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="btn btn-primary btn-block" disabled={busy}>
          {t('password.submit')}
        </button>
        <p class="auth-footer">
          {forced ? (
            <button
              type="button"
              class="btn-link"
              onClick={() =>
                void logout()
                  .catch(() => {})
                  .then(() => {
                    resetSession();
                    navigate('/', { replace: true });
                  })
              }
            >
              {t('nav.logout')}
            </button>
          ) : (
            <a href="/app" onClick={linkClick}>
              {t('password.cancel')}
            </a>
          )}
        </p>
      </form>
    </AuthCard>
  );
}
