import type { Lang } from './labels.ts';

/** Where the public privacy pages live (same origin as the notices; `myData` is served by server/privacy). */
export const noticePaths = {
  privacy: '/privacy',
  external: '/privacy/external-transmission',
  myData: '/privacy/my-data',
  anonymized: '/privacy/anonymized',
} as const;

export type NoticePage = keyof typeof noticePaths;

/** A same-origin link to a page in a given language. */
export function pageHref(page: NoticePage, lang: Lang, fragment?: string): string {
  return `${noticePaths[page]}?lang=${lang}${fragment ? `#${fragment}` : ''}`;
}
