/** `ashiato(name, {props})`, the public API: the page's calls and the add-on (links.ts) both come here. */
import type { EventPayload } from '../../server/ingest/wire.ts';
import { setId } from './consent.ts';
import { send } from './send.ts';

export interface EventOptions {
  props?: EventPayload['p'];
}

/** `ashiato(name, {props})`; for `ashiato('404')` the server adds the page's path as prop `path`. */
export const track = (n: string, options?: EventOptions): void => send({ n, p: options?.props });
// `ashiato.optOut()` / `ashiato.optIn()`, this browser only. Unlike sending, these throw when storage is off
// (the choice could not be kept): the caller should know. Opting out also deletes the id cookie.
track.optOut = () => {
  localStorage.ashiato_ignore = '1';
  setId();
};
track.optIn = () => delete localStorage.ashiato_ignore;
