/**
 * Structured log lines on stderr. Callers pass only what they mean to keep: no code path here knows the
 * client's address or user agent, and the ingest tests assert that neither ever reaches a log line.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type Logger = (level: LogLevel, msg: string, fields?: Record<string, string | number | boolean | null>) => void;

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createLogger(min: LogLevel = 'info', out: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Logger {
  return (level, msg, fields) => {
    if (order[level] < order[min]) return;
    out(JSON.stringify({ t: new Date().toISOString(), level, msg, ...fields }));
  };
}

export const silentLogger: Logger = () => {};

/**
 * The same message at most once per `everyMs`: an outage that fails every request must not write a line
 * per request. The next line that gets through says how many were left out since the last one.
 */
export function rateLimitedLogger(log: Logger, everyMs = 5_000, now: () => number = Date.now): Logger {
  const last = new Map<string, { at: number; suppressed: number }>();
  return (level, msg, fields) => {
    const key = `${level}\u0000${msg}`;
    const seen = last.get(key);
    const t = now();
    if (seen && t - seen.at < everyMs) {
      seen.suppressed++;
      return;
    }
    last.set(key, { at: t, suppressed: 0 });
    log(level, msg, seen?.suppressed ? { ...fields, suppressed: seen.suppressed } : fields);
  };
}
