import { en, type MessageKey, type Messages } from './en.ts';
import { ja } from './ja.ts';

export const locales = ['en', 'ja'] as const;
export type Locale = (typeof locales)[number];

export const dictionaries: Record<Locale, Messages> = { en, ja };

/** The language's own name, for the switch. */
export const localeNames: Record<Locale, string> = { en: 'English', ja: '日本語' };

export type Vars = Record<string, string | number>;

/** A message with `{name}` placeholders filled in; an unknown placeholder is left as written. */
export function translate(locale: Locale, key: MessageKey, vars?: Vars): string {
  const text = dictionaries[locale][key];
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export const isLocale = (value: unknown): value is Locale => (locales as readonly unknown[]).includes(value);

/** The stored choice, else the browser's first language we speak (ja-JP → ja), else English. */
export function detectLocale(stored: string | null | undefined, languages: readonly string[]): Locale {
  if (isLocale(stored)) return stored;
  for (const tag of languages) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLocale(base)) return base;
  }
  return 'en';
}
