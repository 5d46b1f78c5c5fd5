import { pino, type DestinationStream, type Logger } from 'pino';
import { redactSecrets } from './gitlab/errors.js';

/** Every log line passes through `redactSecrets`: token values never reach the log, whatever field or stack holds them. */
function redacting(destination: DestinationStream & { flush?: (cb?: (err?: Error) => void) => void; flushSync?: () => void }): DestinationStream {
  return {
    write: (line: string) => destination.write(redactSecrets(line)),
    // pino flushes through these on exit and on `logger.flush()`.
    flush: (cb?: (err?: Error) => void) => (destination.flush ? destination.flush(cb) : cb?.()),
    flushSync: () => destination.flushSync?.(),
  } as DestinationStream;
}

/**
 * stderr for a long-running server: writes are buffered (up to 4 KiB, flushed at least
 * every 100 ms and at exit), so a line per event does not cost a system call per event.
 */
export function bufferedStderr(): DestinationStream {
  const destination = pino.destination({ dest: 2, sync: false, minLength: 4096 });
  setInterval(() => destination.flush(), 100).unref();
  return destination;
}

/** An error as logged: type and message; its stack only at `debug` and below, where someone is looking for it. */
export function errorSerializer(level: string): (error: unknown) => unknown {
  const withStack = pino.levels.values[level] !== undefined && pino.levels.values[level]! <= pino.levels.values.debug!;
  return (error) => {
    const serialized = pino.stdSerializers.err(error as Error) as unknown as Record<string, unknown>;
    if (withStack || !serialized || typeof serialized !== 'object') return serialized;
    const { stack: _stack, ...rest } = serialized;
    return rest;
  };
}

/** Structured logs on stderr (stdout is for command output). Token-bearing fields are redacted. */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info', destination: DestinationStream = pino.destination(2)): Logger {
  return pino(
    {
      level,
      base: { app: 'support-bot' },
      serializers: { err: errorSerializer(level) },
      redact: {
        paths: ['token', 'secret', '*.token', '*.secret', 'headers["x-gitlab-token"]', 'headers["private-token"]', 'headers.authorization'],
        censor: '[REDACTED]',
      },
    },
    redacting(destination),
  );
}

export const silentLogger: Logger = pino({ level: 'silent' });
