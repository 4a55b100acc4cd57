/**
 * The tracker's helpers in plain Node: the pure ones in src/parse.ts, and the cookie helpers of src/consent.ts
 * against a stubbed `document.cookie` / `location`. Everything else is tested on the built script
 * (script.test.ts) and in a real browser (test/e2e/tracker.test.ts).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deviceNames } from '../../server/ingest/wire.ts';
import { readCookie, sending, setId } from '../../tracker/src/consent.ts';
import { ANALYTICS, downloadPattern, LOCAL } from '../../tracker/src/parse.ts';

/** A `document` whose cookie reads as `jar` and records every write; `location` with `protocol`. */
function stubPage(jar = '', protocol = 'https:') {
  const writes: string[] = [];
  vi.stubGlobal('document', {
    get cookie() {
      return jar;
    },
    set cookie(value: string) {
      writes.push(value);
    },
  });
  vi.stubGlobal('location', { protocol });
  return writes;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('device names', () => {
  it('are the ones in wire.ts (the tracker spells the cookies as ashiato_ + suffix to save bytes)', () => {
    stubPage(`${deviceNames.idCookie}=A; ${deviceNames.consentCookie}=B`);
    expect(readCookie('id')).toBe('A');
    expect(readCookie('consent')).toBe('B');
    const writes = stubPage();
    setId('A', 1);
    expect(writes[0]!.startsWith(`${deviceNames.idCookie}=A;`)).toBe(true);
  });
});

describe('readCookie', () => {
  const jar = 'a=1; ashiato_id=AAAAAAAAAAAAAAAAAAAAAA; x_ashiato_consent=no; ashiato_consent=k~r~necessary+analytics';
  it('finds a cookie by its full name, wherever it is', () => {
    stubPage(jar);
    expect(readCookie('id')).toBe('AAAAAAAAAAAAAAAAAAAAAA');
    expect(readCookie('consent')).toBe('k~r~necessary+analytics');
    stubPage('ashiato_id=first');
    expect(readCookie('id')).toBe('first');
  });
  it('does not match a cookie whose name merely ends the same way', () => {
    stubPage('x_ashiato_consent=no');
    expect(readCookie('consent')).toBeUndefined();
    stubPage('');
    expect(readCookie('id')).toBeUndefined();
  });
  it('returns an empty value as empty, not absent', () => {
    stubPage('ashiato_consent=');
    expect(readCookie('consent')).toBe('');
  });
});

describe('sending', () => {
  let writes: string[];
  beforeEach(() => {
    writes = stubPage();
    vi.stubGlobal('window', {});
  });
  /** without the banner on the page: from its cookie */
  const state = (value: string | undefined) => sending(undefined, value);

  it('is 2 (cookieless: the server applies the mode) without the banner and without its cookie, and deletes the id', () => {
    expect(state(undefined)).toBe(2);
    expect(sending()).toBe(2); // reads the (empty) jar
    expect(writes).toHaveLength(2);
    expect(writes.every((w) => w.startsWith('ashiato_id=') && w.includes(';max-age=0;'))).toBe(true);
  });
  it('is 1 (granted) when analytics is among the accepted categories, and keeps the id', () => {
    expect(state('k3J~a1b2c3d4~analytics')).toBe(1);
    expect(state('k3J~a1b2c3d4~necessary+analytics')).toBe(1);
    expect(state('k3J~a1b2c3d4~analytics+marketing')).toBe(1);
    expect(state('~a1b2c3d4~necessary+analytics')).toBe(1); // written before the server issued its id
    expect(writes).toEqual([]);
  });
  it('is 0 (send nothing) when the cookie exists without analytics, and then deletes the id', () => {
    for (const value of ['k3J~a1b2c3d4~necessary', 'k3J~a1b2c3d4~', 'k3J~a1b2c3d4~necessary+analyticsx', 'k3J~a1b2c3d4~xanalytics', '', 'garbage']) {
      expect(state(value), value).toBe(0);
    }
    expect(writes).toHaveLength(6);
    expect(writes.every((w) => w.startsWith('ashiato_id=') && w.includes(';max-age=0;'))).toBe(true);
  });
  it('looks at the categories only, not the id or the revision', () => {
    expect(state('k3J~analytics~necessary')).toBe(0);
    expect(state('analytics~a1b2c3d4~necessary')).toBe(0);
    expect(ANALYTICS.test('analytics~a1b2c3d4~necessary')).toBe(false);
  });
  it('asks the banner when it is on the page, whatever the cookie says', () => {
    stubPage('ashiato_consent=k~r~necessary+analytics');
    for (const answer of [0, 1, 2, undefined] as const) {
      vi.stubGlobal('window', { ashiato: { consent: { sending: () => answer } } });
      expect(sending()).toBe(answer);
    }
  });
});

describe('setId', () => {
  const write = (v: string | undefined, d: number | undefined, protocol: string) => {
    const writes = stubPage('', protocol);
    setId(v, d);
    return writes[0];
  };
  it('keeps an id for d seconds (the answer’s d, as it is), first-party, on every path', () => {
    expect(write('AAAAAAAAAAAAAAAAAAAAAA', 33696000, 'http:')).toBe('ashiato_id=AAAAAAAAAAAAAAAAAAAAAA;max-age=33696000;path=/;SameSite=Lax');
  });
  it('is Secure on https', () => {
    expect(write('AAAAAAAAAAAAAAAAAAAAAA', 86400, 'https:')).toBe('ashiato_id=AAAAAAAAAAAAAAAAAAAAAA;max-age=86400;path=/;SameSite=Lax;Secure');
  });
  it('deletes the cookie when there is no id (max-age=0; the value is never read)', () => {
    expect(write(undefined, undefined, 'http:')).toMatch(/^ashiato_id=[^;]*;max-age=0;path=\/;SameSite=Lax$/);
    expect(write(undefined, undefined, 'https:')).toMatch(/^ashiato_id=[^;]*;max-age=0;path=\/;SameSite=Lax;Secure$/);
  });
  it('writes whole seconds', () => {
    expect(write('x', 43200.7, 'http:')).toContain(';max-age=43200;');
  });
});

describe('LOCAL', () => {
  it.each(['localhost', '127.0.0.1', '127.1.2.3', '[::1]', ''])('%j is local', (host) => {
    expect(LOCAL.test(host)).toBe(true);
  });
  it.each(['example.com', 'localhost.example.com', '10.0.0.1', '127.example.com', '1127.0.0.1'])('%j is not', (host) => {
    expect(LOCAL.test(host)).toBe(false);
  });
});

describe('downloadPattern', () => {
  const defaults =
    'pdf,xlsx,docx,txt,rtf,csv,exe,key,pps,ppt,pptx,7z,pkg,rar,gz,zip,avi,mov,mp4,mpeg,wmv,midi,mp3,wav,wma,dmg'.split(',');

  it('is off without the attribute', () => {
    expect(downloadPattern(undefined)).toBeUndefined();
  });
  it('matches every default extension, in any case, when the attribute is empty', () => {
    const re = downloadPattern('')!;
    for (const ext of defaults) {
      expect(re.test(`/files/report.${ext}`), ext).toBe(true);
      expect(re.test(`/files/REPORT.${ext.toUpperCase()}`), ext).toBe(true);
    }
  });
  it('matches the extension only, at the end of the path', () => {
    const re = downloadPattern('')!;
    for (const path of ['/pdf', '/a.pdf/', '/a.pdfx', '/a.xpdf', '/a.pd', '/report.html', '/a.pptxx', '/', '/a.docx.html']) {
      expect(re.test(path), path).toBe(false);
    }
  });
  it('uses a custom comma list instead of the defaults, spaces and dots tolerated', () => {
    const re = downloadPattern('epub, .mobi,azw3')!;
    expect(re.test('/book.epub')).toBe(true);
    expect(re.test('/book.mobi')).toBe(true);
    expect(re.test('/book.azw3')).toBe(true);
    expect(re.test('/book.pdf')).toBe(false);
  });
});
