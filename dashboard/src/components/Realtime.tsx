/** "N current visitors": polls /realtime every 30 s while the tab is visible. */
import { useEffect, useState } from 'preact/hooks';
import { locale, t } from '../i18n/index.ts';
import { fetchRealtime } from '../lib/api.ts';
import { formatNumber } from '../lib/format.ts';

export const REALTIME_POLL_MS = 30_000;

export function RealtimeCounter({ site }: { site: string }) {
  const [visitors, setVisitors] = useState<number | null>(null);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let controller: AbortController | undefined;
    const poll = async () => {
      clearTimeout(timer);
      controller?.abort();
      if (document.hidden) return; // resumed by visibilitychange
      controller = new AbortController();
      try {
        setVisitors((await fetchRealtime(site, controller.signal)).visitors);
      } catch {
        // keep the last number; the next poll tries again
      }
      timer = setTimeout(poll, REALTIME_POLL_MS);
    };
    const onVisibility = () => {
      if (document.hidden) {
        clearTimeout(timer);
        controller?.abort();
      } else void poll();
    };
    setVisitors(null);
    void poll();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      clearTimeout(timer);
      controller?.abort();
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [site]);

  const n = visitors ?? 0;
  const text = t(new Intl.PluralRules(locale.value).select(n) === 'one' ? 'realtime.one' : 'realtime.other', { n: formatNumber(n, locale.value) });
  return (
    <p class={`realtime${visitors ? ' live' : ''}`} title={t('realtime.title')} aria-live="polite" aria-atomic="true" data-visitors={visitors ?? ''}>
      <span class="pulse" aria-hidden="true" />
      <span>{visitors === null ? '…' : text}</span>
    </p>
  );
}
