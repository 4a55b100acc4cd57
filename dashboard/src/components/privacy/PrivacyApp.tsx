/**
 * The privacy office's pages under /app/privacy/…: cases, a new case, one case, consent receipts, provision
 * records, anonymized datasets, the audit log. Only for privacy staff and admins: anyone else gets a refusal
 * here (the API refuses them anyway), and the navigation never offers these pages to them.
 */
import { t } from '../../i18n/index.ts';
import { me } from '../../state/session.ts';
import { canSeePrivacy, type PrivacyPage } from '../../state/privacy.ts';
import { TopBar } from '../Chrome.tsx';
import { AuditPage } from './Audit.tsx';
import { CasePage } from './CasePage.tsx';
import { CasesPage, NewCasePage } from './Cases.tsx';
import { ProvisionsPage } from './Provisions.tsx';
import { ReceiptsPage } from './Receipts.tsx';
import { ReleasesPage } from './Releases.tsx';

function Page({ page }: { page: PrivacyPage }) {
  switch (page.page) {
    case 'cases':
      return <CasesPage />;
    case 'new-case':
      return <NewCasePage />;
    case 'case':
      return <CasePage key={page.id} id={page.id} />;
    case 'receipts':
      return <ReceiptsPage />;
    case 'provisions':
      return <ProvisionsPage />;
    case 'releases':
      return <ReleasesPage />;
    case 'audit':
      return <AuditPage />;
  }
}

export function PrivacyApp({ page }: { page: PrivacyPage | 'unknown' }) {
  const allowed = canSeePrivacy(me.value);
  return (
    <>
      <TopBar />
      <main class="page privacy-page" id="main">
        {!allowed ? (
          <p class="notice">{t('error.forbiddenPrivacy')}</p>
        ) : page === 'unknown' ? (
          <p class="notice">{t('error.notFoundPage')}</p>
        ) : (
          <Page page={page} />
        )}
      </main>
    </>
  );
}
