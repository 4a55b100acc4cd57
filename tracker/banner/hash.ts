/**
 * SHA-256 as lower-case hex, by the browser's crypto.subtle. That exists only in secure contexts (https,
 * localhost): on a plain-http page it throws, and the choice then applies to the page without a receipt.
 */
export const sha256 = async (text: string): Promise<string> =>
  [...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)))]
    .map((b) => (b < 16 ? '0' : '') + b.toString(16))
    .join('');
