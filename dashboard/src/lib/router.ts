/** The address bar as signals: pages read `route`, and change it with navigate() (history, so back/forward work). */
import { signal } from '@preact/signals';

export interface Route {
  path: string;
  search: string;
}

const read = (): Route => ({ path: location.pathname, search: location.search });

export const route = signal<Route>(read());

addEventListener('popstate', () => {
  route.value = read();
});

/** Goes to `url` (a path with an optional query) without a page load; `replace` keeps history as it is. */
export function navigate(url: string, options: { replace?: boolean } = {}): void {
  const next = new URL(url, location.href);
  if (next.pathname + next.search === location.pathname + location.search) return;
  if (options.replace) history.replaceState(null, '', next);
  else history.pushState(null, '', next);
  route.value = read();
}

/** Click handler for same-page links: plain clicks navigate in place, modified clicks open tabs as usual. */
export function linkClick(e: MouseEvent): void {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = (e.currentTarget as HTMLAnchorElement | null) ?? null;
  if (!a?.href || a.target || a.hasAttribute('download')) return;
  e.preventDefault();
  navigate(a.href);
}
