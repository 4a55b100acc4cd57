import { useEffect, useRef, useState } from 'preact/hooks';

export interface Remote<T> {
  /** the latest answer; kept while the next one loads so the page does not flash */
  data: T | undefined;
  error: unknown;
  loading: boolean;
  retry(): void;
}

/**
 * Loads whatever `key` names (a URL, usually) and loads again when it changes; an answer that arrives after
 * the key moved on is dropped and its request aborted. A null key loads nothing.
 */
export function useRemote<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): Remote<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: key !== null });
  const [attempt, setAttempt] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    if (key === null) {
      setState({ loading: false });
      return;
    }
    const controller = new AbortController();
    let live = true;
    setState((s) => ({ data: s.data, loading: true }));
    loadRef.current(controller.signal).then(
      (data) => live && setState({ data, loading: false }),
      (error: unknown) => live && !(error instanceof DOMException && error.name === 'AbortError') && setState({ error, loading: false }),
    );
    return () => {
      live = false;
      controller.abort();
    };
  }, [key, attempt]);

  return { data: state.data, error: state.error, loading: state.loading, retry: () => setAttempt((n) => n + 1) };
}
