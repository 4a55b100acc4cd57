import { signal } from '@preact/signals';
import type { MessageKey } from './en.ts';
import { detectLocale, translate, type Locale, type Vars } from './translate.ts';

export type { MessageKey } from './en.ts';
export { localeNames, locales, type Locale } from './translate.ts';

const STORAGE_KEY = 'ashiato.lang';

function stored(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage blocked: fall back to the browser's language
  }
}

/** The UI language: components that call t() re-render when it changes. */
export const locale = signal<Locale>(detectLocale(stored(), navigator.languages?.length ? navigator.languages : [navigator.language]));
document.documentElement.lang = locale.value;

export function setLocale(next: Locale): void {
  locale.value = next;
  document.documentElement.lang = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // not persisted; the switch still works for this page
  }
}

export const t = (key: MessageKey, vars?: Vars): string => translate(locale.value, key, vars);
