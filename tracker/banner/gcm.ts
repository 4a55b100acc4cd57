/**
 * The Google Consent Mode v2 bridge. `window.dataLayer` and `gtag` are defined the standard way when the page
 * has not (gtag must push its `arguments` object: Google's tags look for exactly that). The banner calls
 * `consentMode('default', …)` first thing, before any other tag has run, and `consentMode('update', …)`
 * whenever what is accepted is applied (the stored choice once the config is known, then every new choice).
 */
import { gcmState } from './choice.ts';

const w = window as unknown as { dataLayer?: unknown[]; gtag?: (...args: unknown[]) => void };
w.dataLayer ||= [];
w.gtag ||= function () {
  // looked up at each call, as the standard snippet does
  w.dataLayer!.push(arguments);
};

/** `gtag('consent', 'default' | 'update', …)` for what is accepted; the default waits 500 ms for an update. */
export const consentMode = (kind: 'default' | 'update', acc: string[]): void =>
  w.gtag!('consent', kind, Object.assign(gcmState(acc), kind == 'default' && { wait_for_update: 500 }));
