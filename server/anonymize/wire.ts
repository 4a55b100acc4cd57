/** The anonymized-datasets API's bodies and answers, as the dashboard reads them (type-only). */
export type { CreateReleaseInput, DisclosureInput, DisclosureView, NoticeInput, NoticeView, ReleaseColumnsView, ReleaseView } from './index.ts';
