import { pino, type DestinationStream, type Logger } from 'pino';
import { redactSecrets } from './gitlab/errors.js';

/** Every log line passes through `redactSecrets`: token values never reach the log, whatever field or stack holds them. */
function redacting(destination: DestinationStream): DestinationStream {
  return { write: (line: string) => destination.write(redactSecrets(line)) };
}

/** Structured logs on stderr (stdout is for command output). Token-bearing fields are redacted. */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info', destination: DestinationStream = pino.destination(2)): Logger {
  return pino(
    {
      level,
      base: { app: 'support-bot' },
      redact: {
        paths: ['token', 'secret', '*.token', '*.secret', 'headers["x-gitlab-token"]', 'headers["private-token"]', 'headers.authorization'],
        censor: '[REDACTED]',
      },
    },
    redacting(destination),
  );
}

export const silentLogger: Logger = pino({ level: 'silent' });
