import { describe, expect, it } from 'vitest';
import { parsePrivacyPath, privacyPath } from '../../dashboard/src/state/privacy.ts';
import { canHandleReleases, emptyReleaseForm, newDisclosureBody, newNoticeBody, newReleaseBody, releaseStage, suppressedPercent, toggleColumn } from '../../dashboard/src/state/releases.ts';

const TZ = 'Asia/Tokyo';

describe('the anonymized datasets page', () => {
  it('has its own path under the privacy pages', () => {
    expect(privacyPath.releases).toBe('/app/privacy/releases');
    expect(parsePrivacyPath('/app/privacy/releases')).toEqual({ page: 'releases' });
    expect(parsePrivacyPath('/app/privacy/releases/3')).toBe('unknown');
  });

  it('offers its forms to privacy staff only: admins and marketers read at most', () => {
    expect(canHandleReleases({ user: { role: 'privacy' } })).toBe(true);
    expect(canHandleReleases({ user: { role: 'admin' } })).toBe(false);
    expect(canHandleReleases({ user: { role: 'marketer' } })).toBe(false);
    expect(canHandleReleases(null)).toBe(false);
  });

  it('asks for a dataset over whole days of the site’s zone, the last one included', () => {
    const form = emptyReleaseForm('2026-11-22', 'example.com');
    expect(form).toEqual({ site: 'example.com', level: 'session', from: '2026-10-23', to: '2026-11-22', columns: null });
    const checked = newReleaseBody({ ...form, site: ' example.com ', level: 'pageview' }, 'Asia/Tokyo');
    expect(checked).toEqual({ ok: true, body: { site: 'example.com', level: 'pageview', from: Date.parse('2026-10-23T00:00+09:00'), to: Date.parse('2026-11-23T00:00+09:00') } });
    // the same days for a site in New York: its midnights, across the end of daylight saving time (Nov 1)
    expect(newReleaseBody(form, 'America/New_York')).toMatchObject({ ok: true, body: { from: Date.parse('2026-10-23T00:00-04:00'), to: Date.parse('2026-11-23T00:00-05:00') } });
    expect(newReleaseBody({ ...form, site: '', to: '2026-10-01' }, TZ)).toEqual({ ok: false, problems: { site: { key: 'problem.required' }, to: { key: 'problem.periodOrder' } } });
    expect(newReleaseBody({ ...form, from: '2026-02-30' }, TZ)).toMatchObject({ ok: false, problems: { from: { key: 'problem.date' } } });
  });

  it('sends all the policy’s columns unless some were ticked off, and never none', () => {
    const all = ['key', 'time', 'country', 'pageviews'];
    const form = emptyReleaseForm('2026-11-22', 'example.com');
    expect(newReleaseBody(form, TZ)).toMatchObject({ ok: true, body: { site: 'example.com' } });
    expect((newReleaseBody(form, TZ) as { body: object }).body).not.toHaveProperty('columns');
    const withoutKey = toggleColumn(null, all, 'key', false);
    expect(withoutKey).toEqual(['time', 'country', 'pageviews']);
    expect(toggleColumn(withoutKey, all, 'key', true)).toEqual(all);
    expect(newReleaseBody({ ...form, columns: withoutKey }, TZ)).toMatchObject({ ok: true, body: { columns: ['time', 'country', 'pageviews'] } });
    expect(newReleaseBody({ ...form, columns: [] }, TZ)).toEqual({ ok: false, problems: { columns: { key: 'problem.items' } } });
  });

  it('publishes a method only in both languages', () => {
    expect(newNoticeBody({ ja: ' 暗号化ファイル ', en: 'Encrypted file' })).toEqual({ ok: true, body: { method: { ja: '暗号化ファイル', en: 'Encrypted file' } } });
    expect(newNoticeBody({ ja: '暗号化ファイル', en: ' ' })).toEqual({ ok: false, problems: { en: { key: 'problem.required' } } });
    expect(newNoticeBody({ ja: 'x'.repeat(1001), en: 'ok' })).toMatchObject({ ok: false, problems: { ja: { key: 'problem.tooLong' } } });
  });

  it('records a provision to the public or to a named third party, never in advance', () => {
    expect(newDisclosureBody({ to: 'public', name: 'ignored', releasedOn: '2026-11-22' }, '2026-11-22')).toEqual({ ok: true, body: { recipient: 'public', releasedOn: '2026-11-22' } });
    expect(newDisclosureBody({ to: 'third_party', name: ' Kaede Research ', releasedOn: '2026-11-20' }, '2026-11-22')).toEqual({ ok: true, body: { recipient: { name: 'Kaede Research' }, releasedOn: '2026-11-20' } });
    expect(newDisclosureBody({ to: 'third_party', name: '', releasedOn: '2026-11-23' }, '2026-11-22')).toEqual({ ok: false, problems: { name: { key: 'problem.required' }, releasedOn: { key: 'problem.future' } } });
  });

  it('shows where a dataset stands and how much was left out', () => {
    expect(releaseStage({ notices: [], disclosures: [] })).toBe('items_published');
    expect(releaseStage({ notices: [{} as never], disclosures: [] })).toBe('method_published');
    expect(releaseStage({ notices: [{} as never], disclosures: [{} as never] })).toBe('provided');
    expect(suppressedPercent({ risk: { suppressed: { share: 0.01234 } } } as never)).toBe(1.23);
  });
});
