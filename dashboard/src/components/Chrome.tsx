/**
 * The frame around every staff page: brand, site switcher, the Share button, language switch, the user's
 * menu; for privacy staff and admins, a row of sections (statistics and the privacy office's pages).
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { locale, localeNames, locales, setLocale, t } from '../i18n/index.ts';
import { logout } from '../lib/api.ts';
import { linkClick, navigate, route } from '../lib/router.ts';
import { canSeePrivacy, canSeeStats, parsePrivacyPath, privacyPath } from '../state/privacy.ts';
import { me, resetSession, sites } from '../state/session.ts';
import { RealtimeCounter } from './Realtime.tsx';
import { ShareButton } from './ShareDialog.tsx';

export function Brand() {
  return (
    <span class="brand">
      <svg class="brand-mark" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true">
        <ellipse cx="8" cy="15" rx="3.2" ry="5" transform="rotate(-12 8 15)" />
        <ellipse cx="16.5" cy="8.5" rx="3.2" ry="5" transform="rotate(12 16.5 8.5)" opacity="0.55" />
      </svg>
      <span class="brand-name">ashiato</span>
    </span>
  );
}

export function LanguageSwitch() {
  return (
    <div class="segmented" role="group" aria-label={t('nav.language')}>
      {locales.map((l) => (
        <button key={l} type="button" lang={l} aria-pressed={locale.value === l} aria-label={localeNames[l]} onClick={() => setLocale(l)}>
          <span class="long">{localeNames[l]}</span>
          <span class="short" aria-hidden="true">
            {l.toUpperCase()}
          </span>
        </button>
      ))}
    </div>
  );
}

function SiteSwitcher({ site }: { site: string }) {
  const list = sites.value;
  if (!list || list.length < 2) return <span class="site-name">{site}</span>;
  return (
    <label class="site-switcher">
      <span class="sr-only">{t('nav.site')}</span>
      <select
        value={site}
        onChange={(e) => {
          // the range carries over; filters belong to the site they were set on
          const q = new URLSearchParams(location.search);
          for (const key of [...q.keys()]) if (/^fn?\./.test(key) || key === 'details') q.delete(key);
          const query = q.toString();
          navigate(`/app/${encodeURIComponent(e.currentTarget.value)}${query ? `?${query}` : ''}`);
        }}
      >
        {list.some((s) => s.id === site) ? null : <option value={site}>{site}</option>}
        {list.map((s) => (
          <option key={s.id} value={s.id}>
            {s.id}
          </option>
        ))}
      </select>
    </label>
  );
}

function UserMenu() {
  const ref = useRef<HTMLDetailsElement>(null);
  // close on Escape and on a click elsewhere, as a menu should
  useEffect(() => {
    const close = (e: Event) => {
      const el = ref.current;
      if (!el?.open) return;
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !el.contains(e.target as Node)) {
        el.open = false;
        if (e instanceof KeyboardEvent) el.querySelector('summary')?.focus();
      }
    };
    document.addEventListener('click', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('click', close);
      document.removeEventListener('keydown', close);
    };
  }, []);
  const user = me.value?.user;
  if (!user) return null;
  async function signOut() {
    try {
      await logout();
    } finally {
      resetSession();
      navigate('/', { replace: true });
    }
  }
  return (
    <details class="menu" ref={ref}>
      <summary class="avatar" aria-label={t('nav.signedIn', { email: user.email })}>
        {(user.displayName ?? user.email).slice(0, 1).toUpperCase()}
      </summary>
      <div class="menu-panel">
        <p class="menu-who">{t('nav.signedIn', { email: user.email })}</p>
        <a class="menu-item" href="/app/password" onClick={linkClick}>
          {t('nav.password')}
        </a>
        <button type="button" class="menu-item" onClick={signOut}>
          {t('nav.logout')}
        </button>
      </div>
    </details>
  );
}

/** The sections row: only for those who may see the privacy pages (marketers see the overview alone). */
function SectionNav() {
  const who = me.value;
  if (!canSeePrivacy(who) || who?.user.mustChangePassword) return null;
  const { path } = route.value;
  const page = parsePrivacyPath(path);
  const at = page && page !== 'unknown' ? page.page : null;
  const items: { href: string; label: string; current: boolean }[] = [];
  if (canSeeStats(who)) items.push({ href: '/app', label: t('nav.stats'), current: page === null && path !== '/app/password' });
  items.push(
    { href: privacyPath.cases, label: t('nav.cases'), current: at === 'cases' || at === 'case' || at === 'new-case' },
    { href: privacyPath.receipts, label: t('nav.receipts'), current: at === 'receipts' },
    { href: privacyPath.provisions, label: t('nav.provisions'), current: at === 'provisions' },
    { href: privacyPath.releases, label: t('nav.releases'), current: at === 'releases' },
    { href: privacyPath.audit, label: t('nav.audit'), current: at === 'audit' },
  );
  return (
    <nav class="topnav" aria-label={t('nav.sections')}>
      <ul>
        {items.map((item) => (
          <li key={item.href}>
            <a href={item.href} onClick={linkClick} aria-current={item.current ? 'page' : undefined}>
              {item.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** The one-card page of sign-in, password change and a shared link's prompts: language switch in the corner. */
export function AuthCard({ class: extra, children }: { class?: string; children: ComponentChildren }) {
  return (
    <div class="auth-page">
      <div class="auth-corner">
        <LanguageSwitch />
      </div>
      <main class={`auth-card${extra ? ` ${extra}` : ''}`} id="main">
        <Brand />
        {children}
      </main>
    </div>
  );
}

export function TopBar({ site }: { site?: string }) {
  return (
    <header class="topbar">
      <a class="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <div class="topbar-inner">
        <a href="/app" class="brand-link" onClick={linkClick}>
          <Brand />
        </a>
        {site && <SiteSwitcher site={site} />}
        {site && <RealtimeCounter site={site} />}
        <span class="spacer" />
        {site && <ShareButton site={site} />}
        <LanguageSwitch />
        <UserMenu />
      </div>
      <SectionNav />
    </header>
  );
}
