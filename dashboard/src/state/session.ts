import { signal } from '@preact/signals';
import { fetchSites, type Me, type SiteInfo } from '../lib/api.ts';

/** Who is signed in: undefined while /api/auth/me is asked, null when nobody. */
export const me = signal<Me | null | undefined>(undefined);

/** The sites the user may read, for the switcher: undefined until loaded, null when the list is not available. */
export const sites = signal<SiteInfo[] | null | undefined>(undefined);

let loadingSites: Promise<void> | undefined;
export function loadSites(): Promise<void> {
  loadingSites ??= fetchSites().then(
    (list) => void (sites.value = list),
    () => {
      sites.value = null;
      loadingSites = undefined;
    },
  );
  return loadingSites;
}

export function resetSession(): void {
  me.value = null;
  sites.value = undefined;
  loadingSites = undefined;
}
