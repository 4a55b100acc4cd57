import { z } from 'zod';
import { feeableTypes, itemIds, requestTypes, type ItemId } from './wire.ts';

/**
 * The machine-readable privacy policy. The server enforces it (what is collected, for how long, under which
 * consent mode) and the public notice pages are rendered from it, so what the site says and what it does
 * cannot drift apart.
 */

const text = z.string().trim().min(1);
/** Every public-facing string exists in both Japanese and English. */
export const localized = z.strictObject({ ja: text, en: text });
export type Localized = z.infer<typeof localized>;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');
const days = z.number().int().positive();
const countryCode = z.string().regex(/^[A-Z]{2}$/, 'expected an ISO 3166-1 alpha-2 country code such as "DE"');
const slug = z.string().regex(/^[a-z][a-z0-9_-]*$/, 'expected a lower-case id such as "site_usage"');

/** The data items ashiato can collect; ingest drops any field whose item the policy does not list. */
export { itemIds, type ItemId };
/** Every stored event has a time and a visitor identifier (a cookie id, or a daily hash without one). */
export const requiredItemIds: readonly ItemId[] = ['access_time', 'visitor_id'];

/**
 * APPI classes: cookie ids and browsing history are personally referable information (個人関連情報);
 * they become personal data only when linked to a person, which ashiato never does.
 */
export const legalClasses = ['personally_referable', 'personal', 'statistics'] as const;

export const item = z.strictObject({
  id: z.enum(itemIds),
  label: localized,
  description: localized.optional(),
  purposes: z.array(slug).min(1, 'every collected item needs at least one purpose'),
  legalClass: z.enum(legalClasses),
  retentionDays: days,
});

export const purpose = z.strictObject({ id: slug, label: localized });

export const consentModes = ['opt-in', 'notice', 'opt-out'] as const;

export const consentCategory = z.strictObject({
  id: slug,
  label: localized,
  description: localized,
  /** strictly necessary categories cannot be switched off and need no consent */
  required: z.boolean().default(false),
});

/** What the consent banner says, in the company's own words (the category texts come from the categories). */
export const bannerTexts = z.strictObject({
  title: localized,
  body: localized,
  acceptAll: localized,
  rejectAll: localized,
  customize: localized,
  save: localized,
  /** notice-mode banners: the one button that closes the notice */
  dismiss: localized,
  /** the link to /privacy */
  privacyLink: localized,
  /** the link to /privacy/external-transmission */
  externalLink: localized,
  /** the persistent "cookie settings" link or button */
  settings: localized,
});

export const consent = z.strictObject({
  banner: bannerTexts,
  defaultMode: z.enum(consentModes),
  /** used when the visitor's country cannot be determined; the cautious choice is opt-in */
  unknownCountryMode: z.enum(consentModes).default('opt-in'),
  regions: z.array(
    z.strictObject({ name: localized, mode: z.enum(consentModes), countries: z.array(countryCode).min(1) }),
  ),
  categories: z.array(consentCategory).min(1),
});

/** A tag that makes the browser send data to someone else (TBA external-transmission rule). */
export const externalTag = z.strictObject({
  id: slug,
  name: text,
  recipient: localized,
  category: slug,
  sends: localized,
  purpose: localized,
  // only web links: a javascript: or data: URL must never reach a public page
  optOutUrl: z.url({ protocol: /^https?$/ }).optional(),
  privacyUrl: z.url({ protocol: /^https?$/ }).optional(),
});

export const processor = z.strictObject({ name: localized, task: localized });

export const jointUse = z.strictObject({
  items: localized,
  parties: localized,
  purpose: localized,
  responsible: localized,
});

/** APPI 33–35 request types; only purpose notification and disclosure may carry a fee (APPI 38). */
export { requestTypes };

export const requests = z
  .strictObject({
    responseDays: days,
    fees: z.partialRecord(z.enum(requestTypes), z.number().int().nonnegative()),
    procedure: localized,
    identityDocuments: z.array(localized).min(1),
    agentDocuments: localized,
    nonDisclosureReasons: z.array(z.strictObject({ id: slug, label: localized })).min(1),
  })
  .superRefine((value, ctx) => {
    for (const [type, fee] of Object.entries(value.fees)) {
      if (fee && !(feeableTypes as ReadonlySet<string>).has(type)) {
        ctx.addIssue({
          code: 'custom',
          path: ['fees', type],
          message: `a fee may be charged only for purpose_notification or disclosure (APPI 38), not ${type}`,
        });
      }
    }
  });

/** How long each kind of record other than collected items is kept. */
export const retention = z.strictObject({
  salts_hours: z.number().int().min(24).max(72).default(48),
  consent_receipts_days: days,
  case_documents_days: days,
  provision_records_days: days,
  audit_log_days: days,
});

/** A custom-event property key as the tracker sends it. */
const propKey = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'expected a property key such as "plan"');

/**
 * Record-level anonymously processed information (APPI 43, PPC rules 34): how datasets are built.
 * Every field has a default, so a policy without this section still parses.
 */
export const anonymization = z.strictObject({
  /** the minimum number of visitors sharing a record's quasi-identifiers; statistics.minCellSize when absent */
  k: z.number().int().min(2).optional(),
  /** the finest time a record keeps: its hour, or only its day */
  time: z.enum(['hour', 'day']).default('day'),
  /** custom-event property keys whose values may appear in a dataset (rare values are still suppressed) */
  props: z.array(propKey).default([]),
  /** page titles are free text: they appear only when this is on, and rare ones are still suppressed */
  titles: z.boolean().default(false),
  /** per-visit counts (page views, events) above this are written as this value */
  topCode: z.number().int().min(1).default(20),
  /** visit durations above this many minutes are written as this value */
  durationTopMinutes: z.number().int().min(1).default(60),
  /** a visitor's records beyond this many are left out, so no long sequence singles anyone out */
  maxRecordsPerVisitor: z.number().int().min(1).default(30),
});
export type AnonymizationPolicy = z.infer<typeof anonymization>;

export const policySchema = z
  .strictObject({
    $schema: z.string().optional(),
    controller: z.strictObject({
      name: localized,
      address: localized,
      representative: localized,
      contact: z.strictObject({
        window: localized,
        email: z.email().optional(),
        phone: text.optional(),
        hours: localized,
      }),
    }),
    purposes: z.array(purpose).min(1),
    items: z.array(item).min(1),
    ip: z
      .strictObject({
        ipv4Prefix: z.number().int().min(0).max(24).default(24),
        ipv6Prefix: z.number().int().min(0).max(48).default(48),
      })
      .default({ ipv4Prefix: 24, ipv6Prefix: 48 }),
    /** whether a first-party cookie may be used at all (consent and regional mode decide the rest) */
    cookie: z.strictObject({ enabled: z.boolean().default(true), lifetimeDays: z.number().int().positive().max(395) }),
    consent,
    externalTags: z.array(externalTag).default([]),
    processors: z.array(processor).default([]),
    jointUse: jointUse.optional(),
    thirdPartyProvision: z.strictObject({ legalGrounds: z.array(z.strictObject({ id: slug, label: localized })).min(1) }),
    requests,
    securityMeasures: z.array(localized).min(1),
    retention,
    statistics: z
      .strictObject({
        minCellSize: z.number().int().min(2).default(10),
        /** optional Laplace noise on published statistics (server/stats/published.ts); off unless enabled */
        differentialPrivacy: z
          .strictObject({ enabled: z.boolean().default(false), epsilon: z.number().positive().max(10).default(1) })
          .default({ enabled: false, epsilon: 1 }),
      })
      .default({ minCellSize: 10, differentialPrivacy: { enabled: false, epsilon: 1 } }),
    anonymization: anonymization.default(anonymization.parse({})),
    /**
     * roles that sign in with a second factor (TOTP). Empty by default until the dashboard has its enrolment
     * page: the API enforces it already, and a role listed here without that page could not use the dashboard.
     */
    staff: z
      .strictObject({ secondFactorRoles: z.array(z.enum(['admin', 'marketer', 'privacy'])).default([]) })
      .default({ secondFactorRoles: [] }),
    revisions: z.array(z.strictObject({ date: isoDate, summary: localized })).min(1),
  })
  .superRefine((policy, ctx) => {
    const purposeIds = new Set(policy.purposes.map((p) => p.id));
    policy.items.forEach((it, i) => {
      it.purposes.forEach((p, j) => {
        if (!purposeIds.has(p)) {
          ctx.addIssue({ code: 'custom', path: ['items', i, 'purposes', j], message: `unknown purpose "${p}"` });
        }
      });
    });
    for (const required of requiredItemIds) {
      if (!policy.items.some((it) => it.id === required)) {
        ctx.addIssue({ code: 'custom', path: ['items'], message: `item "${required}" must be listed: every stored event has a time and a visitor identifier` });
      }
    }
    const seen = new Set<string>();
    policy.items.forEach((it, i) => {
      if (seen.has(it.id)) ctx.addIssue({ code: 'custom', path: ['items', i, 'id'], message: `item "${it.id}" is listed twice` });
      seen.add(it.id);
    });
    const categoryIds = new Set(policy.consent.categories.map((c) => c.id));
    policy.externalTags.forEach((tag, i) => {
      if (!categoryIds.has(tag.category)) {
        ctx.addIssue({ code: 'custom', path: ['externalTags', i, 'category'], message: `unknown consent category "${tag.category}"` });
      }
    });
    const dates = policy.revisions.map((r) => r.date);
    if (dates.some((d, i) => i > 0 && d < dates[i - 1]!)) {
      ctx.addIssue({ code: 'custom', path: ['revisions'], message: 'revisions must be listed oldest first' });
    }
  });

export type Policy = z.infer<typeof policySchema>;
export type PolicyInput = z.input<typeof policySchema>;
export type PolicyItem = z.infer<typeof item>;

/** k for anonymized datasets: the policy's own, else the statistics' minimum cell size. */
export function datasetK(policy: Pick<Policy, 'anonymization' | 'statistics'>): number {
  return policy.anonymization.k ?? policy.statistics.minCellSize;
}
export type ConsentModeName = (typeof consentModes)[number];
