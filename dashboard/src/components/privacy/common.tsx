/** Pieces the privacy pages share: the page's head, status and due-date badges, field errors, chain checks. */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import { fetchPrivacyPolicy, type ChainReport, type ReceiptChainReport } from '../../lib/api.ts';
import { useRemote } from '../../lib/use-remote.ts';
import { chainResult, dueMessage, type ChainResult, dueState, statusKey, type CaseStatus, type Problem, type PrivacyPolicyView } from '../../state/privacy.ts';
import type { CaseView } from '../../lib/api.ts';
import { ErrorBox, errorText, Skeleton } from '../States.tsx';

export function PageHead({ title, intro, children }: { title: string; intro?: string; children?: ComponentChildren }) {
  return (
    <div class="page-head">
      <div class="page-head-text">
        <h1>{title}</h1>
        {intro && <p class="muted">{intro}</p>}
      </div>
      {children && <div class="page-head-tools">{children}</div>}
    </div>
  );
}

export function StatusBadge({ status }: { status: CaseStatus }) {
  return (
    <span class={`status status-${status}`} data-status={status}>
      {t(statusKey(status))}
    </span>
  );
}

/** "3 days overdue" (as a badge), "Due today", "Due in 5 days"; nothing once closed. */
export function DueNote({ c, now, badge = true }: { c: Pick<CaseView, 'status' | 'dueAt' | 'overdue'>; now: number; badge?: boolean }) {
  const state = dueState(c, now);
  const message = dueMessage(state);
  if (!message) return null;
  return (
    <span class={`due due-${state.kind}`}>
      <span class={badge && state.kind === 'overdue' ? 'due-text badge badge-bad' : 'due-text'}>{t(message.key, message.vars)}</span>
    </span>
  );
}

export function FieldProblem({ id, problem }: { id: string; problem: Problem | undefined }) {
  if (!problem) return null;
  return (
    <span class="field-problem" id={id}>
      {t(problem.key, problem.vars)}
    </span>
  );
}

/** `aria-invalid` and `aria-describedby` for a field with a problem. */
export const invalid = (id: string, problem: Problem | undefined) =>
  problem ? { 'aria-invalid': 'true' as const, 'aria-describedby': id } : {};

/** The running policy's lists; the same answer for every page that asks. */
export function usePolicy() {
  return useRemote<PrivacyPolicyView>('privacy-policy', (signal) => fetchPrivacyPolicy(signal));
}

/** Where a page needs the policy's lists and the server gave none: say so instead of the form. */
export function PolicyMissing({ error }: { error: unknown }) {
  return (
    <p class="notice notice-warn" role="note">
      {t('error.policyMissing')} <span class="muted">{errorText(error, { area: 'privacy' })}</span>
    </p>
  );
}

/** "Verify chain": runs the server's check and says what it found, in a live region. */
export function VerifyChain({ verify }: { verify: () => Promise<ChainReport | ReceiptChainReport> }) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ report: ChainResult } | { error: unknown } | null>(null);
  async function run() {
    setBusy(true);
    setResult(null);
    try {
      setResult({ report: chainResult(await verify()) });
    } catch (error) {
      setResult({ error });
    } finally {
      setBusy(false);
    }
  }
  // translated here, not when it arrived, so a language switch carries over
  const ok = !!result && 'report' in result && result.report.ok;
  const text = !result
    ? ''
    : 'error' in result
      ? errorText(result.error, { area: 'privacy' })
      : result.report.ok
        ? t(result.report.key, result.report.vars)
        : t(result.report.key, { ...result.report.vars, reason: t(result.report.reason) });
  return (
    <div class="verify">
      <button type="button" class="btn" onClick={run} disabled={busy} data-testid="verify-chain">
        <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
          <path d="M8 1.5l5.5 2v4c0 3.3-2.3 5.9-5.5 7-3.2-1.1-5.5-3.7-5.5-7v-4z" />
          <path d="M5.5 8.2l1.8 1.8 3.3-3.6" />
        </svg>
        {busy ? t('verify.busy') : t('verify.button')}
      </button>
      <p class={`verify-result${result ? (ok ? ' ok' : ' bad') : ''}`} role="status" data-testid="verify-result">
        {text}
      </p>
    </div>
  );
}

/** Saves a file the browser received (an export) under its name. */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A short hash for tables, the whole one on hover and for screen readers. */
export function ShortHash({ hash }: { hash: string | null }) {
  if (!hash) return <span class="muted">{t('common.none')}</span>;
  return (
    <code class="hash" title={hash}>
      {hash.slice(0, 12)}…
    </code>
  );
}

/** A list's first page (by `key`), and the pages "Load more" added. */
export function usePaged<T>(key: string, first: (signal: AbortSignal) => Promise<{ items: T[]; nextCursor: string | null }>, more: (cursor: string) => Promise<{ items: T[]; nextCursor: string | null }>) {
  const head = useRemote(key, first);
  const [extra, setExtra] = useState<{ key: string; items: T[]; nextCursor: string | null } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const mine = extra?.key === key ? extra : null;
  const items = head.data ? [...head.data.items, ...(mine?.items ?? [])] : undefined;
  const nextCursor = mine ? mine.nextCursor : (head.data?.nextCursor ?? null);
  async function loadMore() {
    if (!nextCursor) return;
    setBusy(true);
    setError(null);
    try {
      const page = await more(nextCursor);
      setExtra({ key, items: [...(mine?.items ?? []), ...page.items], nextCursor: page.nextCursor });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return { head, items, nextCursor, loadMore, busy, error };
}
/** "50 shown · Load more", with the error of a failed page. */
export function Pager({ shown, more, busy, error }: { shown: number; more: (() => void) | null; busy: boolean; error: unknown }) {
  return (
    <div class="pager">
      <span class="muted">{t('common.shown', { n: shown })}</span>
      {more && (
        <button type="button" class="btn btn-small" onClick={more} disabled={busy} data-testid="load-more">
          {busy ? t('common.loadingMore') : t('common.more')}
        </button>
      )}
      {error !== null && (
        <span class="form-error" role="alert">
          {errorText(error, { area: 'privacy' })}
        </span>
      )}
    </div>
  );
}

/**
 * A paged list's states in one place: the error of the first page, a skeleton while it loads, the empty
 * message, or the table (dimmed while a newer first page loads) with its pager.
 */
export function PagedList<T>({
  paged,
  empty,
  skeleton = 6,
  children,
}: {
  paged: ReturnType<typeof usePaged<T>>;
  empty: string;
  skeleton?: number;
  children: (items: T[]) => ComponentChildren;
}) {
  const { head, items } = paged;
  if (head.error && !items) return <ErrorBox error={head.error} retry={head.retry} vars={{ area: 'privacy' }} />;
  if (!items)
    return (
      <div class="card card-pad">
        <Skeleton lines={skeleton} />
      </div>
    );
  if (items.length === 0)
    return (
      <div class="card empty">
        <p class="empty-title">{empty}</p>
      </div>
    );
  return (
    <div class={`card table-card${head.loading ? ' stale' : ''}`}>
      {children(items)}
      <Pager shown={items.length} more={paged.nextCursor ? paged.loadMore : null} busy={paged.busy} error={paged.error} />
    </div>
  );
}
