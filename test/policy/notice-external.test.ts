import { describe, expect, it } from 'vitest';
import { policyWith } from '../helpers/policy.ts';
import { loadPolicy } from '../../policy/load.ts';
import { renderExternalTransmission } from '../../policy/notice/external-transmission.ts';
import { escapeHtml as esc } from '../../policy/notice/html.ts';
import { labels, langs } from '../../policy/notice/labels.ts';

const loaded = loadPolicy();
const { policy } = loaded;


/** One tag's `<section>`. */
function tagSection(page: string, id: string): string {
  const match = page.match(new RegExp(`<section class="tag" id="tag-${id}"[^>]*>([\\s\\S]*?)</section>`));
  if (!match) throw new Error(`no section for tag ${id}`);
  return match[1]!;
}

const dd = (name: string, value: string) => `<dt>${esc(name)}</dt><dd>${value}</dd>`;

describe.each(langs)('external transmission page (%s)', (lang) => {
  const page = renderExternalTransmission(loaded, lang);
  const t = labels[lang];
  const l = t.external;
  const x = (value: { ja: string; en: string }) => esc(value[lang]);

  it('is a document in that language, with the TBA explanation', () => {
    expect(page.startsWith(`<!doctype html>\n<html lang="${lang}">`)).toBe(true);
    expect(page).toContain(`<h1>${esc(l.title)}</h1>`);
    expect(page).toContain(`<p>${esc(l.lead)}</p>`);
    expect(page).toContain(`<code>${loaded.revision}</code>`);
  });

  it('lists every tag, ashiato included, with recipient, what is sent, purpose and consent category', () => {
    expect(policy.externalTags.map((tag) => tag.id)).toContain('ashiato');
    for (const tag of policy.externalTags) {
      const part = tagSection(page, tag.id);
      const category = policy.consent.categories.find((c) => c.id === tag.category)!;
      expect(part).toContain(`<h2 id="tag-${tag.id}-h">${esc(tag.name)}</h2>`);
      expect(part).toContain(dd(l.recipient, x(tag.recipient)));
      expect(part).toContain(dd(l.sends, x(tag.sends)));
      expect(part).toContain(dd(l.purpose, x(tag.purpose)));
      expect(part).toContain(dd(l.category, x(category.label) + esc(t.paren(category.required ? l.categoryRequired : l.categoryOptional))));
    }
  });

  it("links each tag's opt-out and privacy policy, or this site's own pages when it has none", () => {
    for (const tag of policy.externalTags) {
      const part = tagSection(page, tag.id);
      expect(part).toContain(
        dd(l.optOut, tag.optOutUrl
          ? `<a href="${esc(tag.optOutUrl)}" rel="noopener noreferrer">${esc(tag.optOutUrl)}</a>`
          : `${esc(l.optOutHere)} <a href="/privacy/my-data?lang=${lang}">${esc(t.pages.myData)}</a>`),
      );
      expect(part).toContain(
        dd(l.privacyPolicy, tag.privacyUrl
          ? `<a href="${esc(tag.privacyUrl)}" rel="noopener noreferrer">${esc(tag.privacyUrl)}</a>`
          : `${esc(l.ownPolicy)} <a href="/privacy?lang=${lang}">${esc(t.pages.privacy)}</a>`),
      );
    }
    const google = tagSection(page, 'google-analytics');
    expect(google).toContain('href="https://tools.google.com/dlpage/gaoptout"');
    expect(google).toContain('href="https://policies.google.com/technologies/partner-sites"');
  });

  it('links the self-service page to change consent choices', () => {
    expect(page).toContain(`${esc(l.changeChoice)} <a href="/privacy/my-data?lang=${lang}">`);
  });
});

describe('external transmission page follows the policy', () => {
  it('says so when no tag sends anything', () => {
    const none = policyWith((p) => {
      p.externalTags = [];
    });
    for (const lang of langs) {
      const page = renderExternalTransmission(none, lang);
      expect(page).toContain(`<p>${esc(labels[lang].external.none)}</p>`);
      expect(page).not.toContain('class="tag"');
    }
  });

  it('the policy refuses a non-web opt-out or privacy address, so none can reach the page', () => {
    expect(() =>
      policyWith((p) => {
        p.externalTags![1]!.optOutUrl = 'javascript:alert(1)';
      }),
    ).toThrow(/externalTags\.1\.optOutUrl/);
    expect(() =>
      policyWith((p) => {
        p.externalTags![1]!.privacyUrl = 'data:text/html,<script>alert(1)</script>';
      }),
    ).toThrow(/externalTags\.1\.privacyUrl/);
  });
});
