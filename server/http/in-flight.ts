import type { MiddlewareHandler } from 'hono';

/**
 * Counts the requests being handled, so that shutdown can answer every request it already received before
 * it closes connections. While draining, every answer carries `Connection: close`: a keep-alive client then
 * opens its next request elsewhere instead of racing the socket's close.
 */
export interface InFlight {
  readonly count: number;
  readonly middleware: MiddlewareHandler;
  /** from now on, answers close their connection */
  drain(): void;
  /** resolves when no request is being handled */
  idle(): Promise<void>;
}

export function createInFlight(): InFlight {
  let count = 0;
  let draining = false;
  let waiters: (() => void)[] = [];
  const settle = () => {
    if (count > 0) return;
    for (const w of waiters) w();
    waiters = [];
  };
  return {
    get count() {
      return count;
    },
    middleware: async function inFlight(c, next) {
      count++;
      try {
        await next();
      } finally {
        if (draining) c.header('Connection', 'close');
        count--;
        settle();
      }
    },
    drain() {
      draining = true;
    },
    idle() {
      return count === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve));
    },
  };
}
