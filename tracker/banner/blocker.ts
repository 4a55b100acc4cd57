/**
 * Third-party tags held back until their category is accepted:
 *
 *   <script type="text/plain" data-category="external_analytics" data-src="https://…"></script>
 *   <script type="text/plain" data-category="external_analytics">…inline…</script>
 *
 * An accepted one is replaced by a real script element with the same attributes (but `type`), the same
 * text and `src` from `data-src`, once, in document order: an external one is loaded before the next is
 * inserted. Scripts added to the page later are found by a MutationObserver. Withdrawing stops what is not
 * yet activated; a tag already running stays until the page is left (nothing is reloaded).
 */
export const blocker = (allowed: (category: string) => unknown): (() => void) => {
  let chain = Promise.resolve();
  const queued = new WeakSet<Element>();
  const scan = (): void => {
    for (const el of document.querySelectorAll<HTMLScriptElement>('script[type="text/plain"][data-category]')) {
      const category = el.dataset.category!;
      if (!queued.has(el) && allowed(category)) {
        queued.add(el);
        chain = chain.then(
          () =>
            new Promise<void>((done) => {
              const s = document.createElement('script');
              const src = el.dataset.src;
              // withdrawn meanwhile, or taken out of the page: not now (a later scan may find it again)
              if (!allowed(category) || !el.parentNode) return queued.delete(el), done();
              for (const a of el.attributes) if (a.name != 'type') s.setAttribute(a.name, a.value);
              s.nonce = el.nonce; // a nonce attribute reads empty once parsed (CSP nonce hiding)
              s.text = el.text;
              if (src) (s.src = src), (s.onload = s.onerror = () => done());
              el.replaceWith(s);
              src || done();
            }),
        );
      }
    }
  };
  new MutationObserver(scan).observe(document, { childList: true, subtree: true });
  return scan;
};
