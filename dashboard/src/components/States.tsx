/** Loading, empty and error states, shared by every card. */
import { ApiError } from '../lib/api.ts';
import { en, type MessageKey } from '../i18n/en.ts';
import { t } from '../i18n/index.ts';

export function Skeleton({ lines = 1, class: cls = '' }: { lines?: number; class?: string }) {
  return (
    <div class={`skeleton-group ${cls}`} aria-hidden="true">
      {Array.from({ length: lines }, (_, i) => (
        <div key={i} class="skeleton" style={{ width: `${92 - ((i * 17) % 45)}%` }} />
      ))}
    </div>
  );
}

export function Empty({ hint = true }: { hint?: boolean }) {
  return (
    <div class="empty">
      <p class="empty-title">{t('state.empty')}</p>
      {hint && <p class="empty-hint">{t('state.emptyHint')}</p>}
    </div>
  );
}

/** The API's error in the UI language where we know it, else its own message. */
export function errorText(error: unknown, vars: Record<string, string> = {}): string {
  if (error instanceof ApiError) {
    switch (error.code) {
      case 'network':
        return t('error.network');
      case 'invalid_credentials':
      case 'origin_mismatch':
      case 'wrong_password':
      case 'same_password':
        return t(`error.${error.code}`);
      case 'too_many_attempts':
        return t('error.too_many_attempts', { s: error.retryAfter ?? 60 });
      case 'weak_password':
        return t('error.weak_password', { detail: error.message });
      case 'unknown_site':
        return t('error.unknown_site', { site: vars.site ?? '' });
      case 'forbidden':
      case 'insufficient_scope':
        return t(vars.area === 'privacy' ? 'error.forbiddenPrivacy' : 'error.forbidden');
      case 'invalid_body':
      case 'invalid_query':
        return t('perr.invalid', { detail: error.message });
      default:
        // the privacy office's refusals (server/privacy/*.ts), where the UI has words for them
        if (`perr.${error.code}` in en) return t(`perr.${error.code}` as MessageKey);
        return t('error.generic', { code: error.code });
    }
  }
  return t('error.generic', { code: error instanceof Error ? error.message : String(error) });
}

export function ErrorBox({ error, retry, vars }: { error: unknown; retry?: () => void; vars?: Record<string, string> }) {
  return (
    <div class="error-box" role="alert">
      <p>
        {t('state.error')} <span class="muted">{errorText(error, vars)}</span>
      </p>
      {retry && (
        <button type="button" class="btn btn-small" onClick={retry}>
          {t('state.retry')}
        </button>
      )}
    </div>
  );
}
