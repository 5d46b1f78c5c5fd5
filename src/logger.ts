import { pino, type Logger } from 'pino';

/** Structured logs on stderr (stdout is for command output). Token-bearing fields are redacted. */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino(
    {
      level,
      base: { app: 'support-bot' },
      redact: {
        paths: ['token', 'secret', '*.token', '*.secret', 'headers["x-gitlab-token"]', 'headers["private-token"]', 'headers.authorization'],
        censor: '[REDACTED]',
      },
    },
    pino.destination(2),
  );
}

export const silentLogger: Logger = pino({ level: 'silent' });
