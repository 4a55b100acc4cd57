/**
 * The policy's lists that the browser needs too, as plain values (policy/schema.ts builds its zod schema
 * from them): the dashboard imports these instead of the schema, which would pull zod into its bundle.
 */

/** Every public-facing string exists in both Japanese and English. */
export type Localized = Record<'ja' | 'en', string>;

/** The data items ashiato can collect; ingest drops any field whose item the policy does not list. */
export const itemIds = ['access_time', 'visitor_id', 'ip_address', 'page_url', 'page_title', 'referrer', 'device_info', 'country', 'custom_events'] as const;
export type ItemId = (typeof itemIds)[number];

/** APPI 33–35 request types. */
export const requestTypes = ['purpose_notification', 'disclosure', 'correction', 'addition', 'deletion', 'suspension', 'stop_third_party_provision', 'complaint'] as const;
export type RequestType = (typeof requestTypes)[number];

/** APPI 38: only these request types may carry a fee. */
export const feeableTypes: ReadonlySet<RequestType> = new Set<RequestType>(['purpose_notification', 'disclosure']);
