/**
 * Pure helpers: strings in, values out, no DOM. test/tracker/parse.test.ts covers them in plain Node.
 * Written for size: every byte ships (tracker/README.md → Size).
 */

/** Hostnames of this machine: localhost, 127.x.x.x, [::1], and the empty hostname of file: pages. */
export const LOCAL = /^(localhost|127(\.\d+){3}|\[::1\])?$/;

/**
 * The banner's cookie `<consentId>~<revision>~<category+category…>` accepts analytics: the word as a whole
 * category of the last field (a revision or id that happens to read "analytics" is followed by `~`).
 */
export const ANALYTICS = /[~+]analytics(\+|$)/;

/**
 * Which link paths are downloads, from `data-downloads`: attribute absent → none; empty → the default
 * extensions; otherwise its own list (commas, spaces and dots all separate). The defaults are pdf xlsx docx
 * txt rtf csv exe key pps ppt pptx 7z pkg rar gz zip avi mov mp4 mpeg wmv midi mp3 wav wma dmg, with
 * `pptx?`, `mp[34]` and `wm[av]` folding pairs (2 B gzip less than spelling each out).
 */
export const downloadPattern = (attr: string | undefined): RegExp | undefined =>
  attr == null
    ? undefined
    : RegExp(
        `\\.(${attr.replace(/\W+/g, '|') || 'pdf|xlsx|docx|txt|rtf|csv|exe|key|pps|pptx?|7z|pkg|rar|gz|zip|avi|mov|mp[34]|mpeg|wm[av]|midi|wav|dmg'})$`,
        'i',
      );
