// Structured logging with one rule: tokens never reach a log. Call sites
// never log URLs, query strings or headers; as a second line of defence every
// line is scrubbed of anything shaped like a token or a token parameter.

export type LogLevel = 'info' | 'warn' | 'error';
export type LogFields = Record<string, string | number | boolean | null | undefined>;
export type Logger = (level: LogLevel, event: string, fields?: LogFields) => void;

const TOKEN_SHAPE = /[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/g;
const TOKEN_PARAM = /(token=|bearer\s+)[^\s&"']*/gi;

export function redact(text: string): string {
  return text.replace(TOKEN_PARAM, '$1[redacted]').replace(TOKEN_SHAPE, '[redacted]');
}

/** JSON lines on stderr. */
export const consoleLogger: Logger = (level, event, fields = {}) => {
  const line = JSON.stringify({ time: new Date().toISOString(), level, event, ...fields });
  process.stderr.write(redact(line) + '\n');
};

export const silentLogger: Logger = () => {};

/** Short description of an error for a log line: its message, scrubbed. */
export function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return redact(message).slice(0, 300);
}

/**
 * At most `perMinute` lines of each event a minute (then one line saying how many were left out):
 * a client that is refused a thousand times a second must not make the relay write a thousand log
 * lines a second. Events are a fixed set of names, so the map stays small.
 */
export function rateLimitedLogger(log: Logger, perMinute = 60, nowMs: () => number = Date.now): Logger {
  const windows = new Map<string, { start: number; count: number; dropped: number }>();
  return (level, event, fields) => {
    const now = nowMs();
    let w = windows.get(event);
    if (!w || now - w.start >= 60_000) {
      if (w && w.dropped > 0) log('warn', 'log-lines-left-out', { event, count: w.dropped });
      w = { start: now, count: 0, dropped: 0 };
      windows.set(event, w);
    }
    if (++w.count > perMinute) {
      w.dropped++;
      return;
    }
    log(level, event, fields);
  };
}
