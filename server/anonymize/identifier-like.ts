/**
 * Values that must never appear in a dataset whatever rule let them through (standard 2: no identification
 * codes): IP addresses, e-mail addresses, phone numbers and random-looking tokens such as cookie, consent
 * and session ids (22 characters of base64url) or hashes.
 */
const ipv4 = /\b\d{1,3}(\.\d{1,3}){3}\b/;
const ipv6 = /\b[0-9a-f]{1,4}(:[0-9a-f]{0,4}){2,7}\b/i;
const email = /[^\s@]+@[^\s@]+\.[a-z]{2,}/i;
const phone = /\+?\d[\d\s().-]{8,}\d/;
/** at least 16 word characters mixing letters and digits: ids, keys, hashes, tokens */
const token = /(?=[\w-]*\d)(?=[\w-]*[a-z])[\w-]{16,}/i;

export function looksLikeIdentifier(value: string): boolean {
  return ipv4.test(value) || ipv6.test(value) || email.test(value) || phone.test(value) || token.test(value);
}
