/** The sign-in page at `/`. */
import { useState } from 'preact/hooks';
import { t } from '../i18n/index.ts';
import { login } from '../lib/api.ts';
import { navigate, route } from '../lib/router.ts';
import { me } from '../state/session.ts';
import { AuthCard } from './Chrome.tsx';
import { errorText } from './States.tsx';

/** Where to go after signing in: a dashboard path from `?next=`, never another site. */
export function nextPath(search: string): string {
  const next = new URLSearchParams(search).get('next');
  return next && /^\/app(\/|$|\?)/.test(next) ? next : '/app';
}

export function Login() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      me.value = await login(email, password);
      navigate(nextPath(route.value.search), { replace: true });
    } catch (err) {
      setError(err);
      setPassword('');
      setBusy(false);
    }
  }

  return (
    <AuthCard>
      <p class="muted auth-tagline">{t('app.tagline')}</p>
      <h1 class="auth-title">{t('login.title')}</h1>
      <form onSubmit={submit} noValidate={false} aria-describedby={error ? 'login-error' : undefined}>
        <label class="field">
          <span>{t('login.email')}</span>
          <input
            type="email"
            name="email"
            autoFocus
            autocomplete="username"
            required
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
            aria-invalid={error ? 'true' : undefined}
          />
        </label>
        <label class="field">
          <span>{t('login.password')}</span>
          <input
            type="password"
            name="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
            aria-invalid={error ? 'true' : undefined}
          />
        </label>
        {error !== null && (
          <p class="form-error" id="login-error" role="alert">
            {errorText(error)}
          </p>
        )}
        <button type="submit" class="btn btn-primary btn-block" disabled={busy}>
          {busy ? t('login.busy') : t('login.submit')}
        </button>
      </form>
    </AuthCard>
  );
}
