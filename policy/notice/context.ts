import type { LoadedPolicy } from '../load.ts';
import type { Localized, Policy } from '../schema.ts';
import { labels, type Lang, type NoticeLabels } from './labels.ts';

/** What every section renderer needs: the policy, the language, its labels. */
export interface NoticeContext {
  policy: Policy;
  revision: string;
  lang: Lang;
  t: NoticeLabels;
  /** a policy string in the page's language */
  text(value: Localized): string;
}

export function noticeContext(loaded: LoadedPolicy, lang: Lang): NoticeContext {
  return { policy: loaded.policy, revision: loaded.revision, lang, t: labels[lang], text: (value) => value[lang] };
}
