/**
 * URL scrubbing: the cookie "does not identify anyone" only if the URLs stored beside it do not either.
 * Query parameters whose name or value looks like personal data are dropped, e-mail addresses and
 * token-like strings in paths are masked, and utm_* parameters are lifted into their own columns.
 */

export interface Utm {
  source: string | null;
  medium: string | null;
  campaign: string | null;
  term: string | null;
  content: string | null;
}

export interface ScrubbedPage {
  host: string;
  path: string;
  /** remaining query string without the leading '?', or null */
  query: string | null;
  utm: Utm;
}

const personalKey =
  /^(e-?mail|mail|mailaddress|emailaddress|tel|telephone|phone|phonenumber|mobile|fax|name|firstname|lastname|fullname|fname|lname|surname|givenname|familyname|kana|address|addr|street|zip|zipcode|postal|postalcode|postcode|birthdate|birthday|dob|user|userid|uid|username|login|account|accountid|memberid|customerid|code|state|key|apikey|otp|pin|ssn|card|cardnumber|cc|cvv|iban)$/;
const personalKeyPart = /(email|e-mail|phone|token|passw|pwd|secret|session|auth|credential|signature|sig$)/;
const emailLike = /[^\s@/?#&=]+@[^\s@/?#&=]+\.[a-z]{2,}/i;
const phoneLike = /^\+?[\d\s().-]{9,}$/;
const jwtLike = /^eyJ[\w-]+\.[\w-]+/;
const longHex = /^[0-9a-f]{24,}$/i;
const longBase64 = /^(?=.*\d)(?=.*[a-z])(?=.*[A-Z])[\w-]{32,}$/;

const MAX_PATH = 512;
const MAX_QUERY = 512;
const MAX_UTM = 128;

export function isPersonalParam(key: string, value: string): boolean {
  const k = key.toLowerCase().replace(/[\s_.[\]-]/g, '');
  if (personalKey.test(k) || personalKeyPart.test(key.toLowerCase())) return true;
  return looksPersonal(value);
}

function looksPersonal(value: string): boolean {
  if (emailLike.test(value) || jwtLike.test(value) || longHex.test(value) || longBase64.test(value)) return true;
  return phoneLike.test(value) && value.replace(/\D/g, '').length >= 9;
}

function scrubPath(path: string): string {
  const masked = path
    .split('/')
    .map((segment) => {
      let s = segment;
      try {
        s = decodeURIComponent(segment);
      } catch {
        // keep the raw segment: a broken escape is not personal data by itself
      }
      if (emailLike.test(s)) return '[email]';
      if (jwtLike.test(s) || longHex.test(s) || longBase64.test(s)) return '[id]';
      return segment;
    })
    .join('/');
  return masked.slice(0, MAX_PATH) || '/';
}

const cut = (v: string | null, n: number) => (v ? v.slice(0, n) : null);

function httpUrl(raw: string): URL | null {
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

export function scrubPageUrl(raw: string, hashRouting = false): ScrubbedPage | null {
  const url = httpUrl(raw);
  if (!url) return null;
  const utm: Utm = { source: null, medium: null, campaign: null, term: null, content: null };
  const kept = new URLSearchParams();
  for (const [key, value] of url.searchParams) {
    const lower = key.toLowerCase();
    if (lower.startsWith('utm_')) {
      const field = lower.slice(4) as keyof Utm;
      if (field in utm && !looksPersonal(value)) utm[field] = cut(value, MAX_UTM);
      continue;
    }
    if (!isPersonalParam(key, value)) kept.append(key, value);
  }
  let path = url.pathname;
  if (hashRouting && url.hash.length > 1) path += url.hash.split('?')[0];
  const query = kept.toString();
  return {
    host: url.hostname.toLowerCase(),
    path: scrubPath(path),
    query: query ? query.slice(0, MAX_QUERY) : null,
    utm,
  };
}

export interface ScrubbedReferrer {
  host: string;
  path: string;
}

/** The site's own host with or without `www.`: a site added as example.com is also served from www.example.com. */
const bare = (host: string) => host.replace(/^www\./, '');

/** Keeps the referring host and path, never its query; internal navigation is not a referrer. */
export function scrubReferrer(raw: string | undefined, siteHosts: readonly string[]): ScrubbedReferrer | null {
  const url = raw ? httpUrl(raw) : null;
  if (!url) return null;
  const host = url.hostname.toLowerCase();
  if (siteHosts.some((h) => bare(h) === bare(host))) return null;
  return { host, path: scrubPath(url.pathname) };
}
