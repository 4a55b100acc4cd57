/**
 * The banner on the page: one shadow root (styles.ts) under an <ashiato-consent> element at the end of
 * <body>, drawn afresh from the current state at every change.
 *
 *   'opt-in'    bottom banner: Accept all · Reject all (same size and style) · Choose. Focus moves into it.
 *   'notice'    the same place: Close · Choose. Focus stays where it is.
 *   'settings'  the category switches (required ones on and disabled), Accept all · Reject all · Save
 *               choices, and ×. Focus is moved to the first switch and trapped (Tab, Shift+Tab) until it
 *               closes; Escape closes it, back to the banner underneath or to what had focus before.
 *   0           nothing, or, when the page has no [data-ashiato-consent-open] element, a small
 *               "Cookie settings" button in the corner: changing a choice is never harder than making one.
 *
 * All views are a role="dialog" region labelled by the title and described by the body, with the shown
 * language in `lang`, a ja/en switch, and links to /privacy, /privacy/external-transmission and the
 * visitor's own /privacy/my-data (with this browser's ids in the #fragment) on the API origin. After a
 * choice, focus returns to what opened the banner, else to the corner button or the page's settings link.
 */
import type { BannerConfig, BannerLanguage, BannerTexts, ConsentAction } from '../../server/consent/wire.ts';
import { actionFor, required, type Stored } from './choice.ts';
import { css } from './styles.ts';

export type View = 0 | 'opt-in' | 'notice' | 'settings';

export interface UiDeps {
  /** the current config (another one after a 409) */
  cfg(): BannerConfig;
  /** the language first shown */
  lang: BannerLanguage;
  /** base URL of the privacy pages (the API origin) */
  base: string;
  /** what is accepted now; the switches start from it */
  acc(): string[];
  /** the last recorded choice */
  stored(): Stored | undefined;
  /** a choice, in the language it was made in */
  choose(action: ConsentAction, acc: string[], l: BannerLanguage): void;
  /** /privacy/my-data with this browser's ids in the #fragment, as they are at the moment of asking */
  myData(): string;
}

export interface Ui {
  show(view: View): void;
  open(): void;
}

/** Text for HTML (texts come from the policy, but an ampersand must still print as one). */
const esc = (s: string) => s.replace(/[&<"]/g, (c) => `&#${c.charCodeAt(0)};`);

export const ui = (d: UiDeps): Ui => {
  let lang = d.lang;
  let view: View = 0;
  /** the view the settings panel was opened over */
  let under: View = 0;
  /** the switches' state while the panel is open */
  let sw: string[] = [];
  /** what had focus before the banner took it */
  let opener: Element | null = null;
  const host = document.createElement('ashiato-consent');
  const root = host.attachShadow({ mode: 'open' });
  root.innerHTML = `<style>${css}</style><div></div>`;
  const box = root.lastChild as HTMLElement;
  const $ = (selector: string) => root.querySelector<HTMLElement>(selector);

  const render = (focus?: string | false, cats = d.cfg().cats) => {
    const t = (k: keyof BannerTexts) => esc(d.cfg().t[k][lang]);
    const button = (k: string, text: keyof BannerTexts) => `<button data-k="${k}">${t(text)}</button>`;
    const link = (path: string, text: keyof BannerTexts) => `<a href="${new URL(`${path}?lang=${lang}`, d.base)}" target="_blank">${t(text)}</a>`;
    const panel = view == 'settings';
    box.innerHTML = view
      ? // slides in (class n) only when it appears, not at every redraw
        `<div class="d${$('.d') ? '' : ' n'}" role="dialog" aria-labelledby="h" aria-describedby="b" lang="${lang}" tabindex="-1"${panel ? ' aria-modal="true"' : ''}>` +
        `<div class="r"><h2 id="h">${t('title')}</h2>` +
        (lang == 'ja' ? '<button class="s" data-k="l" lang="en">English</button>' : '<button class="s" data-k="l" lang="ja">日本語</button>') +
        (panel ? `<button class="s" data-k="x" aria-label="${t('dismiss')}">×</button>` : '') +
        `</div><p id="b">${t('body')}</p>` +
        (panel
          ? cats
              .map(
                (c, i) =>
                  `<div class="c"><label><input type="checkbox" role="switch" data-id="${c.id}" aria-describedby="e${i}"` +
                  `${sw.includes(c.id) ? ' checked' : ''}${c.req ? ' disabled' : ''}>${esc(c.label[lang])}</label><p id="e${i}">${esc(c.desc[lang])}</p></div>`,
              )
              .join('')
          : '') +
        `<p>${link('/privacy', 'privacyLink')} · ${link('/privacy/external-transmission', 'externalLink')} · ` +
        // its href is completed with the ids when it is followed (they may arrive after this is drawn)
        `<a href="${d.myData()}" target="_blank" data-m>${lang == 'ja' ? 'あなたのデータ' : 'Your data'}</a></p><div class="a">` +
        (view == 'notice' ? button('n', 'dismiss') : button('a', 'acceptAll') + button('r', 'rejectAll')) +
        (panel ? button('s', 'save') : button('c', 'customize')) +
        '</div></div>'
      : document.querySelector('[data-ashiato-consent-open]')
        ? ''
        : `<button class="s f" data-k="c">${t('settings')}</button>`;
    focus && ($(focus) || $('.d'))?.focus();
  };

  /**
   * Back from the panel (or the banner) to the page: focus returns to the control that opened it; when
   * nothing had focus (the banner opened by itself) or the control is gone, to our corner button or the
   * page's own settings link, never to <body>.
   */
  const refocus = () =>
    (opener != host && opener != document.body && opener?.isConnected
      ? (opener as HTMLElement)
      : $('[data-k=c]') || document.querySelector<HTMLElement>('[data-ashiato-consent-open]')
    )?.focus?.();

  const open = () => {
    if (view != 'settings') {
      opener = document.activeElement;
      under = view;
      view = 'settings';
      sw = d.acc();
      render('input:enabled');
    }
  };
  const close = () => {
    view = under;
    render();
    refocus();
  };
  const choose = (action: ConsentAction, acc: string[]) => {
    const inside = document.activeElement == host;
    view = under = 0;
    render();
    inside && refocus();
    d.choose(action, acc, lang);
  };

  root.addEventListener('click', (e) => {
    const my = (e.target as Element).closest<HTMLAnchorElement>('a[data-m]');
    if (my) my.href = d.myData();
    const k = (e.target as Element).closest<HTMLElement>('[data-k]')?.dataset.k;
    const cats = d.cfg().cats;
    const none = required(cats);
    k == 'l'
      ? ((lang = lang == 'ja' ? 'en' : 'ja'), render('[data-k=l]'))
      : k == 'c'
        ? open()
        : k == 'x'
          ? close()
          : k == 'a'
            ? choose('accept_all', cats.map((c) => c.id))
            : k == 'r'
              ? choose(actionFor(cats, none, d.stored()), none)
              : k == 's'
                ? choose(actionFor(cats, sw, d.stored()), sw)
                : k == 'n' && choose('custom', d.acc());
  });
  root.addEventListener('change', (e) => {
    const input = e.target as HTMLInputElement;
    const id = input.dataset.id!;
    sw = d.cfg().cats.map((c) => c.id).filter((c) => (c == id ? input.checked : sw.includes(c)));
  });
  root.addEventListener('keydown', (e) => {
    const { key, shiftKey } = e as KeyboardEvent;
    if (view == 'settings') {
      if (key == 'Escape') close();
      if (key == 'Tab') {
        // keep focus inside the panel: from the last control to the first, and back
        const all = [...root.querySelectorAll<HTMLElement>('a,button,input:enabled')];
        const i = all.indexOf(root.activeElement as HTMLElement);
        const next = shiftKey ? (i > 0 ? -1 : all.length - 1) : i == all.length - 1 ? 0 : -1;
        if (next >= 0) e.preventDefault(), all[next]!.focus();
      }
    }
  });
  document.body.append(host);

  return {
    show(v) {
      if (v == 'settings') return open();
      opener = document.activeElement;
      view = under = v;
      render(v == 'opt-in' && '.d');
    },
    open,
  };
};
