/**
 * What the tracker may send, as the banner knows it: the one answer `ashiato.consent.sending()` gives the
 * tracker on this page. Pure, so test/tracker/banner-choice.test.ts covers it in plain Node.
 *
 *   1          with consent: `c:1`, and the cookie id (unless GPC: then the server keeps none)
 *   2          cookieless: no `c`, no id (no "yes", and this mode measures without one)
 *   0          nothing: a refusal or withdrawal (every mode), or no "yes" where the mode measures nothing
 *   undefined  not known yet (the config, or the server's acceptance of a "yes", is on its way): hold
 */
import type { BannerConfig, Unconsented } from '../../server/consent/wire.ts';
import type { ConsentMode } from '../../server/ingest/wire.ts';

export type Sending = 0 | 1 | 2 | undefined;

/** What a mode measures without a "yes" when the config does not say: opt-in nothing, notice and opt-out cookieless. */
export const unconsentedDefault = (m: ConsentMode): Unconsented => (m == 'opt-in' ? 'nothing' : 'cookieless');

/**
 * `choice`: the analytics category of the choice written to the browser (true accepted, false refused,
 * undefined none, or only a GPC record, which is no choice of the visitor's); `pending`: that choice is a
 * "yes" the server has not accepted yet (it may still answer 409: the policy changed); `cfg`: the config,
 * when it has arrived.
 */
export const sendingFor = (choice: boolean | undefined, pending: boolean, cfg: BannerConfig | undefined): Sending =>
  choice === false
    ? 0
    : choice
      ? pending
        ? undefined
        : 1
      : cfg && ((cfg.u || unconsentedDefault(cfg.m)) == 'cookieless' ? 2 : 0);
