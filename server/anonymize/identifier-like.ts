/**
 * Values that must never appear in a dataset whatever rule let them through (standard 2: no identification
 * codes): IP addresses, e-mail addresses, phone numbers and random-looking tokens such as cookie, consent
 * and session ids (22 characters of base64url) or hashes.
 */
const ipv4 = /\b\d{1,3}(\.\d{1,3}){3}\b/;
const ipv6 = /\b[0-9a-f]{1,4}(:[0-9a-f]{0,4}){2,7}\b/i;
const email = /[^\s@]+@[^\s@]+\.[a-z]{2,}/i;
const phone = /\+?\d[\d\s().-]{8,}\d/;
/** random-looking runs of 16+ characters: hex, mixed-case with digits (base64), or digit-heavy */
const run = /[\w-]{16,}/g;
function isToken(value: string): boolean {
  for (const [m] of value.matchAll(run)) {
    if (/^[0-9a-f]+$/i.test(m) && /\d/.test(m)) return true;
    if (/\d/.test(m) && /[a-z]/.test(m) && /[A-Z]/.test(m)) return true;
    if ((m.match(/\d/g)?.length ?? 0) >= 6 && !/[-_]/.test(m)) return true;
  }
  return false;
}

export function looksLikeIdentifier(value: string): boolean {
  return ipv4.test(value) || ipv6.test(value) || email.test(value) || phone.test(value) || isToken(value);
}
