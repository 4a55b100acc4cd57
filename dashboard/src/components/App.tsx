/**
 * Routes on the client: `/` signs in; `/app` picks a site (privacy staff, who read no statistics, go to their
 * cases instead); `/app/<site>` is its overview; `/app/password`; `/app/privacy/<page>…` are the privacy
 * office's pages; `/share/<token>` is a shared link's public view, which never asks who is signed in.
 */
import { useEffect } from 'preact/hooks';
import { t } from '../i18n/index.ts';
import { fetchMe, whenSignedOut } from '../lib/api.ts';
import { navigate, route } from '../lib/router.ts';
import { loadSites, me, resetSession, sites } from '../state/session.ts';
import { ChangePassword } from './ChangePassword.tsx';
import { TopBar } from './Chrome.tsx';
import { Login } from './Login.tsx';
import { Overview } from './Overview.tsx';
import { SharedApp } from './SharedView.tsx';
import { Skeleton } from './States.tsx';
import { shareToken } from '../state/share.ts';
import { canSeePrivacy, canSeeStats, parsePrivacyPath, privacyPath } from '../state/privacy.ts';
import { PrivacyApp } from './privacy/PrivacyApp.tsx';

whenSignedOut((reason) => {
  if (reason === 'password_change_required' && me.value) me.value = { ...me.value, user: { ...me.value.user, mustChangePassword: true } };
  else {
    resetSession();
    const here = location.pathname + location.search;
    navigate(`/?next=${encodeURIComponent(here)}`, { replace: true });
  }
});

function SitePicker() {
  const who = me.value;
  const privacyOnly = !canSeeStats(who) && canSeePrivacy(who);
  useEffect(() => {
    if (privacyOnly) navigate(privacyPath.cases, { replace: true });
    else void loadSites();
  }, [privacyOnly]);
  const list = privacyOnly ? undefined : sites.value;
  useEffect(() => {
    if (list?.length) navigate(`/app/${encodeURIComponent(list[0]!.id)}${location.search}`, { replace: true });
  }, [list]);
  return (
    <>
      <TopBar />
      <main class="page" id="main">
        {list === undefined ? <Skeleton lines={3} /> : list === null ? <p class="notice">{t('sites.unavailable')}</p> : list.length === 0 ? <p class="notice">{t('sites.none')}</p> : null}
      </main>
    </>
  );
}

export function App() {
  const token = shareToken(route.value.path);
  return token ? <SharedApp token={token} /> : <StaffApp />;
}

function StaffApp() {
  useEffect(() => {
    fetchMe().then(
      (who) => (me.value = who),
      () => (me.value = null),
    );
  }, []);

  const { path, search } = route.value;
  const who = me.value;
  const inApp = path === '/app' || path.startsWith('/app/');

  useEffect(() => {
    if (who === undefined) return;
    if (who && !inApp) navigate('/app', { replace: true });
    if (who === null && inApp) navigate(`/?next=${encodeURIComponent(path + search)}`, { replace: true });
  }, [who, inApp]);

  if (who === undefined || (who && !inApp)) {
    return (
      <div class="boot" aria-busy="true">
        <span class="sr-only">{t('state.loading')}</span>
      </div>
    );
  }
  if (!who || !inApp) return <Login />;
  if (who.user.mustChangePassword) return <ChangePassword forced />;
  if (path === '/app/password') return <ChangePassword forced={false} />;
  const privacy = parsePrivacyPath(path);
  if (privacy) return <PrivacyApp page={privacy} />;
  const site = decodeURIComponent(path.slice('/app/'.length).split('/')[0] ?? '');
  if (!site) return <SitePicker />;
  if (!who.user.scopes.includes('stats:read')) {
    return (
      <>
        <TopBar />
        <main class="page" id="main">
          <p class="notice">{t('error.forbidden')}</p>
        </main>
      </>
    );
  }
  return <Overview site={site} />;
}
