/**
 * The banner's pure parts in plain Node (tracker/banner/choice.ts, hash.ts): the consent cookie, the
 * decisions per mode, the action a choice is recorded as, the text a receipt's hash covers, and the Google
 * Consent Mode mapping. Everything on the page is test/e2e/banner.test.ts's job.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../policy/load.ts';
import { bannerConfig } from '../../server/consent/banner-config.ts';
import type { BannerConfig } from '../../server/consent/wire.ts';
import type { ConsentMode } from '../../server/ingest/wire.ts';
import { ANALYTICS } from '../../tracker/src/parse.ts';
import {
  actionFor,
  consentCookie,
  COOKIE_MAX_AGE,
  decide,
  defaults,
  gcmState,
  keep,
  parseStored,
  required,
  textToHash,
  type Stored,
} from '../../tracker/banner/choice.ts';
import { sha256 } from '../../tracker/banner/hash.ts';
import { sendingFor } from '../../tracker/banner/sending.ts';

/** The config the server gives for the default policy (categories necessary, analytics, external_analytics). */
const config = (m: ConsentMode = 'opt-in'): BannerConfig => ({ ...bannerConfig(loadPolicy(), null, 'en'), m });
const cfg = config();
const rev = cfg.rev;
const stored = (acc: string[], r = rev): Stored => ({ id: 'k3Jz0Hq1xY2w3v4u5t6s7A', rev: r, acc });

describe('the consent cookie', () => {
  it('reads <consentId>~<revision>~<accepted joined by +> among other cookies', () => {
    expect(parseStored(`ashiato_id=abc; ashiato_consent=k3Jz0Hq1xY2w3v4u5t6s7A~${rev}~necessary+analytics; other=1`)).toEqual(
      stored(['necessary', 'analytics']),
    );
    expect(parseStored(`ashiato_consent=id1~r1~necessary`)).toEqual({ id: 'id1', rev: 'r1', acc: ['necessary'] });
    expect(parseStored(`ashiato_consent=id1~r1~`)).toEqual({ id: 'id1', rev: 'r1', acc: [] });
  });

  it('reads nothing from no cookie, another cookie or a value of another shape', () => {
    for (const jar of ['', 'ashiato_id=abc', 'xashiato_consent=a~b~c', 'ashiato_consent=', 'ashiato_consent=a~b', 'ashiato_consent=a~b~c~d', 'ashiato_consent=id~~necessary']) {
      expect(parseStored(jar), jar).toBeUndefined();
    }
  });

  it('reads a choice written before the server issued its consent id, with id ""', () => {
    expect(parseStored('ashiato_consent=~r~necessary+analytics')).toEqual({ id: '', rev: 'r', acc: ['necessary', 'analytics'] });
  });

  it('is written first-party for the whole site, 395 days, SameSite=Lax, Secure on https only', () => {
    expect(COOKIE_MAX_AGE).toBe(395 * 86_400);
    const s = stored(['necessary', 'analytics', 'external_analytics']);
    expect(consentCookie(s, true)).toBe(
      `ashiato_consent=k3Jz0Hq1xY2w3v4u5t6s7A~${rev}~necessary+analytics+external_analytics;path=/;max-age=34128000;SameSite=Lax;Secure`,
    );
    expect(consentCookie(s, false)).toBe(`ashiato_consent=k3Jz0Hq1xY2w3v4u5t6s7A~${rev}~necessary+analytics+external_analytics;path=/;max-age=34128000;SameSite=Lax`);
    // what the banner writes, it reads back; and the tracker's own test agrees on analytics
    const value = consentCookie(s, true).split(';')[0]!;
    expect(parseStored(value)).toEqual(s);
    expect(ANALYTICS.test(value)).toBe(true);
    expect(ANALYTICS.test(consentCookie(stored(['necessary', 'external_analytics']), true).split(';')[0]!)).toBe(false);
  });
});

describe('what is accepted, and whether to ask', () => {
  it('accepts by default: opt-in the required only; notice also analytics (not third-party tags); opt-out everything', () => {
    expect(defaults(config('opt-in'))).toEqual(['necessary']);
    expect(defaults(config('notice'))).toEqual(['necessary', 'analytics']);
    expect(defaults(config('opt-out'))).toEqual(['necessary', 'analytics', 'external_analytics']);
    expect(required(cfg.cats)).toEqual(['necessary']);
  });

  it('keeps of a stored choice the categories the policy still has, and always the required ones', () => {
    expect(keep(cfg.cats, ['external_analytics', 'gone', 'analytics'])).toEqual(['necessary', 'analytics', 'external_analytics']);
    expect(keep(cfg.cats, [])).toEqual(['necessary']);
  });

  it('applies a choice stored for the current revision silently, in every mode, GPC or not', () => {
    for (const m of ['opt-in', 'notice', 'opt-out'] as const) {
      for (const gpc of [false, true]) {
        expect(decide(config(m), stored(['necessary', 'external_analytics']), gpc)).toEqual([['necessary', 'external_analytics'], 0]);
      }
    }
  });

  it('prompts in opt-in and notice without a choice for this revision, the earlier choice in force meanwhile', () => {
    expect(decide(config('opt-in'), undefined, false)).toEqual([['necessary'], 'opt-in']);
    expect(decide(config('notice'), undefined, false)).toEqual([['necessary', 'analytics'], 'notice']);
    expect(decide(config('opt-in'), stored(['necessary', 'analytics'], 'old'), false)).toEqual([['necessary', 'analytics'], 'opt-in']);
    expect(decide(config('notice'), stored(['necessary'], 'old'), false)).toEqual([['necessary'], 'notice']);
    // GPC is the opt-out regions' signal: elsewhere the visitor is asked as usual
    expect(decide(config('opt-in'), undefined, true)).toEqual([['necessary'], 'opt-in']);
    expect(decide(config('notice'), undefined, true)).toEqual([['necessary', 'analytics'], 'notice']);
  });

  it('never prompts in opt-out; with GPC it records gpc (required only) when no choice is stored for this revision', () => {
    expect(decide(config('opt-out'), undefined, false)).toEqual([['necessary', 'analytics', 'external_analytics'], 0]);
    expect(decide(config('opt-out'), stored(['necessary'], 'old'), false)).toEqual([['necessary'], 0]);
    expect(decide(config('opt-out'), undefined, true)).toEqual([['necessary'], 'gpc']);
    expect(decide(config('opt-out'), stored(['necessary', 'analytics'], 'old'), true)).toEqual([['necessary'], 'gpc']);
    expect(decide(config('opt-out'), stored(['necessary']), true)).toEqual([['necessary'], 0]); // recorded once
  });
});

describe('the action a choice is recorded as', () => {
  const none = ['necessary'];
  it('is accept_all for Accept all, custom while any optional category stays accepted', () => {
    expect(actionFor(cfg.cats, ['necessary', 'analytics', 'external_analytics'], undefined, 1)).toBe('accept_all');
    expect(actionFor(cfg.cats, ['necessary', 'analytics', 'external_analytics'], undefined)).toBe('custom');
    expect(actionFor(cfg.cats, ['necessary', 'external_analytics'], stored(['necessary', 'analytics']))).toBe('custom');
  });

  it('is withdraw when nothing optional stays but the recorded choice had some, reject_all otherwise', () => {
    expect(actionFor(cfg.cats, none, undefined)).toBe('reject_all');
    expect(actionFor(cfg.cats, none, stored(['necessary']))).toBe('reject_all');
    expect(actionFor(cfg.cats, none, stored(['necessary', 'analytics']))).toBe('withdraw');
    expect(actionFor(cfg.cats, none, stored(['necessary', 'external_analytics'], 'old'))).toBe('withdraw');
  });
});

describe('the text a receipt hashes', () => {
  it('is the JSON array of title, body, then each category label and description in policy order', () => {
    const t = cfg.t;
    expect(JSON.parse(textToHash(cfg, 'en'))).toEqual([
      t.title.en,
      t.body.en,
      'Strictly necessary',
      cfg.cats[0]!.desc.en,
      'Site analytics',
      cfg.cats[1]!.desc.en,
      'External analytics tools',
      cfg.cats[2]!.desc.en,
    ]);
    expect(textToHash(cfg, 'ja')).toBe(JSON.stringify([t.title.ja, t.body.ja, ...cfg.cats.flatMap((c) => [c.label.ja, c.desc.ja])]));
    expect(textToHash(cfg, 'ja').startsWith('["Cookieの利用について","当サイトでは')).toBe(true); // not \u-escaped
  });

  it('cannot make different texts read the same (a newline inside a text is not a separator)', () => {
    const a = { ...cfg, t: { ...cfg.t, title: { ja: 'A\nB', en: 'A\nB' }, body: { ja: 'C', en: 'C' } } };
    const b = { ...cfg, t: { ...cfg.t, title: { ja: 'A', en: 'A' }, body: { ja: 'B\nC', en: 'B\nC' } } };
    expect(textToHash(a, 'en')).not.toBe(textToHash(b, 'en'));
  });

  it('is hashed to SHA-256 lower-case hex of its UTF-8, as the receipt schema expects', async () => {
    for (const l of ['ja', 'en'] as const) {
      const text = textToHash(cfg, l);
      const hex = await sha256(text);
      expect(hex).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
      expect(hex).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(await sha256('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});

describe('Google Consent Mode', () => {
  it('follows external_analytics for analytics_storage and advertising for the three ad_* signals', () => {
    const denied = { ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied', analytics_storage: 'denied' };
    expect(gcmState([])).toEqual(denied);
    // the site's own analytics is not Google's: analytics_storage stays denied
    expect(gcmState(['necessary', 'analytics'])).toEqual(denied);
    expect(gcmState(['necessary', 'external_analytics'])).toEqual({ ...denied, analytics_storage: 'granted' });
    expect(gcmState(['necessary', 'advertising'])).toEqual({
      ad_storage: 'granted',
      ad_user_data: 'granted',
      ad_personalization: 'granted',
      analytics_storage: 'denied',
    });
  });

  it('leaves ad_* denied when the policy has no advertising category, even with everything accepted', () => {
    expect(gcmState(defaults(config('opt-out')))).toEqual({
      ad_storage: 'denied',
      ad_user_data: 'denied',
      ad_personalization: 'denied',
      analytics_storage: 'granted',
    });
  });
});

describe('what the tracker may send (sending.ts)', () => {
  const modes: ConsentMode[] = ['opt-in', 'notice', 'opt-out'];

  it('before any choice: nothing under opt-in, cookieless under notice and opt-out; nothing until the config is known', () => {
    expect(modes.map((m) => sendingFor(undefined, false, config(m)))).toEqual([0, 2, 2]);
    expect(sendingFor(undefined, false, undefined)).toBeUndefined();
  });

  it('follows the policy’s setting for the mode when the config carries it', () => {
    expect(modes.map((m) => sendingFor(undefined, false, { ...config(m), u: 'cookieless' }))).toEqual([2, 2, 2]);
    expect(modes.map((m) => sendingFor(undefined, false, { ...config(m), u: 'nothing' }))).toEqual([0, 0, 0]);
  });

  it('a refusal or withdrawal sends nothing in every mode, at once (even before the server has answered)', () => {
    for (const m of modes) for (const pending of [false, true]) expect(sendingFor(false, pending, config(m))).toBe(0);
    expect(sendingFor(false, false, undefined)).toBe(0);
  });

  it('a "yes" sends with consent once the server has accepted it, and holds events until then', () => {
    for (const m of modes) expect(sendingFor(true, false, config(m))).toBe(1);
    expect(sendingFor(true, false, undefined)).toBe(1); // a stored yes needs no config
    expect(sendingFor(true, true, config('opt-in'))).toBeUndefined();
  });
});

describe('the banner config', () => {
  it('says when the request carried Sec-GPC: 1, and only then', () => {
    expect(bannerConfig(loadPolicy(), null, 'en', true).g).toBe(1);
    expect(bannerConfig(loadPolicy(), null, 'en')).not.toHaveProperty('g');
  });
});
