/**
 * ashiato.links.js, the add-on the core script (index.ts) loads when its tag has data-outbound, data-downloads
 * or data-events. It reads those settings from the core's tag (`ashiato.d`) and sends through the public
 * `ashiato(name, {props})`, so consent, opt-out, the cookie id and the wait for the first answer all stay in
 * the core. Navigation is never delayed or prevented.
 *
 *   data-outbound   'Outbound Link: Click' (prop url) for links to other hosts
 *   data-downloads  'File Download' (prop url): empty for the default extensions, or "pdf,zip,…"
 *   data-events     elements tagged data-ashiato-event (props from data-ashiato-prop-<key>): a click, a form's submit
 */
import type { Ashiato } from './index.ts';
import { downloadPattern } from './parse.ts';

/** the core's `window.ashiato`, looked up at each call (6 B gzip less than keeping a copy) */
declare const ashiato: Ashiato;
/** the core tag's dataset */
const data = ashiato.d!;
const downloads = downloadPattern(data.downloads);

/**
 * One listener for click, auxclick (a middle click opens a new tab) and submit. A tagged form fires on
 * submit, any other tagged element on click; a link fires on left or middle click. The parameters after
 * the event are locals (the browser passes only the event): declared here, they cost no `let`.
 */
const onAction = (
  e: Event,
  target = e.target as Element,
  tagged?: HTMLElement | null | false,
  link?: HTMLAnchorElement | null,
  name?: string | false | null,
  props: Record<string, string> = {},
): void => {
  // no right clicks (a submit event has no button at all); a target that is no element has no closest()
  if (!((e as MouseEvent).button > 1)) {
    tagged = 'events' in data && target.closest?.<HTMLElement>('[data-ashiato-event]');
    if (tagged && (tagged.tagName == 'FORM') == (e.type == 'submit')) {
      // props from data-ashiato-prop-<key>="value"
      for (const a of tagged.attributes) (name = a.name.split('data-ashiato-prop-')[1]) && (props[name] = a.value);
      ashiato(tagged.dataset.ashiatoEvent!, { props });
    }
    link = target.closest?.<HTMLAnchorElement>('a[href]');
    // a download first (on any host), else an outbound link; mailto:, tel: and javascript: links have no host
    (name =
      link &&
      (downloads?.test(link.pathname)
        ? 'File Download'
        : 'outbound' in data && link.host && link.host != location.host && 'Outbound Link: Click')) &&
      ashiato(name, { props: { url: link!.href } });
  }
};
addEventListener('click', onAction);
addEventListener('auxclick', onAction);
addEventListener('submit', onAction);
