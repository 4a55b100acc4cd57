/** Page views: one on load, one per SPA navigation, never two in a row for the same page. */
import { hash } from './config.ts';
import { send } from './send.ts';

/** The last page counted: its URL without the #fragment, unless routing uses the hash. */
let last: string | undefined;

/** Takes (and ignores) one argument so that the history wrappers can hand it their result. */
export const pageview = (_?: unknown): void => {
  const key = location.href.replace(hash ? '' : /#.*/, '');
  // only the first page view of this load carries the referrer; no `n` makes it a page view (no `t` needed)
  if (key != last) send({ r: (!last && document.referrer) || undefined }), (last = key);
};
